"""Exploratory attenuation: the treatment coefficient by working week of response."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from trials.data import TrialData
from trials.errors import TrialError
from trials.itt import fit_outcome


def response_periods(dates: pd.Series, opened, min_responses: int) -> pd.Series:
    """Working week after the survey opened (Monday-based), small weeks merged backwards.

    A week with fewer than ``min_responses`` responses joins the week before it (the
    first week, having none before it, joins the week after). Periods are numbered 1..k.
    """
    parsed = pd.to_datetime(dates, errors="coerce")
    if parsed.isna().any():
        raise TrialError(f"column {dates.name!r} needs a date for every responder")
    monday = pd.Timestamp(opened - timedelta(days=opened.weekday()))
    week = ((parsed - monday).dt.days // 7).astype(int)
    counts = week.value_counts().sort_index()
    label = {w: w for w in counts.index}
    weeks = list(counts.index)
    for i, w in enumerate(weeks):
        if counts[w] < min_responses and len(weeks) > 1:
            target = weeks[i - 1] if i > 0 else weeks[1]
            for k, v in label.items():
                if v == w:
                    label[k] = label[target]
    merged = week.map(label)
    order = {w: i + 1 for i, w in enumerate(sorted(merged.unique()))}
    return merged.map(order)


def _drop_single_strata(frame: pd.DataFrame, strata) -> pd.DataFrame:
    if not strata:
        return frame
    sizes = frame.groupby(list(strata))[strata[0]].transform("size")
    return frame[sizes >= 2]


def attenuation_table(data: TrialData) -> pd.DataFrame:
    """Per period and outcome: coefficient, SE, 95% CI and the benefit-signed standardised
    coefficient; plus, per period, the average standardised effect across outcomes."""
    spec = data.spec
    config = spec.timing
    responders = data.frame[data.responded].copy()
    responders["period"] = response_periods(
        responders[config.date], config.opened, config.min_responses
    )
    rows = []
    for outcome in spec.outcomes:
        sd = responders[outcome.name].std(ddof=1)
        analysed = data.analysed(outcome.name).join(responders["period"])
        for period, whole in analysed.groupby("period"):
            subset = _drop_single_strata(whole, spec.strata)
            fit, _ = fit_outcome(subset, spec, outcome)
            est = fit.coefficient(f"arm={spec.arms[1]}")
            ends = sorted(outcome.sign * v / sd for v in (est.ci_low, est.ci_high))
            rows.append(
                {
                    "period": int(period),
                    "outcome": outcome.name,
                    "label": outcome.label,
                    "n": len(subset),
                    "dropped_single_stratum": len(whole) - len(subset),
                    "first_date": subset[config.date].min(),
                    "estimate": est.estimate,
                    "se": est.se,
                    "ci_low": est.ci_low,
                    "ci_high": est.ci_high,
                    "standardised": outcome.sign * est.estimate / sd,
                    "std_ci_low": ends[0],
                    "std_ci_high": ends[1],
                }
            )
    table = pd.DataFrame(rows)
    average = table.groupby("period", as_index=False).agg(
        standardised=("standardised", "mean"),
        n=("n", "max"),
        dropped_single_stratum=("dropped_single_stratum", "max"),
        first_date=("first_date", "min"),
    )
    average["outcome"] = "average (benefit-signed SD units)"
    average["label"] = "Average across outcomes"
    average[["estimate", "se", "ci_low", "ci_high", "std_ci_low", "std_ci_high"]] = np.nan
    table = pd.concat([table, average], ignore_index=True)
    table["analysis"] = "exploratory" if not config.prespecified else "pre-specified"
    return table
