"""The charts' own layout, read from the drawn figures: every text and the legend inside
the figure, the legend covering neither the panel nor its labels, group names apart, for
the shipped pilot and for many authorities with long names."""

from __future__ import annotations

import itertools
from datetime import date

import matplotlib
import pytest
from click.testing import CliRunner
from matplotlib.transforms import Bbox

from cli import main
from usage.metrics.build import build_report
from usage.model import Period, ReportOptions
from usage.report.charts import CHARTS
from usage.report.figures import SIZE, save_png
from usage.report.plots import STYLE
from usage.store.database import connect

LONG_NAMES = [
    "Royal Borough of Kingston upon Thames",
    "Royal Borough of Windsor and Maidenhead",
    "Bournemouth, Christchurch and Poole Council",
    "City of Westminster Children's Services",
    "Kensington and Chelsea (Bi-borough)",
    "North East Lincolnshire",
    "Brent",
]


@pytest.fixture
def long_names_db(tmp_path, write_csv):
    """Seven authorities, most with long names, six licences each (three start weeks),
    sessions over four weeks and a survey in four of them."""
    roster = [["Email", "Local Authority", "Team", "Role", "Licence Start", "Licence End"]]
    sessions = [["User ID", "Session Start", "Duration"]]
    survey = [["Email", "Authority", "Frequency", "Continue"]]
    answers = ["Most days", "Several times a week", "Once a week", "Never"]
    for a, authority in enumerate(LONG_NAMES):
        for k in range(6):
            email = f"p{a}x{k}@a{a}.example.gov.uk"
            start = f"2021-03-{1 + 7 * (k % 3):02d}"
            roster.append([email, authority, "Court", "Social worker", start, "2021-03-28"])
            for day in range(1 + 7 * (k % 3), 29, 1 + (a + k) % 4):
                sessions.append([email, f"2021-03-{day:02d} 10:{k:02d}:00", "00:07:00"])
            if a < 4:
                survey.append([email, authority, answers[(a + k) % 4], "Yes"])
    db = tmp_path / "usage.db"
    for kind, rows in (("roster", roster), ("sessions", sessions), ("survey", survey)):
        path = write_csv(tmp_path / f"{kind}.csv", rows)
        result = CliRunner().invoke(main, ["usage", "ingest", kind, str(path), "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


def build(db):
    period = Period(date(2021, 3, 1), date(2021, 3, 28))
    return build_report(connect(db), ReportOptions(period=period))


def drawn_charts(report, out):
    """Each chart's figure, laid out and drawn as the report draws it."""
    with matplotlib.rc_context(STYLE):
        for name, plot in CHARTS.items():
            figure = plot(report).figure
            save_png(figure, out / name)
            yield name, figure


def visible_tick_labels(axis) -> list:
    low, high = sorted(axis.get_view_interval())
    ticks = zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=False)
    return [label for at, label in ticks if low <= at <= high and label.get_text()]


def assert_laid_out(name, figure):
    """Every text and legend inside the figure, the legend clear of the panels and their
    labels, the title clear of the panel, the y tick labels (group names) apart."""
    renderer = figure.canvas.get_renderer()
    inside = Bbox.from_bounds(-0.01, -0.01, *(figure.get_size_inches() + 0.02))
    everything = figure.get_tightbbox(renderer)  # in inches
    assert inside.contains(everything.x0, everything.y0), (name, everything)
    assert inside.contains(everything.x1, everything.y1), (name, everything)
    assert figure.get_figwidth() == SIZE[0] and figure.get_figheight() >= SIZE[1], name
    panel = figure.axes[0]
    assert not panel.title.get_window_extent(renderer).overlaps(panel.bbox), name
    for legend in figure.legends:
        box = legend.get_window_extent(renderer)
        for axes in figure.axes:
            assert not box.overlaps(axes.get_tightbbox(renderer)), name
    labels = [t.get_window_extent(renderer) for t in visible_tick_labels(panel.yaxis)]
    labels.sort(key=lambda box: box.y0)
    for lower, upper in itertools.pairwise(labels):
        assert lower.y1 <= upper.y0, f"{name}: group names overlap"


@pytest.mark.parametrize("store", ["pilot_db", "long_names_db"])
def test_every_text_and_legend_lie_inside_the_figure_covering_nothing(store, request, tmp_path):
    for name, figure in drawn_charts(build(request.getfixturevalue(store)), tmp_path):
        assert_laid_out(name, figure)


def test_hidden_values_draw_nothing_and_break_nothing(pilot_db, tmp_path):
    # Suppression may hide any cell as NaN: a stage, a rate, a week, a day of the curve.
    report = build(pilot_db)
    hidden = ["k", "percent", "ci_low", "ci_high"]
    report.funnel.loc[2, hidden] = float("nan")
    report.decisions.rates.loc[0, ["active", "percent", "ci_low", "ci_high"]] = float("nan")
    report.weekly.loc[1, "active_users"] = float("nan")
    report.decisions.curve.loc[2, "users"] = float("nan")
    figures = dict(drawn_charts(report, tmp_path))
    for name, figure in figures.items():
        assert_laid_out(name, figure)
    active = figures["active_users.png"].axes[0]
    assert sum("active" in t.get_text() for t in active.texts) == 3  # of four bars, one hidden
    assert "gaps: small counts hidden" in figures["weekly_active_users.png"].axes[0].get_title()


def test_long_names_wrap_and_a_full_legend_takes_two_columns(long_names_db, tmp_path):
    figures = dict(drawn_charts(build(long_names_db), tmp_path))
    active = figures["active_users.png"].axes[0]
    names = [t.get_text() for t in active.get_yticklabels()]
    wrapped = "Royal Borough of Windsor and\nMaidenhead (n = 6)"
    assert wrapped in names and all(len(line) <= 32 for n in names for line in n.split("\n"))
    weekly = figures["weekly_active_users.png"]
    [legend] = weekly.legends
    renderer = weekly.canvas.get_renderer()
    columns = {round(t.get_window_extent(renderer).x0) for t in legend.get_texts()}
    assert len(columns) == 2  # three would not fit the width, one would be twice as tall
    assert any("\n" in t.get_text() for t in legend.get_texts())
    assert all(t.get_text().endswith(")") and "(n = " in t.get_text() for t in legend.get_texts())


def test_an_empty_survey_chart_says_why_and_shows_no_key(pilot_db):
    report = build(pilot_db)
    report.survey.frequency = report.survey.frequency.iloc[:0]
    ax = CHARTS["survey_frequency.png"](report)
    assert ax.figure.legends == []
    assert [t.get_text() for t in ax.texts] == ["No survey group is large enough to show."]


def test_survey_answers_hidden_for_publication_show_as_hidden_not_as_missing(pilot_db):
    report = build(pilot_db)
    frequency = report.survey.frequency
    hidden = frequency["answer"] == frequency["answer"].iloc[0]
    frequency.loc[hidden, ["count", "percent"]] = float("nan")  # as --suppress-cells hides it
    ax = CHARTS["survey_frequency.png"](report)
    ends = {}
    for bar in ax.patches:
        y = round(bar.get_y(), 6)
        ends[y] = max(ends.get(y, 0), bar.get_x() + bar.get_width())
    assert ends and all(abs(end - 100) < 1e-6 for end in ends.values())
    [legend] = ax.figure.legends
    assert any(t.get_text().startswith("hidden") for t in legend.get_texts())


def test_the_png_written_decodes_to_the_pixels_drawn(pilot_db, tmp_path):
    """The PNG is written by our own few lines (rows unfiltered): Pillow, a decoder we did
    not write, must read back exactly the pixels the canvas drew, at the printed dpi."""
    import numpy as np
    from PIL import Image

    figure = CHARTS["funnel.png"](build(pilot_db)).figure
    path = save_png(figure, tmp_path / "funnel.png")
    drawn = np.asarray(figure.canvas.buffer_rgba()).copy()
    with Image.open(path) as image:
        assert image.mode == "RGBA" and image.size == (750, 510)
        assert [round(d) for d in image.info["dpi"]] == [150, 150]
        assert np.array_equal(np.asarray(image), drawn)
