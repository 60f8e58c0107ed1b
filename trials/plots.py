"""Figures: each function draws on the ``ax`` it is given (or a new one) and returns it."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from trials.analysis import Results  # noqa: E402

COLOURS = ["#1b6ca8", "#e07b39", "#3a9a5b", "#8e5ea2"]


def _ax(ax):
    return ax if ax is not None else plt.subplots(figsize=(5, 4))[1]


def plot_arm_means(effects: pd.DataFrame, outcome: str, scale: str = "", ax=None):
    """Adjusted arm means with +/- 1 SE error bars for one outcome, as in the report."""
    ax = _ax(ax)
    rows = effects[effects["outcome"] == outcome]
    arms: dict[str, tuple[float, float, int]] = {}
    for row in rows.itertuples():
        arms.setdefault(row.vs, (row.mean_vs, row.se_vs, row.n_vs))
        arms.setdefault(row.arm, (row.mean_arm, row.se_arm, row.n_arm))
    names = list(arms)
    for i, name in enumerate(names):
        mean, se, n = arms[name]
        ax.bar(i, mean, yerr=se, capsize=6, color=COLOURS[i % 4], label=f"{name} (n = {n})")
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel(f"adjusted mean ({scale})" if scale else "adjusted mean")
    ax.set_title(f"{rows['label'].iloc[0]}: arm means ± 1 SE")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_progression(cell_rates: pd.DataFrame, ax=None):
    """Progression rates (%) by condition and candidate ethnicity, +/- 1 SE."""
    ax = _ax(ax)
    levels = list(dict.fromkeys(cell_rates["level"]))
    conditions = list(dict.fromkeys(cell_rates["condition"]))
    width = 0.8 / len(levels)
    for j, level in enumerate(levels):
        part = cell_rates[cell_rates["level"] == level].set_index("condition").loc[conditions]
        x = [i + (j - (len(levels) - 1) / 2) * width for i in range(len(conditions))]
        ax.bar(x, part["rate"], width, yerr=part["se"], capsize=5, color=COLOURS[j], label=level)
    ax.set_xticks(range(len(conditions)), conditions)
    ax.set_ylim(0, 100)
    ax.set_ylabel("progressed to interview (%)")
    ax.set_xlabel("evaluation condition")
    ax.set_title("Progression rate by condition and candidate ethnicity")
    ax.legend(title="candidate name")
    return ax


def plot_attenuation(table: pd.DataFrame, ax=None):
    """Benefit-signed standardised treatment coefficient per response period, per outcome."""
    ax = _ax(ax)
    for i, (outcome, part) in enumerate(table.groupby("outcome", sort=False)):
        average = outcome.startswith("average")
        ax.plot(
            part["period"],
            part["standardised"],
            marker="o",
            color="black" if average else COLOURS[i % 4],
            linewidth=3 if average else 1.2,
            label=outcome,
        )
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(sorted(table["period"].unique()))
    ax.set_xlabel("response period (working weeks after the survey opened)")
    ax.set_ylabel("treatment effect (SD units, + = benefit)")
    ax.set_title("Attenuation of effects over time (exploratory)")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    return ax


def save_figures(results: Results, folder: Path) -> list[Path]:
    """Write every figure for these results as PNG files; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    scales = {o.name: o.scale for o in results.spec.outcomes}
    drawings = []
    if "cell_rates" in results.tables:
        drawings.append(
            ("progression", lambda ax: plot_progression(results.tables["cell_rates"], ax))
        )
    else:
        for name, scale in scales.items():
            drawings.append(
                (
                    f"means_{name}",
                    lambda ax, n=name, s=scale: plot_arm_means(results.effects, n, s, ax),
                )
            )
    if "attenuation" in results.tables:
        drawings.append(
            ("attenuation", lambda ax: plot_attenuation(results.tables["attenuation"], ax))
        )
    for stem, draw in drawings:
        fig, ax = plt.subplots(figsize=(6.5, 4.5))
        draw(ax)
        fig.tight_layout()
        path = folder / f"{results.spec.name}_{stem}.png"
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        paths.append(path)
    return paths
