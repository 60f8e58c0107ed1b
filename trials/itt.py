"""Intention-to-treat estimates per outcome: OLS on arm dummies, strata fixed effects and
the baseline measure (optionally Lin 2013), arm means, contrasts, Hedges' g and RI."""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import combinations

import numpy as np
import pandas as pd

from trials.data import TrialData, check_strata, strata_codes, where
from trials.effects import hedges_g
from trials.errors import ObservationError, TrialError
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


def _describe(name: str) -> str:
    """A design column in the user's words."""
    if name == "(Intercept)":
        return "the intercept"
    if ":" in name:
        arm, covariate = name.split(":", 1)
        return f"the interaction of {_describe(arm)} with {_describe(covariate)}"
    if name.startswith("arm="):
        return f"arm {name[4:]!r}"
    if "=" in name:
        column, level = name.split("=", 1)
        return f"stratum {column} = {level!r}"
    return f"covariate {name!r}"


def check_arms(frame: pd.DataFrame, spec: Spec, outcome: Outcome) -> None:
    """Every arm needs analysed units, or there is no effect to estimate."""
    counts = frame[spec.treatment].value_counts()
    empty = [arm for arm in spec.arms if counts.get(arm, 0) == 0]
    if len(empty) == len(spec.arms):
        raise TrialError(
            f"outcome {outcome.name!r}: no unit is left to analyse (no responder has the "
            "outcome, its baseline and the covariates all recorded)"
        )
    if len(empty) == len(spec.arms) - 1:
        only = next(a for a in spec.arms if a not in empty)
        raise TrialError(
            f"outcome {outcome.name!r}: all {len(frame)} analysed units are in arm {only!r}; "
            "a treatment effect needs units in at least two arms"
        )
    if empty:
        raise TrialError(
            f"outcome {outcome.name!r}: arm {empty[0]!r} has no analysed units "
            f"(arms: {', '.join(f'{a} {counts.get(a, 0)}' for a in spec.arms)})"
        )


def check_identified(design: Design, outcome: Outcome) -> None:
    """Say in words which column the others already determine (no 'collinear')."""
    rows, columns = design.X.shape
    if rows <= columns:
        raise TrialError(
            f"outcome {outcome.name!r}: {rows} analysed units cannot estimate {columns} "
            "coefficients (intercept, arms, strata and covariates); drop covariates or strata"
        )
    if np.linalg.matrix_rank(design.X) == columns:
        return
    for j in range(1, columns):
        if np.linalg.matrix_rank(design.X[:, : j + 1]) <= j:
            raise TrialError(
                f"outcome {outcome.name!r}: {_describe(design.names[j])} is fully determined by "
                f"{', '.join(_describe(n) for n in design.names[:j])}; for example every unit "
                "of a stratum in one arm, or a covariate constant within arms. "
                "The effect cannot be separated from it"
            )


def fit_outcome(frame: pd.DataFrame, spec: Spec, outcome: Outcome) -> tuple[OLSFit, Design]:
    check_arms(frame, spec, outcome)
    if spec.se in ("HC2", "HC3"):
        check_strata(frame, spec.strata, spec.unit)
    design = design_matrix(frame, spec, outcome)
    check_identified(design, outcome)
    cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
    try:
        fit = fit_ols(frame[outcome.name].to_numpy(float), design.X, design.names, spec.se, cluster)
    except ObservationError as err:
        place = where(frame, [frame.index[err.position]], spec.unit)
        raise err.located(f"outcome {outcome.name!r}: {place}") from None
    return fit, design


def _ri_pvalue(frame, spec, outcome, arm, reference) -> float:
    """RI p-value for ``arm`` vs ``reference``: relabel those two arms within strata."""
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
        names=(spec.treatment, spec.cluster),
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
                "se_type": spec.se,
                "missing": sum(data.missing_counts(outcome.name).values()),
            }
        )
        if spec.ri_draws:
            rows[-1]["p_ri"] = _ri_pvalue(frame, spec, outcome, spec.arms[a], spec.arms[b])
        cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
        y = frame[outcome.name].to_numpy(float)
        rows[-1].update(wild_columns(y, design.X, cluster, weights, spec))
    return rows
