"""The report on the shipped fixtures reproduces the pilot; statistics checked independently."""

import math
import sqlite3

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from usage.ingest import ingest
from usage.metrics.build import build_report
from usage.metrics.stats import Proportion, gini, top_share, wilson_interval
from usage.model import ReportOptions
from usage.report.plots import plot_funnel, plot_survey_frequency, plot_weekly_active_users
from usage.report.publish import report
from usage.report.workbook import write_workbook
from usage.store.database import connect

NOW = pd.Timestamp("2021-06-01", tz="UTC")


@pytest.fixture
def pilot_report(pilot_db):
    return build_report(connect(pilot_db), ReportOptions())


def test_pilot_figures(pilot_report):
    assert pilot_report.stage("used at least once") == Proportion(15, 20)
    assert pilot_report.stage("more than 5 sessions") == Proportion(3, 20)
    assert pilot_report.survey.intention_share("yes") == Proportion(17, 22)
    assert pilot_report.survey.intention_share("yes").text().startswith("17 of 22 (77%")
    assert pilot_report.unmonitored == ["Coventry"]
    # Everyone but the three heavy users logged under 10 minutes: 17 licences to review.
    assert len(pilot_report.review) == 17 and pilot_report.review["minutes"].max() < 10


def test_survey_frequency_matches_pilot(pilot_report):
    freq = pilot_report.survey.frequency
    coventry = freq[freq["group"] == "Coventry"].set_index("answer")["count"]
    assert coventry["most days"] == 2
    low = coventry[["once a week", "less than once a week", "never"]].sum()
    assert low == 12 and low / 22 > 0.5  # "just over half"


def test_wilson_interval_matches_the_closed_form():
    # the closed form by hand: k=17, n=22, z=1.96
    p, n, z = 17 / 22, 22, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson_interval(17, 22) == pytest.approx((centre - half, centre + half))


def test_wilson_interval_equals_statsmodels_on_many_values():
    from statsmodels.stats.proportion import proportion_confint

    cases = [
        (k, n)
        for n in (*range(1, 41), 52, 99, 100, 1000, 2000, 10**6)
        for k in (0, 1, n // 3, n // 2, n - 1, n)
        if 0 <= k <= n
    ]
    cases += [(k, 23) for k in range(24)]
    for k, n in cases:
        for alpha in (0.05, 0.1, 0.01):
            low, high = proportion_confint(k, n, alpha=alpha, method="wilson")
            assert wilson_interval(k, n, alpha) == pytest.approx((low, high), abs=1e-12), (k, n)
    assert all(map(math.isnan, wilson_interval(0, 0)))  # no interval of nothing


def test_the_report_never_imports_statsmodels(pilot_db, tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from usage.model import ReportOptions;"
        "from usage.report.publish import report;"
        f"report(Path({str(pilot_db)!r}), ReportOptions(), Path({str(tmp_path)!r}));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('statsmodels', 'scipy')));"
        "from usage.report.publish import _can_fork;"
        "print(_can_fork(), 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported, forked = out.stdout.splitlines()
    assert imported == "[]"
    # Where a child draws the charts, this process never loads matplotlib.
    assert forked in ("True False", "False True")


def test_gini_and_top_share_known_values():
    assert gini([1, 1, 1, 1]) == pytest.approx(0)
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n-1)/n when one person has all
    assert top_share([10, 5, 3, 1, 1], 3) == pytest.approx(18 / 20)


def test_small_groups_are_suppressed(pilot_db):
    built = build_report(connect(pilot_db), ReportOptions(min_group=8))
    teams = built.funnel[built.funnel["grouping"] == "team"]
    small = teams[teams["n"] < 8]
    assert len(small) and small["k"].isna().all()
    assert small["text"].str.startswith("suppressed").all()


def test_thresholds_are_options(pilot_db):
    built = build_report(connect(pilot_db), ReportOptions(min_sessions=1))
    assert built.stage("more than 1 sessions").k > 3


def test_logs_and_survey_compared_where_an_authority_has_both(pilot_db, tmp_path, write_csv):
    rows = [["Authority", "Frequency", "Continue"]] + [["Brent", "Most days", "Yes"]] * 6
    ingest(pilot_db, "survey", write_csv(tmp_path / "brent_survey.csv", rows), now=NOW)
    built = build_report(connect(pilot_db), ReportOptions())
    brent = built.comparison.set_index("frequency")
    assert brent.loc["most days", "survey_percent"] == 100
    assert brent.loc["never", "logs_percent"] == 25  # 5 of 20 licences never used
    files = report(pilot_db, ReportOptions(), tmp_path / "out")
    assert "often disagree" in files.summary.read_text()


def test_untrusted_text_cannot_become_a_formula(tmp_path, write_csv):
    db = tmp_path / "u.db"
    rows = [["Email", "Authority", "Team"]] + [
        [f"p{i}@x.gov.uk", "Brent", '=HYPERLINK("http://evil","x")'] for i in range(5)
    ]
    ingest(db, "roster", write_csv(tmp_path / "r.csv", rows), now=NOW)
    sessions = [["User", "Start", "Duration"], ["p0@x.gov.uk", "2021-03-01 10:00", "00:05:00"]]
    ingest(db, "sessions", write_csv(tmp_path / "s.csv", sessions), now=NOW)
    built = build_report(connect(db), ReportOptions())
    path = write_workbook(built, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path)["per licence"]
    teams = [
        c
        for row in sheet.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")
    ]
    assert teams and all(c.data_type == "s" and c.quotePrefix for c in teams)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/work"))
    assert b"<f>" not in xml


def test_report_files_and_plots(pilot_db, tmp_path):
    files = report(pilot_db, ReportOptions(), tmp_path / "out")
    assert {p.name for p in files.paths} == {
        "usage_report.xlsx",
        "summary.md",
        "funnel.png",
        "minutes_per_person.png",
        "weekly_active_users.png",
        "survey_frequency.png",
        "active_users.png",
        "power_users.png",
        "retention.png",
        "agreement.png",
    }
    assert all(p.stat().st_size > 1000 for p in files.paths)
    summary = files.summary.read_text()
    assert "15 of 20 (75%" in summary and "Would keep using it: 17 of 22 (77%" in summary
    assert "two said most days" in summary
    sheets = openpyxl.load_workbook(files.workbook).sheetnames
    assert "funnel" in sheets and "licence review" in sheets and "free text" not in sheets


def test_charts_drawn_in_a_forked_process_are_the_charts_drawn_here(
    pilot_db, tmp_path, monkeypatch
):
    from matplotlib.image import imread

    from usage.report import publish
    from usage.report.charts import CHARTS

    if not publish._can_fork():
        pytest.skip("no fork or a single core here: the report draws every chart itself")
    forked = report(pilot_db, ReportOptions(), tmp_path / "forked")
    monkeypatch.setattr(publish, "_can_fork", lambda: False)
    here = report(pilot_db, ReportOptions(), tmp_path / "here")
    assert [p.name for p in forked.charts] == [p.name for p in here.charts] == list(CHARTS)
    for a, b in zip(forked.charts, here.charts, strict=True):
        assert (imread(a) == imread(b)).all(), a.name
    assert forked.summary.read_text() == here.summary.read_text()


def test_a_chart_process_that_dies_leaves_the_charts_to_this_one(pilot_db, tmp_path, monkeypatch):
    import os

    from usage.report import charts, publish

    if not publish._can_fork():
        pytest.skip("no fork or a single core here: the report draws every chart itself")
    parent, draw = os.getpid(), charts.save_charts
    # the chart process dies as it starts to draw; this one draws as ever
    monkeypatch.setattr(
        charts, "save_charts", lambda *a: draw(*a) if os.getpid() == parent else os._exit(1)
    )
    files = report(pilot_db, ReportOptions(), tmp_path / "out")
    assert [p.name for p in files.charts] == list(charts.CHARTS)
    assert all(p.stat().st_size > 1000 for p in files.charts)


def test_a_chart_helper_that_dies_leaves_its_charts_to_the_chart_process(
    pilot_db, tmp_path, monkeypatch
):
    import os

    from usage.report import charts, publish

    if not publish._can_fork():
        pytest.skip("no fork or a single core here: the report draws every chart itself")
    parent, draw = os.getpid(), charts.save_charts
    drawn_by = tmp_path / "drawn_by"
    drawn_by.mkdir()

    def die_in_helper(*args):  # the helper is forked by the chart process, not by this one
        if os.getpid() != parent and os.getppid() != parent:
            os._exit(1)
        (drawn_by / str(os.getpid())).touch()
        return draw(*args)

    monkeypatch.setattr(charts, "save_charts", die_in_helper)
    files = report(pilot_db, ReportOptions(), tmp_path / "out")
    assert [p.name for p in files.charts] == list(charts.CHARTS)
    assert all(p.stat().st_size > 1000 for p in files.charts)
    assert str(parent) not in {p.name for p in drawn_by.iterdir()}  # the chart process drew


def test_plot_functions_draw_on_the_axes_given(pilot_report):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert plot_funnel(pilot_report, ax=ax) is ax
    assert ax.get_title() and "%" in ax.get_xlabel()
    ax = plot_weekly_active_users(pilot_report)
    assert ax.get_ylabel() == "Licences active in the week (%)"
    [legend] = ax.figure.legends  # below the panel, naming each line with its n
    assert all("(n = " in text.get_text() for text in legend.get_texts())
    assert ax.get_ylim() == (0, 100)
    assert all("2021" in t.get_text() for t in ax.get_xticklabels())
    ax = plot_survey_frequency(pilot_report)
    labels = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert labels == [
        "most days",
        "several times a week",
        "once a week",
        "less than once a week",
        "never",
    ]


def test_free_text_only_when_asked(pilot_db, tmp_path):
    files = report(pilot_db, ReportOptions(show_free_text=True), tmp_path / "out")
    assert "free text" in openpyxl.load_workbook(files.workbook).sheetnames
    assert "accents" not in files.summary.read_text()


def test_weekly_active_users_cover_every_week(pilot_report):
    weekly = pilot_report.weekly
    assert weekly["week"].tolist() == [0, 1, 2, 3]
    assert (weekly["active_users"] <= 15).all() and weekly["active_users"].sum() > 0


def test_people_absent_from_logs_count_as_zero(pilot_db):
    with sqlite3.connect(pilot_db) as conn:
        conn.execute("DELETE FROM totals")
    built = build_report(connect(pilot_db), ReportOptions())
    assert built.stage("licensed").n == 20 and built.stage("used at least once").k == 15


def test_totals_of_a_longer_period_are_not_counted_in_a_shorter_one(pilot_db, fixture_dir):
    """Brent's totals cover 1-28 March. For the week of 8 March only the session log can say
    who used the app; a month's totals (or a last use after the week) must not count."""
    from datetime import date

    from usage.model import Period

    sessions = pd.read_csv(fixture_dir / "brent_sessions.csv")
    day = pd.to_datetime(sessions["Session Start"], format="%d/%m/%Y %H:%M:%S")
    in_week = sessions[(day >= "2021-03-08") & (day < "2021-03-15")]["User ID"].nunique()
    by_then = sessions[day < "2021-03-15"]["User ID"].nunique()
    week = Period(date(2021, 3, 8), date(2021, 3, 14))
    built = build_report(connect(pilot_db), ReportOptions(period=week))
    assert built.stage("used at least once") == Proportion(in_week, 20)
    assert len(built.decisions.reclaim) == 20 - by_then  # never used by 14 March
    assert (built.people["last_active"].dropna() <= date(2021, 3, 14)).all()
    assert built.left_out == {"totals": 14}
    assert "left out of this period's figures" in " ".join(built.left_out_text())
    whole = build_report(connect(pilot_db), ReportOptions())
    assert whole.left_out == {} and whole.stage("used at least once") == Proportion(15, 20)


def test_a_short_last_week_is_marked_and_left_out_of_the_chart(pilot_db):
    from datetime import date

    from usage.model import Period

    period = Period(date(2021, 3, 1), date(2021, 3, 30))  # four weeks and two days
    built = build_report(connect(pilot_db), ReportOptions(period=period))
    brent = built.weekly[built.weekly["authority"] == "Brent"]
    assert brent["days"].tolist() == [7, 7, 7, 7, 2]
    ax = plot_weekly_active_users(built)
    assert len(ax.get_lines()[0].get_xdata()) == 4 and "whole weeks" in ax.get_xlabel()


@pytest.mark.parametrize("where", ["chart process", "its helper"])
def test_a_chart_the_system_refuses_in_the_child_is_the_users_message(
    pilot_db, tmp_path, monkeypatch, where
):
    import os

    from common.files import CannotWrite
    from usage.report import charts, publish

    if not publish._can_fork():
        pytest.skip("no fork or a single core here")
    parent, draw = os.getpid(), charts.save_charts

    def refuse_in_child(built, out_dir, *names):
        child = os.getppid() == parent if where == "chart process" else os.getppid() != parent
        if os.getpid() != parent and child:
            raise CannotWrite(f"cannot write {out_dir / 'funnel.png'}", "Read-only file system")
        return draw(built, out_dir, *names)

    monkeypatch.setattr(charts, "save_charts", refuse_in_child)
    with pytest.raises(CannotWrite) as refused:
        report(pilot_db, ReportOptions(), tmp_path / "out")
    assert (
        str(refused.value)
        == f"cannot write {tmp_path / 'out' / 'funnel.png'}: Read-only file system"
    )


def test_regular_use_is_unknown_not_zero_without_weekly_data(roster_db, fixture_dir):
    """Totals give no weeks: three Brent licences had more than 5 sessions, and whether any
    was regular the vendor's file cannot say."""
    ingest(roster_db, "totals", fixture_dir / "brent_totals.csv", now=NOW)
    built = build_report(connect(roster_db), ReportOptions())
    regular = built.funnel[built.funnel["stage"].str.startswith("regular")].iloc[0]
    assert regular["k"] != regular["k"] and regular["text"].startswith("unknown")
    assert built.stage("more than 5 sessions") == Proportion(3, 20)


def test_a_bug_in_the_chart_helper_is_raised_not_hidden(pilot_report, tmp_path, monkeypatch):
    import os

    from usage.report import charts

    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    parent, draw = os.getpid(), charts.save_charts

    def fail_in_helper(*args):
        if os.getpid() != parent:
            raise KeyError("a bug")
        return draw(*args)

    monkeypatch.setattr(charts, "save_charts", fail_in_helper)
    with pytest.raises(RuntimeError, match="KeyError: 'a bug'"):
        charts.save_charts_in_two(pilot_report, tmp_path)


def test_the_charts_shared_between_two_processes_are_every_chart(pilot_report, tmp_path):
    import os

    from usage.report.charts import CHARTS, COSTLIEST_FIRST, save_charts_in_two

    assert sorted(COSTLIEST_FIRST) == sorted(CHARTS)
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    paths = save_charts_in_two(pilot_report, tmp_path / "charts")
    assert [p.name for p in paths] == list(CHARTS)
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted(CHARTS)


def test_a_child_that_dies_reading_the_log_leaves_it_to_this_process(
    pilot_db, tmp_path, monkeypatch
):
    import os

    from usage.report import charts, publish
    from usage.store import load

    if not publish._can_fork():
        pytest.skip("no fork or a single core here: the report reads the log itself")
    whole = report(pilot_db, ReportOptions(), tmp_path / "whole")
    parent, read = os.getpid(), load.session_rows
    monkeypatch.setattr(
        load, "session_rows", lambda *a: read(*a) if os.getpid() == parent else os._exit(1)
    )
    files = report(pilot_db, ReportOptions(), tmp_path / "out")
    assert files.summary.read_text() == whole.summary.read_text()
    assert [p.name for p in files.charts] == list(charts.CHARTS)
    assert all(p.stat().st_size > 1000 for p in files.charts)


def test_no_ingest_commits_while_the_report_reads_the_store(pilot_db, tmp_path, monkeypatch):
    """Both processes read the log in one state of the store: the report holds its read
    transaction until both halves are read, so a write meanwhile cannot commit."""
    from usage.report import publish

    if not publish._can_fork():
        pytest.skip("no fork or a single core here: the report reads the log itself")
    real_build, refused = publish.build_report, []

    def build_while_an_ingest_tries(conn, options, later):
        writer = sqlite3.connect(pilot_db, timeout=0)
        try:
            writer.execute("CREATE TABLE during_report (x)")
            writer.commit()
        except sqlite3.OperationalError as error:
            refused.append(str(error))
        finally:
            writer.close()
        return real_build(conn, options, later)

    monkeypatch.setattr(publish, "build_report", build_while_an_ingest_tries)
    report(pilot_db, ReportOptions(), tmp_path / "out")
    assert refused == ["database is locked"]


@pytest.mark.parametrize("suppress", [[], ["--suppress-cells"]])
@pytest.mark.parametrize(
    "store, options",
    [
        ("roster_db", []),  # no logs or survey yet
        ("pilot_db", ["--min-group", "30"]),  # every group too small
        ("pilot_db", ["--from", "2021-03-01", "--to", "2021-03-03"]),  # no whole week
    ],
)
def test_a_store_with_little_to_show_still_reports(store, options, suppress, request, tmp_path):
    db = request.getfixturevalue(store)
    out = tmp_path / "out"
    args = ["usage", "report", "--db", str(db), "--out", str(out), *options, *suppress]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 10  # the workbook, the summary and eight charts
