"""The Markdown report of one experiment, in the order of the evaluation report: design,
participant flow, balance, attrition, main results, forest plot, attenuation, MDES."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trials.analysis import Results
from trials.echo import model_lines
from trials.formatting import COUNTS, SHARES, UNBOUNDED, format_p, is_missing, is_unbounded
from trials.notes import family_statement, inference_statement, model_statement
from trials.wording import contrast_words, words

Column = tuple[str | tuple[str, str], str, str]  # (column or (low, high), header, kind)


WORD_COLUMNS = {"arm", "term", "condition", "level", "trimmed_arm", "covariate", "vs"}


def _interval(low, high) -> str:
    """'low to high'; an infinite end is "unbounded" (the data cannot reject that far)."""
    if is_missing(low) or is_missing(high):
        return ""
    if is_unbounded(low) and is_unbounded(high):
        return f"{UNBOUNDED} (too few clusters to reject)"
    return " to ".join(UNBOUNDED if is_unbounded(v) else f"{v:.3f}" for v in (low, high))


def _cell(row: pd.Series, column, kind: str, labels=None) -> str:
    if kind == "ci":
        return _interval(row[column[0]], row[column[1]])
    value = row[column]
    if is_missing(value):
        return ""
    if kind == "p":
        return format_p(value)
    if kind == "count":
        return f"{int(value):,}"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "pp":
        return f"{100 * value:+.1f} pp"
    if kind == "num":
        return f"{value:.3f}"
    if kind == "contrast":
        return contrast_words(value, labels)
    if kind == "words":
        return words(value, labels)
    return str(value).replace("|", "\\|")


def table_markdown(table: pd.DataFrame, columns: list[Column], labels=None) -> str:
    """A pipe table of the chosen columns; missing values are blank cells, never 'nan'."""
    lines = ["| " + " | ".join(h for _, h, _ in columns) + " |"]
    lines.append("| " + " | ".join("---" for _ in columns) + " |")
    for _, row in table.iterrows():
        cells = (_cell(row, c, k, labels) for c, _, k in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


HEADERS = {
    "n": "n",
    "se": "SE",
    "p": "p",
    "mdes": "MDES (SD units)",
    "share_in_arm": "Share in first arm",
    "response_rate": "Response rate",
    "differential_vs": "Differential attrition",
    "first_date": "First response",
    "label": "Outcome",
    "estimate": "Estimate",
}


def _header(name: str, arms, labels=None) -> str:
    for arm in arms:
        for prefix, text in (("mean_", "Mean"), ("std_diff_", "Std. difference"), ("p_", "p")):
            if name == prefix + arm:
                return f"{text}, {words(arm, labels)}"
    if name.startswith("differential_vs_"):
        reference = name.removeprefix("differential_vs_")
        return f"Differential attrition vs {words(reference, labels)}"
    return HEADERS.get(name, words(name).capitalize())


def auto_columns(table: pd.DataFrame, arms=(), labels=None) -> list[Column]:
    """Headers in words and a format chosen from each column's name and type."""
    out: list[Column] = []
    for column in table.columns:
        name = str(column)
        if name in COUNTS:
            kind = "count"
        elif name in SHARES:
            kind = "share"
        elif name.startswith("differential_vs_"):
            kind = "pp"
        elif name == "p" or name.startswith("p_"):
            kind = "p"
        elif name in WORD_COLUMNS:
            kind = "words"
        elif name == "contrast":
            kind = "contrast"
        elif pd.api.types.is_float_dtype(table[column]):
            kind = "num"
        else:
            kind = "text"
        out.append((name, _header(name, arms, labels), kind))
    return out


def _table(results: Results, table: pd.DataFrame, columns: list[Column] | None = None) -> str:
    """A table in words: the spec's labels for arms and levels, headers for columns."""
    labels = results.spec.label_map
    columns = columns or auto_columns(table, results.spec.arms, labels)
    return table_markdown(table, columns, labels)


def _figure(figures: list[str], stem: str, alt: str) -> list[str]:
    return [f"![{alt}]({f})" for f in figures if f.endswith(f"_{stem}.png")]


def design_section(results: Results) -> list[str]:
    spec = results.spec
    outcomes = "; ".join(
        f"{o.label} ({o.role}{', ' + o.scale if o.scale else ''})" for o in spec.outcomes
    )
    lines = [
        "## Design",
        "",
        f"- Design: {spec.design.replace('_', ' ')}; arms: "
        + ", ".join(words(a, spec.label_map) for a in spec.arms)
        + f" (reference: {words(spec.control, spec.label_map)}).",
        f"- Outcomes: {outcomes}.",
        f"- Model: {model_statement(results)}",
        f"- Multiple comparisons: {family_statement(results)}",
    ]
    if inference_statement(results):
        lines.append(f"- Further inference: {inference_statement(results)}")
    return lines + model_echo(results)


def model_echo(results: Results) -> list[str]:
    """What was fitted for each outcome, on how many units, and who was dropped (why)."""
    if "model" not in results.tables:
        return []
    lines = ["", "Fitted, for each outcome:", ""]
    for row in results.tables["model"].to_dict(orient="records"):
        first, *rest = model_lines(row)
        lines += [f"- {first}", *(f"  - {line.strip()}" for line in rest)]
    return lines


def effects_columns(effects: pd.DataFrame) -> list[Column]:
    columns: list[Column] = [
        ("label", "Outcome", "text"),
        ("contrast", "Contrast", "contrast"),
        ("n_arm", "n (first)", "count"),
        ("mean_arm", "Mean (first)", "num"),
        ("n_vs", "n (second)", "count"),
        ("mean_vs", "Mean (second)", "num"),
        ("estimate", "Difference", "num"),
        (("ci_low", "ci_high"), "95% CI", "ci"),
        ("p", "p", "p"),
        ("p_holm", "Holm p", "p"),
        ("p_bh", "BH p", "p"),
    ]
    if "p_ri" in effects and effects["p_ri"].notna().any():
        columns.append(("p_ri", "RI p", "p"))
    if "p_wild" in effects:
        columns += [
            ("p_wild", "Wild p", "p"),
            (("ci_low_wild", "ci_high_wild"), "Wild 95% CI", "ci"),
        ]
    return columns + [("hedges_g", "Hedges' g", "num")]


def effects_notes(results: Results) -> list[str]:
    spec = results.spec
    effects = results.effects
    if spec.design == "joint_separate":
        units = (
            "Means are progression rates in percent and differences are in percentage "
            "points; n counts participants in each condition x ethnicity cell."
        )
    else:
        units = "Means and differences are in each outcome's own units; n counts units analysed."
    notes = [units, "Hedges' g: difference / pooled SD, small-sample corrected."]
    if "p_ri" not in effects:
        notes.append("No randomisation inference was asked for (ri_draws = 0).")
    elif effects["p_ri"].isna().all():
        notes.append("Randomisation inference gave no p-value for these contrasts.")
    elif effects["p_ri"].isna().any():
        notes.append(
            "RI p is blank for contrasts of candidate ethnicity within participant: that "
            "factor was not randomised between participants."
        )
    if "wild" in effects:
        notes.append(f"Wild bootstrap: {effects['wild'].iloc[0]}.")
    return notes


def lee_section(results: Results, lee: pd.DataFrame) -> list[str]:
    """Lee bounds: what they are, then the table."""
    return [
        "Lee (2009) bounds on the effect among those who would respond in either arm: "
        "the arm that responded more is trimmed by its excess share of responders. "
        "Without strata or covariates; the 95% interval (Imbens-Manski) uses "
        f"up to {int(lee['draws'].max()):,} bootstrap resamples within arm.",
        "",
        _table(
            results,
            lee,
            [
                ("label", "Outcome", "text"),
                ("contrast", "Contrast", "contrast"),
                ("response_arm", "Observed (first)", "share"),
                ("response_vs", "Observed (second)", "share"),
                ("trimmed_arm", "Trimmed arm", "words"),
                ("trim_share", "Trimmed", "share"),
                ("lower", "Lower bound", "num"),
                ("upper", "Upper bound", "num"),
                (("ci_low", "ci_high"), "95% CI", "ci"),
            ],
        ),
        "",
    ]


def attrition_section(results: Results) -> list[str]:
    tables = results.tables
    lines = ["## Attrition", ""]
    if "response" in tables:
        lines += [_table(results, tables["response"]), ""]
        lines += ["Response rate: share of those randomised who answered the endline survey.", ""]
        lines += ["Differential attrition: an arm's attrition minus the reference arm's.", ""]
    if "response_model" in tables:
        lines += [
            "Does responding depend on the arm? (linear probability model with strata, HC2)",
            "",
        ]
        model = tables["response_model"]
        model = model.assign(term=model["term"].str.removeprefix("arm="))
        columns: list[Column] = [
            ("term", "Arm (vs reference)", "text"),
            ("estimate", "Difference in response probability", "num"),
            ("se", "SE", "num"),
            (("ci_low", "ci_high"), "95% CI", "ci"),
            ("p", "p", "p"),
        ]
        lines += [_table(results, model, columns), ""]
    if "lee_bounds" in tables and len(tables["lee_bounds"]):
        lines += lee_section(results, tables["lee_bounds"])
    return lines


CELLS: list[Column] = [
    ("condition", "Condition", "words"),
    ("level", "Candidate name", "words"),
    ("n", "Participants", "count"),
    ("rate", "Rate (%)", "num"),
    ("se", "SE", "num"),
    (("ci_low", "ci_high"), "95% CI", "ci"),
]

ATTENUATION: list[Column] = [
    ("period", "Period", "count"),
    ("label", "Outcome", "text"),
    ("n", "n", "count"),
    ("first_date", "First response", "text"),
    ("estimate", "Coefficient", "num"),
    (("ci_low", "ci_high"), "95% CI", "ci"),
    ("standardised", "Standardised (+ = benefit)", "num"),
    (("std_ci_low", "std_ci_high"), "Standardised 95% CI", "ci"),
]


def markdown_report(results: Results, figures: Sequence[str] = ()) -> str:
    """The whole report as Markdown text; ``figures`` are paths relative to the report."""
    spec, tables = results.spec, results.tables
    figures = list(figures)
    parts = [f"# {spec.title}", "", *design_section(results), ""]
    if "consort" in tables:
        parts += ["## Participant flow (CONSORT 2010)", ""]
        parts += [*_figure(figures, "consort", "CONSORT flow diagram"), ""]
        parts += [_table(results, tables["consort"]), ""]
    if "balance" in tables:
        parts += ["## Balance at baseline (responders)", ""]
        parts += ["Standardised difference: difference from the reference arm / SD.", ""]
        balance = tables["balance"]
        parts += [_table(results, balance), ""]
    if "response" in tables or "lee_bounds" in tables:
        parts += attrition_section(results)
    effects = results.effects
    parts += [
        "## Main results (pre-specified)",
        "",
        _table(results, effects, effects_columns(effects)),
        "",
    ]
    parts += ["- " + n for n in effects_notes(results)] + [""]
    if "cell_rates" in tables:
        parts += ["Progression rate (percent) in each condition x candidate name cell:", ""]
        parts += [_table(results, tables["cell_rates"], CELLS), ""]
    for figure in figures:
        if "_means_" in figure or figure.endswith("_progression.png"):
            parts += [f"![Means with 95% intervals]({figure})", ""]
    parts += ["## Forest plot", "", *_figure(figures, "forest", "Forest plot of Hedges' g"), ""]
    if "attenuation" in tables:
        parts += ["## Attenuation over time (exploratory, not pre-specified)", ""]
        parts += [*_figure(figures, "attenuation", "Effects by response period"), ""]
        parts += [_table(results, tables["attenuation"], ATTENUATION), ""]
        parts += [
            "Standardised CI columns are blank on the average rows: no interval is "
            "computed for the average across outcomes.",
            "",
        ]
    if "mdes" in tables:
        parts += ["## Minimum detectable effect size", ""]
        parts += [_table(results, tables["mdes"]), ""]
    return "\n".join(parts).rstrip() + "\n"
