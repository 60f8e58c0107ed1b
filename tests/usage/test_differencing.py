"""No suppressed figure can be worked out from the figures shown (complementary suppression).

The generated roster is built to tempt subtraction (minimum group 5):

- Ash (3 licences) is small; Birch (6) is then the smallest other authority, hidden too,
  and Birch's only team holds all six of its people: shown, it would be Birch itself.
- Cedar's teams are 5 and 4: the 4 is small, so the 5 must go as well.
- Roles: 4 senior practitioners in all; the other role is everyone else.
- Two licence-start cohorts, so retention splits by authority and by cohort.

Counts of people (used, regular, active, retained) add up over groups of people. A hidden
group's count can be recovered from the shown ones exactly when its members' indicator
vector is a combination of the shown groups' vectors; the tests check it never is.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from usage.ingest import ingest
from usage.metrics.build import build_report
from usage.model import Period, ReportOptions
from usage.store.database import connect

NOW = pd.Timestamp("2021-06-01", tz="UTC")
TEAMS = {
    "Ash": {"A1": 3},
    "Birch": {"B1": 6},
    "Cedar": {"C1": 5, "C2": 4},
    "Dale": {"D1": 7, "D2": 6},
}
SENIORS = {"Cedar-C1-0", "Dale-D1-0", "Dale-D2-0", "Dale-D2-1"}


def _people() -> list[dict]:
    people = []
    for authority, teams in TEAMS.items():
        for team, size in teams.items():
            for i in range(size):
                name = f"{authority}-{team}-{i}"
                people.append(
                    {
                        "Email": f"{name.lower()}@example.gov.uk",
                        "Authority": authority,
                        "Team": team,
                        "Role": "Senior practitioner" if name in SENIORS else "Social worker",
                        "Licence Start": "2021-01-04" if i % 2 else "2021-02-01",
                        "Licence End": "2021-12-31",
                    }
                )
    return people


@pytest.fixture(scope="module")
def tempting_db(tmp_path_factory):
    """The generated store."""
    folder = tmp_path_factory.mktemp("differencing")
    people = pd.DataFrame(_people())
    people.to_csv(folder / "roster.csv", index=False)
    rng = np.random.default_rng(7)
    rows = []
    for n, email in enumerate(people["Email"]):
        # Everyone different: person n uses the app on n % 9 days spread over the spring.
        for day in sorted(rng.choice(np.arange(40, 140), size=n % 9, replace=False)):
            start = pd.Timestamp("2021-01-01") + pd.Timedelta(days=int(day), hours=10)
            rows.append({"User ID": email, "Session Start": f"{start:%Y-%m-%d %H:%M:%S}"})
    sessions = pd.DataFrame(rows).assign(Duration="00:05:00")
    sessions.to_csv(folder / "sessions.csv", index=False)
    db = folder / "usage.db"
    ingest(db, "roster", folder / "roster.csv", now=NOW)
    ingest(db, "sessions", folder / "sessions.csv", now=NOW)
    return db


def _build(db, **options):
    period = Period(date(2021, 1, 4), date(2021, 5, 30))
    return build_report(connect(db), ReportOptions(period=period, **options))


@pytest.fixture(scope="module")
def tempting(tempting_db):
    return _build(tempting_db)


def _members(people: pd.DataFrame, grouping: str, label: str) -> np.ndarray:
    if grouping == "all":
        return np.ones(len(people))
    if grouping == "team":
        keys = people["authority"] + " / " + people["team"]
    else:
        keys = people[grouping]
    return (keys == label).to_numpy(dtype=float)


def _recoverable(hidden: np.ndarray, shown: list[np.ndarray]) -> bool:
    """True if ``hidden`` is a linear combination of the ``shown`` vectors."""
    if not shown:
        return False
    basis = np.array(shown)
    return np.linalg.matrix_rank(np.vstack([basis, hidden])) == np.linalg.matrix_rank(basis)


def test_the_case_tempts_every_kind_of_subtraction(tempting):
    funnel = tempting.funnel.drop_duplicates("group").set_index("group")
    assert funnel.loc["Ash", "text"].startswith("suppressed")
    assert funnel.loc["Birch", "text"].startswith("suppressed (would reveal")
    assert funnel.loc["Cedar / C2", "text"].startswith("suppressed")
    assert funnel.loc["Cedar / C1", "text"].startswith("suppressed (would reveal")


def test_no_hidden_group_follows_from_the_shown_ones(tempting):
    people = tempting.people[tempting.people["monitored"]]
    groups = tempting.funnel.drop_duplicates("group")
    shown, hidden = [], []
    for grouping, label, text in zip(
        groups["grouping"], groups["group"], groups["text"], strict=True
    ):
        vector = _members(people, grouping, label)
        (hidden if text.startswith("suppressed") else shown).append((label, vector))
    assert hidden, "the case must hide something"
    for label, vector in hidden:
        assert not _recoverable(vector, [v for _, v in shown]), label


def test_a_hidden_authority_is_hidden_in_every_table(tempting):
    hidden = {"Ash", "Birch"}
    assert not hidden & set(tempting.weekly["authority"])
    rates = tempting.decisions.rates
    assert rates[rates["group"].isin(hidden)]["active"].isna().all()
    retention = tempting.decisions.retention
    assert retention[retention["authority"].isin(hidden)]["active"].isna().all()


def test_retention_by_authority_gives_no_hidden_cohort_away(tempting):
    people = tempting.people[tempting.people["monitored"]]
    retention = tempting.decisions.retention
    assert {"All monitored", "Cedar", "Dale"} <= set(retention["authority"])
    rows = retention.drop_duplicates(["authority", "cohort"])
    start = pd.to_datetime(people["licence_start"]).dt.date
    cohort_of = {d: d - pd.Timedelta(days=d.weekday()) for d in set(start)}
    shown, hidden = [], []
    for authority, cohort, active in zip(
        rows["authority"], rows["cohort"], rows["active"], strict=True
    ):
        in_cohort = start.map(cohort_of) == cohort
        mine = (
            in_cohort
            if authority == "All monitored"
            else in_cohort & (people["authority"] == authority)
        )
        (hidden if active != active else shown).append((authority, mine.to_numpy(dtype=float)))
    assert hidden
    for label, vector in hidden:
        assert not _recoverable(vector, [v for _, v in shown]), label


def test_suppress_cells_never_leaves_one_hidden_count_under_a_shown_total(tempting_db):
    retention = _build(tempting_db, suppress_cells=True).decisions.retention
    small = (retention["active"] > 0) & (retention["active"] < 5)
    assert not small.any()
    checked = 0
    for _, rows in retention.groupby(["cohort", "week"]):
        total = rows[rows["authority"] == "All monitored"]["active"]
        parts = rows[rows["authority"] != "All monitored"]["active"]
        if total.notna().all():
            assert parts.isna().sum() != 1
            checked += 1
    assert checked


def _retention_week(active: list[float]) -> dict[str, bool]:
    """Which counts one cohort's week hides, everyone's first, then Ash, Birch and Cedar's
    (20 people each)."""
    from usage.metrics.cells import hide_retention_cells

    table = pd.DataFrame(
        {
            "authority": ["All monitored", "Ash", "Birch", "Cedar"],
            "cohort": [date(2021, 1, 4)] * 4,
            "people": [60, 20, 20, 20],
            "week": [0] * 4,
            "active": active,
            "hidden": [False] * 4,
        }
    ).assign(percent=lambda t: 100 * t["active"] / t["people"])
    hide_retention_cells(table, "All monitored", 5)
    assert (table["active"].isna() == table["percent"].isna()).all()
    return table.set_index("authority")["percent"].isna().to_dict()


def test_one_small_retention_count_takes_the_next_smallest_with_it():
    assert _retention_week([25.0, 3.0, 10.0, 12.0]) == {
        "All monitored": False,
        "Ash": True,  # 3 is small
        "Birch": True,  # else 25 - 12 - 10 gives Ash's 3
        "Cedar": False,
    }


@pytest.mark.parametrize("seed", range(4))
def test_random_rosters_leave_no_hidden_group_recoverable(seed):
    from usage.metrics.build import groupings

    rng = np.random.default_rng(seed)
    roles = ["Social worker", "Senior practitioner", "Team manager", "Assistant"]
    rows = [
        {"authority": f"LA {a}", "team": f"T{t}", "role": roles[int(rng.integers(0, 4))]}
        for a in range(5)
        for t in range(int(rng.integers(1, 8)))
        for _ in range(int(rng.integers(1, 13)))
    ]
    monitored = pd.DataFrame(rows)
    groups = groupings(monitored, ReportOptions())
    vectors = [monitored.index.isin(rows.index).astype(float) for _, _, rows, _ in groups]
    shown = [v for v, group in zip(vectors, groups, strict=True) if group[3] is None]
    hidden = [(g[1], v) for v, g in zip(vectors, groups, strict=True) if g[3] is not None]
    assert hidden
    for label, vector in hidden:
        assert not _recoverable(vector, shown), label


def test_the_per_licence_sheet_names_no_group_the_tables_hide(tempting):
    from usage.report.sheets import licence_rows

    rows = licence_rows(tempting, tempting.people)
    assert not {"Ash", "Birch"} & set(rows["authority"])
    assert "C1" not in set(rows.loc[rows["authority"] == "Cedar", "team"])
    assert tempting.hidden[("role", "Social worker")].startswith("suppressed")
    assert "Social worker" not in set(rows["role"])  # its rows would add up to its figures
    assert set(rows.loc[rows["authority"] == "Dale", "team"]) == {"D1", "D2"}


def test_logs_beside_the_survey_leave_out_a_hidden_authority(tempting_db, tmp_path):
    """Birch is hidden (it would give Ash away); its people answer the survey, so the survey
    tables could otherwise show Birch's logged use beside their answers."""
    people = pd.DataFrame(_people())
    birch = people[people["Authority"] == "Birch"]
    survey = pd.DataFrame(
        {
            "Email": birch["Email"],
            "Authority": "Birch",
            "How often did you use it?": "Several times a week",
            "Would you keep using it?": "Yes",
        }
    )
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    db = tmp_path / "usage.db"
    import shutil

    shutil.copy(tempting_db, db)
    shutil.copy(f"{tempting_db}.key", f"{db}.key")
    ingest(db, "survey", path, now=NOW)
    built = _build(db)
    assert built.survey.responses["authority"].eq("Birch").sum() == 6
    assert "Birch" not in set(built.comparison.get("authority", []))
    assert "Birch" not in set(built.agreement.summary.get("authority", []))


def test_suppress_cells_leaves_no_small_funnel_count_shown_or_recoverable(tempting_db):
    """Each stage's k of n, with n shown, shows the k who reached it and the n - k who did
    not: neither may be small, nor follow from the other groups' shown counts."""
    report = _build(tempting_db, suppress_cells=True)
    people = report.people[report.people["monitored"]]
    reached = {
        "used at least once": (people["sessions"] > 0) | (people["minutes"] > 0),
        "more than 5 sessions": people["sessions"] > 5,
    }
    checked = 0
    for stage, who in reached.items():
        rows = report.funnel[report.funnel["stage"] == stage]
        rows = rows[~rows["text"].str.startswith("suppressed")]
        shown, hidden = [], []
        for grouping, label, k, n, text in zip(
            rows["grouping"], rows["group"], rows["k"], rows["n"], rows["text"], strict=True
        ):
            members = _members(people, grouping, label)
            cell = members * who.to_numpy(dtype=float)
            shown.append(members)  # n is shown
            if k == k:
                assert not 0 < k < 5 and not 0 < n - k < 5, (stage, label)
                shown.append(cell)
            else:
                assert text.split(" of ")[0] in ("<5", "[c]"), text
                hidden.append((label, cell))
        assert hidden, stage
        for label, cell in hidden:
            assert not _recoverable(cell, shown), (stage, label)
            checked += 1
    assert checked >= 4


def test_suppress_cells_shows_no_small_count_in_any_table_and_still_draws(tempting_db, tmp_path):
    from usage.report.publish import report

    period = Period(date(2021, 1, 4), date(2021, 5, 30))
    options = ReportOptions(period=period, suppress_cells=True)
    files = report(tempting_db, options, tmp_path)
    assert all(path.stat().st_size for path in files.paths)  # every chart drawn
    built = files.report
    counts = {
        "funnel": built.funnel[["k", "n"]].assign(rest=lambda t: t["n"] - t["k"])[["k", "rest"]],
        "no use": built.distribution[["zero_use"]],
        "active users": built.decisions.rates[["active"]],
        "users by active days": built.decisions.curve[["users"]],
        "weekly active users": built.weekly[["active_users"]].assign(
            rest=built.weekly["licensed"] - built.weekly["active_users"]
        ),
    }
    hidden = 0
    for name, table in counts.items():
        values = table.apply(pd.to_numeric, errors="coerce")
        assert not ((values > 0) & (values < 5)).any().any(), name
        hidden += int(values.isna().sum().sum())
    assert hidden  # the case has small counts to hide


def test_one_small_weekly_count_takes_another_with_it():
    """Everyone's weekly count is as good as shown (retention's "All monitored" row, where
    licences start with the period), so a week's small count never stands alone hidden."""
    from usage.metrics.cells import hide_weekly_cells

    authority = pd.Series(["Ash"] * 20 + ["Birch"] * 20 + ["Cedar"] * 20, index=range(60))
    active = {"Ash": 3, "Birch": 10, "Cedar": 12}  # week 0; week 1: everyone
    person = [i for name, k in active.items() for i in authority.index[authority == name][:k]]
    person += list(range(60))
    week = [0] * (len(person) - 60) + [1] * 60
    weekly = pd.DataFrame(
        [(name, w, k if w == 0 else 20, 20) for w in (0, 1) for name, k in active.items()],
        columns=["authority", "week", "active_users", "licensed"],
    )
    hide_weekly_cells(weekly, (np.array(person), np.array(week)), authority, {}, 5)
    hidden = weekly[weekly["active_users"].isna()]
    assert set(zip(hidden["authority"], hidden["week"], strict=True)) == {("Ash", 0), ("Birch", 0)}


def test_a_small_partial_count_is_not_given_away_by_everyone_s():
    from usage.metrics.cells import hide_partial_cells

    authority = pd.Series(["Ash"] * 3 + ["Birch"] * 9)
    table = pd.DataFrame(
        {
            "group": ["All respondents", "Ash", "Birch"],
            "finished": [40, 20, 20],
            "partial": [12, 3, 9],
        }
    )
    hide_partial_cells(table, authority, 5)
    assert table["partial"].tolist() == [12, "<5", "[c]"]  # else 12 - 9 gives Ash's 3


def test_a_retention_share_that_gives_away_a_small_rest_is_hidden():
    """19 of 20 active is 95%: it tells of the one who was not."""
    assert _retention_week([48.0, 19.0, 15.0, 14.0]) == {
        "All monitored": False,
        "Ash": True,  # 1 of 20 inactive
        "Birch": False,
        "Cedar": True,  # else 48 - 15 - 14 gives Ash's 19
    }
