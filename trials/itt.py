"""Intention-to-treat estimates per outcome: OLS on arm dummies, strata fixed effects and
the baseline measure (optionally Lin 2013), arm means, contrasts, Hedges' g and RI."""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import combinations

import numpy as np
import pandas as pd

from trials.data import TrialData, check_strata, strata_codes
from trials.effects import hedges_g
from trials.ols import OLSFit, fit_ols
from trials.ri import adjusted_coefficient, randomisation_test
from trials.spec import Outcome, Spec
from trials.wildboot import wild_columns


@dataclass(frozen=True)
class Design:
    """A design matrix with named columns; ``covariates`` are those besides the arms."""

    X: np.ndarray
    names: list[str]
    arm_columns: list[str]
    covariates: list[str]


def _covariate_block(frame: pd.DataFrame, spec: Spec, outcome: Outcome) -> pd.DataFrame:
    block = pd.DataFrame(index=frame.index)
    for column in spec.strata:
        dummies = pd.get_dummies(frame[column].astype(str), prefix=column, prefix_sep="=")
        block = block.join(dummies.iloc[:, 1:].astype(float))
    if outcome.baseline:
        block[outcome.baseline] = frame[outcome.baseline]
    for column in spec.covariates:
        block[column] = frame[column]
    return block.loc[:, block.std() > 0] if len(block) > 1 else block


def design_matrix(
    frame: pd.DataFrame, spec: Spec, outcome: Outcome, lin: bool | None = None
) -> Design:
    """Intercept, one dummy per non-reference arm, covariates (centred and interacted
    with the arms when ``lin``), so the arm coefficients are differences from control."""
    lin = spec.lin if lin is None else lin
    arms = frame[spec.treatment].to_numpy()
    columns = {"(Intercept)": np.ones(len(frame))}
    arm_columns = [f"arm={a}" for a in spec.arms[1:]]
    for arm, name in zip(spec.arms[1:], arm_columns, strict=True):
        columns[name] = (arms == arm).astype(float)
    block = _covariate_block(frame, spec, outcome)
    if lin:
        block = block - block.mean()
    for name in block.columns:
        columns[name] = block[name].to_numpy(dtype=float)
    if lin:
        for arm_name in arm_columns:
            for name in block.columns:
                columns[f"{arm_name}:{name}"] = columns[arm_name] * columns[name]
    return Design(
        np.column_stack(list(columns.values())), list(columns), arm_columns, list(block.columns)
    )


def arm_mean_vector(design: Design, arm_index: int) -> np.ndarray:
    """Contrast giving the adjusted mean of an arm at the sample's covariate means."""
    means = design.X.mean(axis=0)
    weights = np.zeros(len(design.names))
    weights[0] = 1.0
    for name in design.covariates:
        weights[design.names.index(name)] = means[design.names.index(name)]
    if arm_index > 0:
        arm_name = design.arm_columns[arm_index - 1]
        weights[design.names.index(arm_name)] = 1.0
        for name in design.covariates:
            interaction = f"{arm_name}:{name}"
            if interaction in design.names:
                weights[design.names.index(interaction)] = means[design.names.index(name)]
    return weights


def fit_outcome(frame: pd.DataFrame, spec: Spec, outcome: Outcome) -> tuple[OLSFit, Design]:
    if spec.se in ("HC2", "HC3"):
        check_strata(frame, spec.strata)
    design = design_matrix(frame, spec, outcome)
    cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
    fit = fit_ols(frame[outcome.name].to_numpy(float), design.X, design.names, spec.se, cluster)
    return fit, design


def _ri_pvalue(frame, spec, outcome, arm, reference) -> float:
    """RI p-value for ``arm`` vs ``reference``: relabel those two arms within strata."""
    if spec.ri_draws == 0:
        return float("nan")
    pair = frame[frame[spec.treatment].isin([arm, reference])]
    plain = Spec(**{**_fields(spec), "arms": (reference, arm), "lin": False})
    design = design_matrix(pair, plain, outcome)
    W = np.delete(design.X, 1, axis=1)
    labels = (pair[spec.treatment] == arm).to_numpy(int)
    cluster = pair[spec.cluster].to_numpy() if spec.cluster else None
    statistic = adjusted_coefficient(pair[outcome.name].to_numpy(float), W, 1)
    result = randomisation_test(
        statistic,
        labels,
        strata_codes(pair, spec.strata),
        cluster,
        draws=spec.ri_draws,
        seed=spec.seed,
    )
    return result.p_value


def _fields(spec: Spec) -> dict:
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.init}


def _arm_summary(frame, spec, outcome, fit, design, index) -> dict:
    arm = spec.arms[index]
    values = frame.loc[frame[spec.treatment] == arm, outcome.name]
    mean = fit.contrast(arm_mean_vector(design, index))
    return {
        "n": int(values.size),
        "mean": mean.estimate,
        "se": mean.se,
        "df": mean.df,
        "sd": float(values.std(ddof=1)) if values.size > 1 else float("nan"),
    }


def outcome_rows(data: TrialData, outcome: Outcome) -> list[dict]:
    """One row per contrast (every arm vs every other for three or more arms)."""
    spec = data.spec
    frame = data.analysed(outcome.name)
    fit, design = fit_outcome(frame, spec, outcome)
    summary = [_arm_summary(frame, spec, outcome, fit, design, i) for i in range(len(spec.arms))]
    pairs = [(i, 0) for i in range(1, len(spec.arms))]
    if len(spec.arms) > 2:
        pairs = [(j, i) for i, j in combinations(range(len(spec.arms)), 2)]
    rows = []
    for a, b in pairs:
        weights = arm_mean_vector(design, a) - arm_mean_vector(design, b)
        estimate = fit.contrast(weights)
        sa, sb = summary[a], summary[b]
        per_unit = hedges_g(1.0, sa["sd"], sb["sd"], sa["n"], sb["n"])  # g per outcome unit
        rows.append(
            {
                "outcome": outcome.name,
                "label": outcome.label,
                "role": outcome.role,
                "contrast": f"{spec.arms[a]} - {spec.arms[b]}",
                "arm": spec.arms[a],
                "n_arm": sa["n"],
                "mean_arm": sa["mean"],
                "se_arm": sa["se"],
                "df_arm": sa["df"],
                "vs": spec.arms[b],
                "n_vs": sb["n"],
                "mean_vs": sb["mean"],
                "se_vs": sb["se"],
                "df_vs": sb["df"],
                "estimate": estimate.estimate,
                "se": estimate.se,
                "df": estimate.df,
                "p": estimate.p,
                "ci_low": estimate.ci_low,
                "ci_high": estimate.ci_high,
                "hedges_g": hedges_g(estimate.estimate, sa["sd"], sb["sd"], sa["n"], sb["n"]),
                "g_ci_low": per_unit * estimate.ci_low,
                "g_ci_high": per_unit * estimate.ci_high,
                "p_ri": _ri_pvalue(frame, spec, outcome, spec.arms[a], spec.arms[b]),
                "se_type": spec.se,
                "missing": sum(data.missing_counts(outcome.name).values()),
            }
        )
        cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
        y = frame[outcome.name].to_numpy(float)
        rows[-1].update(wild_columns(y, design.X, cluster, weights, spec))
    return rows
