"""Joint vs separate evaluation: a linear probability model with condition x candidate
ethnicity on one row per decision, clustered by participant, reported as rates in percent."""

from __future__ import annotations

import numpy as np

from trials.data import TrialData, where
from trials.effects import hedges_g
from trials.errors import ObservationError, TrialError
from trials.ols import fit_ols
from trials.ri import randomisation_test, ratio_difference, varies_within_cluster
from trials.spec import Spec
from trials.wildboot import wild_columns


def _design(frame, spec: Spec) -> tuple[np.ndarray, list[str]]:
    treated = (frame[spec.treatment] == spec.arms[1]).to_numpy(float)
    other = (frame[spec.crossed.column] == spec.crossed.levels[1]).to_numpy(float)
    names = [
        "(Intercept)",
        spec.arms[1],
        spec.crossed.levels[1],
        f"{spec.arms[1]}:{spec.crossed.levels[1]}",
    ]
    return np.column_stack([np.ones(len(frame)), treated, other, treated * other]), names


def _fit(frame, spec: Spec, outcome: str):
    """The LPM, after checking every condition x level cell has decisions (said in words)."""
    for arm in spec.arms:
        for level in spec.crossed.levels:
            cell = (frame[spec.treatment] == arm) & (frame[spec.crossed.column] == level)
            if not cell.any():
                raise TrialError(
                    f"outcome {outcome!r}: no analysed rows with {spec.treatment} = {arm!r} and "
                    f"{spec.crossed.column} = {level!r}; every combination needs some"
                )
    X, names = _design(frame, spec)
    cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
    try:
        return fit_ols(frame[outcome].to_numpy(float), X, names, spec.se, cluster)
    except ObservationError as err:
        place = where(frame, [frame.index[err.position]], spec.unit)
        raise err.located(f"outcome {outcome!r}: {place}") from None


def cell_vector(spec: Spec, arm: str, level: str) -> np.ndarray:
    """Contrast giving the progression rate of one condition x ethnicity cell."""
    t = float(arm == spec.arms[1])
    m = float(level == spec.crossed.levels[1])
    return np.array([1.0, t, m, t * m])


def _comparisons(spec: Spec) -> list[tuple[str, tuple[str, str], tuple[str, str]]]:
    """(label, cell a, cell b): each arm contrast within level, then levels within arms."""
    (ref, trt), (lev0, lev1) = spec.arms, spec.crossed.levels
    return [
        (f"{lev1}: {trt} - {ref}", (trt, lev1), (ref, lev1)),
        (f"{lev0}: {trt} - {ref}", (trt, lev0), (ref, lev0)),
        (f"{ref}: {lev0} - {lev1}", (ref, lev0), (ref, lev1)),
        (f"{trt}: {lev0} - {lev1}", (trt, lev0), (trt, lev1)),
    ]


def _ri(frame, spec: Spec, outcome: str, cell_a, cell_b) -> float:
    """RI re-assigns conditions to whole participants; only arm contrasts qualify."""
    if cell_a[1] != cell_b[1]:
        return float("nan")
    in_level = frame[spec.crossed.column] == cell_a[1]
    group = frame[spec.cluster] if spec.cluster else frame.index.to_series()
    arms_per_unit = frame.groupby(group.to_numpy())[spec.treatment].nunique()
    if spec.cluster and (arms_per_unit > 1).any():  # a row alone cannot vary
        example = arms_per_unit.index[np.argmax(arms_per_unit.to_numpy() > 1)]
        raise TrialError(varies_within_cluster(spec.treatment, spec.cluster, example))
    per_unit = frame.assign(_y=frame[outcome].where(in_level, 0.0), _n=in_level.astype(float))
    per_unit = per_unit.groupby(group.to_numpy()).agg(
        y=("_y", "sum"), n=("_n", "sum"), arm=(spec.treatment, "first")
    )
    labels = (per_unit["arm"] == spec.arms[1]).to_numpy(int)
    statistic = ratio_difference(per_unit["y"], per_unit["n"], 1, 0)
    result = randomisation_test(statistic, labels, draws=spec.ri_draws, seed=spec.seed)
    return result.p_value


def factorial_rows(data: TrialData, outcome) -> list[dict]:
    """Rates in percent per cell and the report's contrasts, with CR2 (or chosen) SEs."""
    spec = data.spec
    frame = data.analysed(outcome.name)
    fit = _fit(frame, spec, outcome.name)
    X, _ = _design(frame, spec)
    cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
    rows = []
    for label, a, b in _comparisons(spec):
        weights = 100 * (cell_vector(spec, *a) - cell_vector(spec, *b))
        est = fit.contrast(weights)
        cells = [fit.contrast(100 * cell_vector(spec, *cell)) for cell in (a, b)]
        counts = [_participants(frame, spec, cell) for cell in (a, b)]
        spread = [_cell_spread(frame, spec, outcome.name, cell) for cell in (a, b)]
        per_unit = hedges_g(1.0, spread[0][0], spread[1][0], spread[0][1], spread[1][1])
        rows.append(
            {
                "outcome": outcome.name,
                "label": outcome.label,
                "role": outcome.role,
                "contrast": label,
                "arm": " / ".join(a),
                "n_arm": counts[0],
                "mean_arm": cells[0].estimate,
                "se_arm": cells[0].se,
                "vs": " / ".join(b),
                "n_vs": counts[1],
                "mean_vs": cells[1].estimate,
                "se_vs": cells[1].se,
                "estimate": est.estimate,
                "se": est.se,
                "df": est.df,
                "p": est.p,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
                "hedges_g": per_unit * est.estimate,
                "g_ci_low": per_unit * est.ci_low,
                "g_ci_high": per_unit * est.ci_high,
                "se_type": spec.se,
                "missing": sum(data.missing_counts(outcome.name).values()),
            }
        )
        if spec.ri_draws:
            rows[-1]["p_ri"] = _ri(frame, spec, outcome.name, a, b)
        rows[-1].update(wild_columns(frame[outcome.name], X, cluster, weights, spec))
    return rows


def _participants(frame, spec: Spec, cell) -> int:
    rows = (frame[spec.treatment] == cell[0]) & (frame[spec.crossed.column] == cell[1])
    return int(frame.loc[rows, spec.cluster].nunique()) if spec.cluster else int(rows.sum())


def _cell_spread(frame, spec: Spec, outcome: str, cell) -> tuple[float, int]:
    """SD (in percentage points) and number of decisions of one cell, for Hedges' g."""
    rows = (frame[spec.treatment] == cell[0]) & (frame[spec.crossed.column] == cell[1])
    values = 100 * frame.loc[rows, outcome]
    return float(values.std(ddof=1)), int(values.size)


def cell_rates(data: TrialData, outcome) -> list[dict]:
    """Rate (percent) and SE for every condition x ethnicity cell, for the figure."""
    spec = data.spec
    frame = data.analysed(outcome.name)
    fit = _fit(frame, spec, outcome.name)
    out = []
    for arm in spec.arms:
        for level in spec.crossed.levels:
            est = fit.contrast(100 * cell_vector(spec, arm, level))
            out.append(
                {
                    "condition": arm,
                    "level": level,
                    "n": _participants(frame, spec, (arm, level)),
                    "rate": est.estimate,
                    "se": est.se,
                    "ci_low": est.ci_low,
                    "ci_high": est.ci_high,
                }
            )
    return out
