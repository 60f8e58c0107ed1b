"""Figures say what their bars are, draw points not bars, give n, and keep legends off data."""

from trials.forest import forest_rows, plot_forest
from trials.plots import COLOURS, plot_arm_means, plot_attenuation, plot_progression


def _tick_text(ax):
    return [t.get_text() for t in ax.get_xticklabels()]


def test_means_are_points_with_95_intervals_and_n(quick_results):
    ax = plot_arm_means(quick_results["blinding"].effects, "score", "sum of three 1-7 ratings")
    assert "95% confidence intervals" in ax.get_title()
    assert not ax.patches  # no bars from zero
    assert len(ax.containers) == 3  # one error bar per arm
    assert all("n = " in t for t in _tick_text(ax))
    assert "white british" in " ".join(_tick_text(ax))  # words, not white_british
    markers = {c.lines[0].get_marker() for c in ax.containers}
    assert len(markers) == 3  # a second signal besides colour


def test_progression_legend_sits_below_the_axes(quick_results):
    ax = plot_progression(quick_results["joint_separate"].tables["cell_rates"])
    anchor = ax.get_legend().get_bbox_to_anchor().transformed(ax.transAxes.inverted())
    assert anchor.y1 < 0  # below the plotting area, over no data
    assert not ax.patches and "95%" in ax.get_title()
    styles = {c.lines[0].get_linestyle() for c in ax.containers}
    assert len(styles) == 2


def test_attenuation_has_intervals_and_n_per_period(quick_results):
    table = quick_results["symbolic_awards"].tables["attenuation"]
    ax = plot_attenuation(table)
    assert len(ax.containers) == 4  # four outcomes with error bars; the average has none
    assert all(t.split("\n")[1][0].isdigit() for t in _tick_text(ax))
    assert set(COLOURS[:4]) <= {c.lines[0].get_color() for c in ax.containers}


def test_forest_prints_g_and_holm_p_beside_every_row(quick_results):
    rows = forest_rows(quick_results["symbolic_awards"])
    ax = plot_forest(rows)
    texts = [t.get_text() for t in ax.texts]
    assert "Holm p" in texts and "g (95% CI)" in texts
    assert sum(" to " in t for t in texts) == len(rows)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Subjective well-being (primary)"
