"""Licence decisions on a store built through the ingest commands, read back from the workbook.

Twelve licences (2021-01-04 to 2021-06-30), report period May 2021, judged on
28 May 2021: p0 used every day of May, p1 once on 27 May, p2 last on 15 April
(43 days before), p3 last on 1 February (116 days before), p4-p11 never.
"""

from __future__ import annotations

import os
import stat
from datetime import date

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from cli import main
from usage.metrics.build import build_report
from usage.metrics.stats import Proportion
from usage.metrics.suppress import hide_small_cells
from usage.model import Period, ReportOptions
from usage.report.decision_plots import plot_active_rates, plot_power_curve, plot_retention
from usage.store.database import connect

PERIOD = ["--from", "2021-05-01", "--to", "2021-05-28"]


def emails(n: int) -> list[str]:
    return [f"p{i}@brent.example.gov.uk" for i in range(n)]


@pytest.fixture
def licence_db(tmp_path, write_csv):
    roster = [["Email", "Local Authority", "Team", "Role", "Licence Start", "Licence End"]]
    roster += [
        [e, "Brent", "A" if i < 6 else "B", "Social worker", "2021-01-04", "2021-06-30"]
        for i, e in enumerate(emails(12))
    ]
    people = emails(12)
    sessions = [["User ID", "Session Start", "Duration"]]
    sessions += [[people[0], f"2021-05-{d:02d} 10:00:00", "00:05:00"] for d in range(1, 29)]
    sessions += [
        [people[1], "2021-05-27 09:30:00", "00:02:00"],
        [people[2], "2021-04-15 11:00:00", "00:03:00"],
        [people[3], "2021-02-01 11:00:00", "00:04:00"],
    ]
    db = tmp_path / "usage.db"
    for kind, rows in (("roster", roster), ("sessions", sessions)):
        path = write_csv(tmp_path / f"{kind}.csv", rows)
        result = CliRunner().invoke(main, ["usage", "ingest", kind, str(path), "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


def run_report(db, out, *extra):
    args = ["usage", "report", "--db", str(db), "--out", str(out), *PERIOD, *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result


def sheet_rows(path, name):
    """Rows of a sheet under its header (row 2), as dicts."""
    sheet = openpyxl.load_workbook(path)[name]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_reclaim_list_names_the_rule_for_each_licence(licence_db, tmp_path):
    run_report(licence_db, tmp_path / "out")
    rows = sheet_rows(tmp_path / "out" / "usage_report.xlsx", "reclaim")
    rules = {row["person"]: row["rule"] for row in rows}
    assert len(rows) == 10  # p2, p3 and the eight who never used it
    thirty = [r for r in rules.values() if r.startswith("no use in the 30 days")]
    ninety = [r for r in rules.values() if r.startswith("no use in the 90 days")]
    never = [r for r in rules.values() if r.startswith("never used")]
    assert len(thirty) == 1 and "last used 15 Apr 2021" in thirty[0]
    assert len(ninety) == 1 and "last used 01 Feb 2021" in ninety[0]
    assert len(never) == 8
    days = sorted(r["days_since_use"] for r in rows if r["days_since_use"] is not None)
    assert days == [43, 116]


def test_cost_per_active_user_and_idle_cost(licence_db, tmp_path):
    result = run_report(licence_db, tmp_path / "out", "--licence-cost", "100")
    assert "Licences to reclaim (no use in 30 or 90 days): 10" in result.output
    costs = sheet_rows(tmp_path / "out" / "usage_report.xlsx", "licence cost")[0]
    assert costs["total_cost"] == 1200 and costs["active_users"] == 2
    assert costs["cost_per_active_user"] == 600 and costs["idle_cost"] == 1000
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "£600.00 per active user" in summary and "10 idle licences cost £1,000.00" in summary


def test_without_a_cost_the_cost_sheet_says_how_to_get_one(licence_db, tmp_path):
    run_report(licence_db, tmp_path / "out")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "usage_report.xlsx")["licence cost"]
    assert "--licence-cost" in sheet["A2"].value


def test_active_rates_power_curve_and_retention(licence_db):
    period = Period(date(2021, 5, 1), date(2021, 5, 28))
    built = build_report(connect(licence_db), ReportOptions(period=period))
    rates = built.decisions.rates.set_index(["group", "window"])
    assert rates.loc[("All monitored", "last 7 days"), "active"] == 2
    assert rates.loc[("All monitored", "last 28 days"), "enabled"] == 12
    assert rates.loc[("All monitored", "last 28 days"), "text"] == Proportion(2, 12).text()
    curve = built.decisions.curve.set_index("active_days")
    assert (
        curve.loc[28, "users"] == 1 and curve.loc[1, "users"] == 1 and curve.loc[0, "users"] == 10
    )
    assert curve["users"].sum() == 12
    by_authority = built.decisions.retention
    assert list(by_authority["authority"].unique()) == ["All monitored", "Brent"]
    retention = by_authority[by_authority["authority"] == "All monitored"].set_index("week")
    brent = by_authority[by_authority["authority"] == "Brent"].set_index("week")
    assert retention[["people", "active"]].equals(brent[["people", "active"]])  # all in Brent
    assert str(retention["cohort"].iloc[0]) == "2021-01-04"  # a Monday
    # 1 Feb is day 28 of the licence: week 4; 26 Apr - 2 May is week 16 (p0 from 1 May);
    # week 20 (24-30 May) is not complete on 28 May, so week 19 is the last shown.
    assert retention.loc[4, "active"] == 1 and retention.loc[14, "active"] == 1
    assert retention.loc[16, "active"] == 1 and retention.index.max() == 19
    assert retention.loc[0, "percent"] == 0
    for plot in (plot_active_rates, plot_power_curve, plot_retention):
        ax = plot(built)
        assert "n = " in ax.get_title() + " ".join(t.get_text() for t in ax.get_yticklabels())


def test_suppress_cells_hides_small_retention_counts(licence_db, tmp_path):
    run_report(licence_db, tmp_path / "out", "--suppress-cells")
    rows = sheet_rows(tmp_path / "out" / "usage_report.xlsx", "retention")
    assert rows[0]["week 4"] is None and rows[0]["week 0"] == 0


def _cell_vectors(values: np.ndarray) -> tuple[dict, dict]:
    """Each inner cell and each margin of a table of counts as a 0/1 vector over its people."""
    row = np.repeat(np.indices(values.shape)[0].ravel(), values.ravel())
    column = np.repeat(np.indices(values.shape)[1].ravel(), values.ravel())
    cells = {(i, j): (row == i) & (column == j) for i, j in np.ndindex(values.shape)}
    margins = {(i, values.shape[1]): row == i for i in range(values.shape[0])}
    margins |= {(values.shape[0], j): column == j for j in range(values.shape[1])}
    return cells, margins


def _follows(vector: np.ndarray, shown: list[np.ndarray]) -> bool:
    basis = np.array(shown, dtype=float)
    stacked = np.vstack([basis, vector.astype(float)])
    return np.linalg.matrix_rank(stacked) == np.linalg.matrix_rank(basis)


def test_hide_small_cells_also_hides_a_cell_that_would_give_it_away():
    import pandas as pd

    values = np.array([[2, 10, 12], [10, 10, 10], [7, 8, 0]])
    shown = hide_small_cells(pd.DataFrame(values), 5)
    assert shown.iloc[0, 0] == "<5" and shown.iloc[2, 2] == 0
    assert set(shown.to_numpy().ravel()) - set(range(100)) == {"<5", "[c]"}
    cells, margins = _cell_vectors(values)
    visible = [cells[i, j] for i, j in cells if shown.iloc[i, j] not in ("<5", "[c]")]
    row_totals = [v for (i, j), v in margins.items() if j == values.shape[1]]
    for (i, j), vector in cells.items():
        if shown.iloc[i, j] in ("<5", "[c]"):  # each row's total is known: still hidden
            assert not _follows(vector, [*visible, *row_totals]), (i, j)
            assert values[i, j] < 5 or shown.iloc[i, j] == "[c]"


def test_suppress_cells_hides_the_totals_of_a_table_that_would_give_a_count_away():
    """Frequency x intention with its totals: a row of one small count and zeros has that
    count as its total; a column total of 1 is itself a small count."""
    import pandas as pd

    values = np.array([[2, 0, 0], [4, 4, 0], [4, 3, 0], [3, 1, 1], [0, 0, 0]])
    table = pd.DataFrame(values, columns=["yes", "not sure", "no"])
    table["total"] = table.sum(axis=1)
    table.loc[len(table)] = table.sum()
    shown = hide_small_cells(table, 5, totals="margins")
    cells, margins = _cell_vectors(values)
    every = cells | margins
    hidden = {at for at in every if shown.iloc[at] in ("<5", "[c]")}
    assert {(0, 3), (len(values), 2)} <= hidden  # the total 2 of "most days"; 1 said "no"
    for at, vector in every.items():
        value = int(vector.sum())
        assert at in hidden or not 0 < value < 5, at
        if at in hidden:
            assert shown.iloc[at] == "<5" if 0 < value < 5 else shown.iloc[at] == "[c]"
    visible = [v for at, v in every.items() if at not in hidden]
    everyone = np.ones(values.sum(), dtype=bool)  # the number answering is shown elsewhere
    for at in hidden:
        assert not _follows(every[at], [*visible, everyone]), at


def test_outputs_are_readable_by_colleagues(licence_db, tmp_path):
    old = os.umask(0o022)
    try:
        run_report(licence_db, tmp_path / "out")
    finally:
        os.umask(old)
    for path in (tmp_path / "out").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


ACTIVITY_TABLE = (  # the store contract with the ingest side, for stores made before it
    "CREATE TABLE IF NOT EXISTS activity (person_id INTEGER NOT NULL, period_start TEXT,"
    " period_end TEXT, logins INTEGER, last_login TEXT, ingest_id INTEGER)"
)


def test_licence_activity_gives_use_without_minutes(tmp_path, write_csv):
    """A vendor that sends only login counts: used/unused and last use, minutes unknown."""
    roster = [["Email", "Local Authority", "Licence Start", "Licence End"]]
    roster += [[e, "Ealing", "2021-01-04", "2021-06-30"] for e in emails(6)]
    db = tmp_path / "usage.db"
    path = write_csv(tmp_path / "roster.csv", roster)
    assert CliRunner().invoke(main, ["usage", "ingest", "roster", str(path), "--db", str(db)])
    conn = connect(db)
    conn.execute(ACTIVITY_TABLE)
    logins = [(1, 12, "2021-05-20 08:00:00"), (2, 1, "2021-03-02 09:00:00"), (3, 0, None)]
    conn.executemany("INSERT INTO activity VALUES (?, '2021-05-01', '2021-05-28', ?, ?, 0)", logins)
    period = Period(date(2021, 5, 1), date(2021, 5, 28))
    built = build_report(conn, ReportOptions(period=period))
    people = built.people  # indexed by person id
    assert built.stage("used at least once") == Proportion(2, 6)
    assert people["minutes"].isna().sum() == 3  # logins give no minutes
    assert str(people.loc[1, "last_active"]) == "2021-05-20"
    reclaim = built.decisions.reclaim
    assert 1 not in reclaim.index and {2, 3, 4, 5, 6} == set(reclaim.index)
    assert reclaim.loc[2, "rule"].startswith("no use in the 30 days")  # last login 2 March
    assert built.decisions.curve["users"].isna().all()  # no day-level data: no curve
