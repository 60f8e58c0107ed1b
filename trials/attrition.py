"""Attrition and balance: response rates per arm, a response LPM and a baseline balance table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trials.data import TrialData
from trials.ols import fit_ols


def response_rates(data: TrialData) -> pd.DataFrame:
    """Randomised, responded and response rate per arm, with overall and differential attrition."""
    spec = data.spec
    frame = data.frame.assign(_responded=data.responded.astype(int))
    table = frame.groupby(spec.treatment)["_responded"].agg(randomised="size", responded="sum")
    table = table.reindex(list(spec.arms)).fillna(0)
    table["response_rate"] = table["responded"] / table["randomised"]
    table["attrition"] = 1 - table["response_rate"]
    overall = pd.DataFrame(
        {"randomised": [len(frame)], "responded": [frame["_responded"].sum()]}, index=["overall"]
    )
    overall["response_rate"] = overall["responded"] / overall["randomised"]
    overall["attrition"] = 1 - overall["response_rate"]
    table = pd.concat([table, overall])
    table["differential_vs_" + spec.control] = (
        table["attrition"] - table.loc[spec.control, "attrition"]
    )
    table.loc["overall", "differential_vs_" + spec.control] = np.nan
    return table.rename_axis("arm").reset_index()


def _strata_dummies(frame: pd.DataFrame, strata) -> pd.DataFrame:
    parts = [pd.get_dummies(frame[c].astype(str), prefix=c).iloc[:, 1:] for c in strata]
    return pd.concat(parts, axis=1).astype(float) if parts else pd.DataFrame(index=frame.index)


def response_model(data: TrialData) -> pd.DataFrame:
    """LPM of responding on arm dummies plus strata (HC2): does attrition differ by arm?"""
    spec = data.spec
    frame = data.frame
    arms = pd.DataFrame(
        {f"arm={a}": (frame[spec.treatment] == a).astype(float) for a in spec.arms[1:]}
    )
    X = pd.concat(
        [
            pd.Series(1.0, index=frame.index, name="(Intercept)"),
            arms,
            _strata_dummies(frame, spec.strata),
        ],
        axis=1,
    )
    fit = fit_ols(data.responded.astype(float).to_numpy(), X.to_numpy(), list(X.columns), "HC2")
    rows = []
    for name in arms.columns:
        est = fit.coefficient(name)
        rows.append(
            {
                "term": name,
                "estimate": est.estimate,
                "se": est.se,
                "p": est.p,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
            }
        )
    return pd.DataFrame(rows)


def balance_table(data: TrialData) -> pd.DataFrame:
    """Baseline means by arm among responders, the standardised difference and an HC2 p."""
    spec = data.spec
    frame = data.frame[data.responded]
    covariates = [o.baseline for o in spec.outcomes if o.baseline] + list(spec.covariates)
    rows = []
    for column in covariates:
        sample = frame[frame[column].notna()]
        row: dict[str, Any] = {"covariate": column}
        for arm in spec.arms:
            row[f"mean_{arm}"] = sample.loc[sample[spec.treatment] == arm, column].mean()
        for arm in spec.arms[1:]:
            pair = sample[sample[spec.treatment].isin([spec.control, arm])]
            z = (pair[spec.treatment] == arm).to_numpy(float)
            X = np.column_stack([np.ones(len(pair)), z, _strata_dummies(pair, spec.strata)])
            fit = fit_ols(pair[column].to_numpy(float), X, [f"c{i}" for i in range(X.shape[1])])
            sd = pair[column].std(ddof=1)
            row[f"std_diff_{arm}"] = (row[f"mean_{arm}"] - row[f"mean_{spec.control}"]) / sd
            row[f"p_{arm}"] = fit.coefficient("c1").p
        rows.append(row)
    return pd.DataFrame(rows)
