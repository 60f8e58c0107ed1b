"""What a reader needs beside the numbers, stated once for the Markdown report and the
workbook: the model, the multiplicity family, the units, and every column's meaning."""

from __future__ import annotations

import re

from trials.analysis import Results
from trials.wording import words

DESIGNS = {
    "two_arm": "two-arm randomised trial",
    "multi_arm": "multi-arm randomised trial (every arm compared with every other)",
    "joint_separate": "randomised comparison of joint vs separate evaluation, crossed with "
    "candidate ethnicity within participant",
}

# (sheet or "*", column) -> meaning. Patterns use {arm} for an arm's name.
COLUMNS: dict[tuple[str, str], str] = {
    ("consort", "stage"): "CONSORT 2010 stage",
    ("consort", "arm"): "arm ('all' before allocation)",
    ("consort", "n"): "units at this stage (the unit of assignment); blank when not recorded",
    ("consort", "detail"): "reasons, where the data record them, and notes",
    ("*", "outcome"): "outcome column in the data",
    ("*", "label"): "outcome in words",
    ("*", "role"): "primary or secondary outcome, as pre-specified",
    ("*", "contrast"): "the difference estimated: first arm minus second",
    ("*", "arm"): "the first arm of the contrast",
    ("*", "vs"): "the second (comparison) arm of the contrast",
    ("effects", "n_arm"): "units analysed in the first arm (joint vs separate: participants "
    "in that condition x ethnicity cell)",
    ("effects", "n_vs"): "units analysed in the comparison arm (joint vs separate: participants)",
    ("effects", "mean_arm"): "adjusted mean of the first arm at the sample's covariate means "
    "(joint vs separate: progression rate, percent)",
    ("effects", "mean_vs"): "adjusted mean of the comparison arm (joint vs separate: percent)",
    ("effects", "se_arm"): "standard error of mean_arm",
    ("effects", "se_vs"): "standard error of mean_vs",
    ("effects", "df_arm"): "degrees of freedom for mean_arm's interval",
    ("effects", "df_vs"): "degrees of freedom for mean_vs's interval",
    ("effects", "estimate"): "adjusted difference in the outcome's units (joint vs separate: "
    "percentage points)",
    ("*", "se"): "standard error",
    ("effects", "df"): "degrees of freedom of the t reference (n - k; CR1: clusters - 1; CR2: "
    "Bell-McCaffrey)",
    ("*", "p"): "two-sided p-value, unadjusted",
    ("*", "ci_low"): "lower end of the 95% confidence interval",
    ("*", "ci_high"): "upper end of the 95% confidence interval",
    ("effects", "hedges_g"): "Hedges' g: estimate / pooled SD of the outcome, small-sample "
    "corrected",
    ("effects", "g_ci_low"): "lower end of the 95% interval for g (the difference's interval "
    "on the g scale)",
    ("effects", "g_ci_high"): "upper end of the 95% interval for g",
    ("effects", "p_ri"): "randomisation-inference p-value (a column only when RI was asked "
    "for; blank: not a contrast that was randomised)",
    ("effects", "p_holm"): "Holm-adjusted p across every contrast of every outcome of this "
    "experiment",
    ("effects", "p_bh"): "Benjamini-Hochberg (false discovery rate) adjusted p, same family",
    ("effects", "p_wild"): "wild cluster bootstrap p-value (restricted, symmetric)",
    ("effects", "ci_low_wild"): "lower end of the wild cluster bootstrap 95% interval",
    ("effects", "ci_high_wild"): "upper end of the wild cluster bootstrap 95% interval",
    ("effects", "wild"): "how the wild cluster bootstrap was drawn",
    ("effects", "se_type"): "standard error type",
    ("effects", "missing"): "responders left out for a missing outcome, baseline or covariate",
    ("effects", "analysis"): "pre-specified or exploratory",
    ("effects", "flag"): "note on the row (blank: primary outcome)",
    ("cell_rates", "condition"): "evaluation condition",
    ("cell_rates", "level"): "candidate ethnicity signalled by the name",
    ("cell_rates", "n"): "participants in the cell",
    ("cell_rates", "rate"): "progression rate, percent (model-based)",
    ("response", "arm"): "arm, or 'overall'",
    ("response", "randomised"): "units randomised",
    ("response", "responded"): "units that answered the endline survey",
    ("response", "response_rate"): "responded / randomised",
    ("response", "attrition"): "1 - response rate",
    ("response", "differential_vs_{arm}"): "attrition minus the reference arm's attrition "
    "(blank on the overall row)",
    ("response_model", "term"): "arm indicator in the response model",
    ("response_model", "estimate"): "difference in the probability of responding from the "
    "reference arm (linear probability model with strata, HC2)",
    ("balance", "covariate"): "baseline measure",
    ("balance", "mean_{arm}"): "mean among responders in that arm",
    ("balance", "std_diff_{arm}"): "difference from the reference arm / SD among responders",
    ("balance", "p_{arm}"): "p-value of that difference (HC2, with strata)",
    ("lee_bounds", "response_arm"): "share of the arm with the outcome observed",
    ("lee_bounds", "response_vs"): "share of the reference arm with the outcome observed",
    ("lee_bounds", "trimmed_arm"): "the arm that responded more, whose responders are trimmed",
    ("lee_bounds", "trim_share"): "share of that arm's responders trimmed",
    ("lee_bounds", "lower"): "Lee lower bound on the effect for always-responders",
    ("lee_bounds", "upper"): "Lee upper bound",
    ("lee_bounds", "se_lower"): "bootstrap SE of the lower bound",
    ("lee_bounds", "se_upper"): "bootstrap SE of the upper bound",
    ("lee_bounds", "ci_low"): "lower end of the Imbens-Manski 95% interval for the effect",
    ("lee_bounds", "ci_high"): "upper end of the Imbens-Manski 95% interval",
    ("lee_bounds", "draws"): "bootstrap resamples (within arm) with bounds defined",
    ("mdes", "sample"): "planned or achieved sample",
    ("mdes", "n"): "sample size",
    ("mdes", "mdes"): "minimum detectable effect size, SD units (80% power, 5% two-sided)",
    ("mdes", "share_in_arm"): "share of the contrast's analysed units in its first arm",
    ("mdes", "P"): "assumed share of units treated (the report held 0.5)",
    ("mdes", "R2"): "assumed share of outcome variance explained by covariates",
    ("mdes", "alpha"): "two-sided significance level",
    ("mdes", "power"): "power to detect the MDES",
    ("mdes", "ICC"): "assumed intra-cluster correlation",
    ("mdes", "cluster_size"): "assumed mean units per cluster",
    ("mdes", "df"): "degrees of freedom of the t multipliers ('normal': normal multipliers)",
    ("mdes", "basis"): "where n comes from",
    ("model", "model"): "the model fitted, in words",
    ("model", "treatment"): "column holding each unit's arm",
    ("model", "reference"): "the reference (control) arm; contrasts read arm minus reference",
    ("model", "arms"): "the arms, reference first",
    ("model", "strata"): "randomisation strata (fixed effects)",
    ("model", "covariates"): "covariates adjusted for (the outcome's baseline first)",
    ("model", "lin"): "true: covariates centred and interacted with the arms (Lin 2013)",
    ("model", "se_type"): "standard error type",
    ("model", "cluster"): "cluster column (blank: not clustered)",
    ("model", "n_clusters"): "clusters among the analysed units",
    ("model", "ri_draws"): "randomisation-inference draws (0: no RI)",
    ("model", "wild_bootstrap"): "wild cluster bootstrap draws (0: none)",
    ("model", "wild_weights"): "wild cluster bootstrap weights (blank: no bootstrap)",
    ("model", "seed"): "seed of the RI and bootstrap draws (blank: none drawn)",
    ("model", "n_used"): "units analysed for the outcome",
    ("model", "n_dropped"): "units randomised but not analysed for the outcome",
    ("model", "dropped_why"): "why they were not analysed, with counts",
    ("attenuation", "period"): "response period (working weeks after the survey opened; "
    "small weeks merged)",
    ("attenuation", "n"): "responders analysed in the period",
    ("attenuation", "dropped_single_stratum"): "responders left out: alone in their stratum",
    ("attenuation", "first_date"): "first response date in the period",
    ("attenuation", "estimate"): "treatment coefficient in the outcome's units",
    ("attenuation", "standardised"): "coefficient / outcome SD, signed so + is a benefit",
    ("attenuation", "std_ci_low"): "lower end of the standardised 95% interval (blank on the "
    "average rows)",
    ("attenuation", "std_ci_high"): "upper end of the standardised 95% interval",
    ("attenuation", "analysis"): "exploratory unless pre-specified",
}


def column_note(sheet: str, column: str, arms) -> str:
    """The meaning of ``column`` on ``sheet``; '' when nothing is recorded for it."""
    sheet = sheet.removesuffix("_detail")
    for key in ((sheet, column), ("*", column)):
        if key in COLUMNS:
            return COLUMNS[key]
    for arm in arms:
        pattern = re.sub(re.escape(arm) + "$", "{arm}", column)
        if (sheet, pattern) in COLUMNS:
            return COLUMNS[(sheet, pattern)] + f" ({arm})"
    return ""


def model_statement(results: Results) -> str:
    """The fitted model in one paragraph, in words."""
    spec = results.spec
    if spec.design == "joint_separate":
        fitted = (
            "Linear probability model of the decision on condition, candidate ethnicity and "
            "their interaction, one row per decision; rates and differences in percent and "
            "percentage points."
        )
    else:
        labels = spec.label_map
        parts = [f"arm indicators (reference: {words(spec.control, labels)})"]
        if spec.strata:
            parts.append(f"{', '.join(words(s, labels) for s in spec.strata)} fixed effects")
        if any(o.baseline for o in spec.outcomes):
            parts.append("the outcome's baseline measure")
        parts += [words(c, labels) for c in spec.covariates]
        lin = " with Lin (2013) interactions" if spec.lin else ""
        who = "endline responders" if spec.responded else "every unit with the outcome"
        fitted = f"OLS of each outcome on {', '.join(parts)}{lin}, on {who}."
    errors = f"{spec.se} standard errors"
    if spec.cluster:
        errors += f" clustered by {words(spec.cluster, spec.label_map)}"
    return f"{fitted} {errors}; t-based 95% confidence intervals and two-sided p-values."


def family_statement(results: Results) -> str:
    """Which p-values are adjusted together, and how."""
    effects = results.effects
    outcomes = ", ".join(dict.fromkeys(effects["label"]))
    return (
        f"Holm (family-wise error) and Benjamini-Hochberg (false discovery rate) adjustments "
        f"across all {len(effects)} contrasts of this experiment's outcomes ({outcomes})."
    )


def inference_statement(results: Results) -> str:
    spec = results.spec
    lines = []
    if spec.ri_draws:
        lines.append(
            f"Randomisation inference: {spec.ri_draws:,} re-randomisations within strata "
            f"(seed {spec.seed}), exact when the assignments are fewer."
        )
    if spec.wild_bootstrap:
        lines.append(
            f"Wild cluster bootstrap: restricted (null imposed), {spec.wild_weights} weights, "
            f"{spec.wild_bootstrap:,} draws (seed {spec.seed}), studentised with "
            f"{'CR2' if spec.se == 'CR2' else 'CR1'}; interval by inverting the test."
        )
    return " ".join(lines)
