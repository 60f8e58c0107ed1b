"""Forest plot: every outcome's contrasts as Hedges' g with its 95% interval, primary
outcomes marked, the multiplicity-adjusted (Holm) p-value printed beside each row."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.transforms import ScaledTranslation  # noqa: E402

from trials.analysis import Results, analyse  # noqa: E402
from trials.formatting import format_p  # noqa: E402
from trials.wording import contrast_words  # noqa: E402

PRIMARY = {"marker": "D", "color": "#0072B2", "markerfacecolor": "#0072B2", "markersize": 8}
SECONDARY = {"marker": "o", "color": "#D55E00", "markerfacecolor": "white", "markersize": 7}


def forest_rows(*many: Results) -> pd.DataFrame:
    """One row per contrast of every outcome of the given experiments, in spec order."""
    parts = []
    for results in many:
        effects = results.effects
        direction = {o.name: o.direction for o in results.spec.outcomes}
        single = effects.groupby("outcome")["contrast"].transform("size") == 1
        labels = results.spec.label_map
        label = effects["label"].where(
            single,
            effects["label"]
            + ": "
            + effects["contrast"].map(lambda c, labels=labels: contrast_words(c, labels)),
        )
        lower = effects["outcome"].map(direction) == "decrease"
        parts.append(
            pd.DataFrame(
                {
                    "experiment": results.spec.title,
                    "row": label.where(~lower, label + " (lower is better)"),
                    "role": effects["role"],
                    "g": effects["hedges_g"],
                    "g_low": effects["g_ci_low"],
                    "g_high": effects["g_ci_high"],
                    "p_holm": effects["p_holm"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _layout(rows: pd.DataFrame) -> tuple[list[float], list[tuple[float, str]]]:
    """y positions (top down) with a header line before each experiment when several."""
    several = rows["experiment"].nunique() > 1
    y, ys, headers = 0.0, [], []
    for experiment, part in rows.groupby("experiment", sort=False):
        if several:
            headers.append((y, experiment))
            y -= 1
        ys += [y - i for i in range(len(part))]
        y -= len(part) + (0.5 if several else 0)
    return ys, headers


def _column_text(ax, x: float, y: float, text: str, **style) -> None:
    """Text beside the plot: x in axes fractions, y in data units (a row)."""
    ax.text(x, y, text, transform=ax.get_yaxis_transform(), va="center", fontsize=9, **style)


def _rows(ax, rows: pd.DataFrame, ys: list[float]) -> None:
    for y, row in zip(ys, rows.itertuples(), strict=True):
        style = PRIMARY if row.role == "primary" else SECONDARY
        ax.plot([row.g_low, row.g_high], [y, y], color=style["color"], linewidth=1.6)
        ax.plot([row.g], [y], linestyle="none", markeredgecolor=style["color"], **style)
        _column_text(ax, 1.03, y, f"{row.g:.2f} ({row.g_low:.2f} to {row.g_high:.2f})")
        _column_text(ax, 1.45, y, format_p(row.p_holm))


def _key(ax) -> None:
    """Legend and the multiplicity note, below the axes so they cover no data."""
    for style, label in ((PRIMARY, "primary outcome"), (SECONDARY, "secondary outcome")):
        ax.plot([], [], linestyle="none", markeredgecolor=style["color"], label=label, **style)
    ax.text(
        0.5,
        0,
        "Holm p: adjusted across every outcome and contrast of the same experiment.",
        transform=_below(ax, 0.85),
        ha="center",
        va="top",
        fontsize=8,
    )
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=_below(ax, 0.5),
        ncol=2,
        frameon=False,
    )


def plot_forest(rows: pd.DataFrame, ax=None):
    """Draw the forest of ``rows`` (from :func:`forest_rows`) on ``ax`` and return it."""
    ys, headers = _layout(rows)
    if ax is None:
        ax = plt.subplots(figsize=(5.2, 1.2 + 0.38 * (len(ys) + len(headers))))[1]
    _rows(ax, rows, ys)
    for y, experiment in headers:
        ax.text(
            -0.02,
            y,
            experiment,
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontweight="bold",
            fontsize=9,
        )
    top = max(ys + [h[0] for h in headers]) + 0.8
    _column_text(ax, 1.03, top, "g (95% CI)", fontweight="bold")
    _column_text(ax, 1.45, top, "Holm p", fontweight="bold")
    ax.set_yticks(ys, [_bold_primary(r) for r in rows.itertuples()])
    ax.set_ylim(min(ys) - 0.8, top + 0.5)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("Hedges' g (standardised mean difference)")
    ax.set_title("Effects on every outcome, Hedges' g with 95% confidence intervals", loc="left")
    _key(ax)
    return ax


def _below(ax, inches: float):
    """Axes coordinates shifted down by a fixed distance, whatever the figure's height."""
    return ax.transAxes + ScaledTranslation(0, -inches, ax.figure.dpi_scale_trans)


def _bold_primary(row) -> str:
    """The row's label, with '(primary)' after primary outcomes."""
    return f"{row.row} (primary)" if row.role == "primary" else row.row


def forest_of(pairs: list[tuple[str, str]], path) -> Path:
    """Analyse each (spec, data) pair and write one forest plot of all their outcomes."""
    from common.files import write_atomically
    from trials.data import load_data
    from trials.spec import load_spec

    many = []
    for spec_path, data_path in pairs:
        spec = load_spec(spec_path)
        many.append(analyse(load_data(data_path, spec)))
    ax = plot_forest(forest_rows(*many))
    write_atomically(
        Path(path),
        lambda tmp: ax.figure.savefig(tmp, format="png", dpi=200, bbox_inches="tight"),
    )
    plt.close(ax.figure)
    return Path(path)
