"""ITT design: Lin (2013) estimator against a hand-built statsmodels regression."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from trials.analysis import estimate


def test_lin_matches_centred_interaction_regression():
    rng = np.random.default_rng(2)
    n = 120
    frame = pd.DataFrame({"x": rng.normal(size=n), "z": rng.permutation(np.repeat([0, 1], 60))})
    frame["y"] = 1 + frame["x"] * (1 + frame["z"]) + 0.5 * frame["z"] + rng.normal(size=n)
    ours = estimate(frame, outcome="y", treatment="z", covariates=("x",), lin=True).iloc[0]
    frame["xc"] = frame["x"] - frame["x"].mean()
    theirs = smf.ols("y ~ z * xc", frame).fit(cov_type="HC2")
    assert ours["estimate"] == pytest.approx(theirs.params["z"], rel=1e-10)
    assert ours["se"] == pytest.approx(theirs.bse["z"], rel=1e-10)


def test_missing_outcomes_are_counted():
    frame = pd.DataFrame(
        {"y": [1.0, 2.0, np.nan, 4.0, 5.0, np.nan, 3.0, 2.5], "z": [0, 1, 0, 1, 0, 1, 0, 1]}
    )
    row = estimate(frame, outcome="y", treatment="z").iloc[0]
    assert row["missing"] == 2 and row["n_arm"] + row["n_vs"] == 6
