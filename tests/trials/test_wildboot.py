"""Wild cluster bootstrap against a plain loop that refits every draw with statsmodels."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from trials.errors import TrialError
from trials.vcov import cr2_vcov
from trials.wildboot import draw_weights, wild_cluster_bootstrap

PETERSEN = Path(__file__).parent / "data" / "petersen_test_data.txt"


@pytest.fixture(scope="module")
def petersen():
    """The first firms of Petersen's data: few clusters, so all 2^G patterns can be used."""
    frame = pd.read_csv(PETERSEN, sep=r"\s+", header=None, names=["firm", "year", "x", "y"])
    return frame


def _sample(frame, firms):
    part = frame[frame["firm"] <= firms]
    X = np.column_stack([np.ones(len(part)), part["x"], part["year"] % 2])
    return part["y"].to_numpy(), X, part["firm"].to_numpy()


def _slow_t(y, X, cluster, column, null, se_type):
    """t for coefficient ``column`` from a fresh statsmodels fit (CR1) or trials' CR2."""
    if se_type == "CR1":
        fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": cluster})
        return (fit.params[column] - null) / fit.bse[column]
    fit = sm.OLS(y, X).fit()
    se = np.sqrt(cr2_vcov(X, fit.resid, cluster).vcov[column, column])
    return (fit.params[column] - null) / se


def _slow_p(y, X, cluster, column, null, V, se_type):
    """Restricted fit by dropping the tested column, then one refit per draw, in a loop."""
    others = np.delete(X, column, axis=1)
    restricted = sm.OLS(y - null * X[:, column], others).fit()
    fitted = y - restricted.resid
    observed = abs(_slow_t(y, X, cluster, column, null, se_type))
    codes = np.unique(cluster, return_inverse=True)[1]
    hits = 0
    for v in V:
        y_star = fitted + restricted.resid * v[codes]
        t_star = abs(_slow_t(y_star, X, cluster, column, null, se_type))
        hits += t_star >= observed * (1 - 1e-9)
    return hits / len(V)


@pytest.mark.parametrize("se_type", ["CR1", "CR2"])
def test_all_sign_patterns_match_the_plain_loop(petersen, se_type):
    y, X, cluster = _sample(petersen, 8)  # 8 firms: 2^8 = 256 patterns, all enumerated
    c = np.array([0.0, 1.0, 0.0])
    result = wild_cluster_bootstrap(y, X, cluster, c, draws=9999, se_type=se_type)
    assert result.exact and result.draws == 256 and result.clusters == 8
    V, _ = draw_weights(8, 9999, "rademacher", 0)
    assert result.p_value == pytest.approx(_slow_p(y, X, cluster, 1, 0.0, V, se_type), abs=1e-12)
    assert result.t == pytest.approx(_slow_t(y, X, cluster, 1, 0.0, se_type), rel=1e-9)


def test_interval_inverts_the_plain_loop_test(petersen):
    """Just inside the interval the loop accepts at 5%; just outside it rejects."""
    y, X, cluster = _sample(petersen, 8)
    c = np.array([0.0, 1.0, 0.0])
    result = wild_cluster_bootstrap(y, X, cluster, c, draws=9999)
    V, _ = draw_weights(8, 9999, "rademacher", 0)
    width = result.ci_high - result.ci_low
    assert 0 < width < 10
    for end, inward in ((result.ci_low, 1), (result.ci_high, -1)):
        inside = _slow_p(y, X, cluster, 1, end + inward * 1e-4 * width, V, "CR1")
        outside = _slow_p(y, X, cluster, 1, end - inward * 1e-4 * width, V, "CR1")
        assert inside > 0.05 >= outside


def test_webb_draws_match_the_plain_loop(petersen):
    y, X, cluster = _sample(petersen, 12)
    c = np.array([0.0, 1.0, 0.0])
    result = wild_cluster_bootstrap(y, X, cluster, c, draws=199, weights="webb", seed=7)
    V, exact = draw_weights(12, 199, "webb", 7)
    assert not exact and result.draws == 199
    assert set(np.round(np.abs(V).ravel(), 6)) == {0.707107, 1.0, 1.224745}
    assert result.p_value == pytest.approx(_slow_p(y, X, cluster, 1, 0.0, V, "CR1"), abs=1e-12)


def test_a_null_that_is_true_is_rarely_rejected(petersen):
    """Testing the estimate itself gives p = 1; a contrast of two columns works too."""
    y, X, cluster = _sample(petersen, 10)
    estimate = np.linalg.lstsq(X, y, rcond=None)[0]
    at_estimate = wild_cluster_bootstrap(y, X, cluster, np.eye(3)[1], null=estimate[1])
    assert at_estimate.p_value == 1.0
    both = wild_cluster_bootstrap(y, X, cluster, np.array([0.0, 1.0, -1.0]), draws=999)
    assert both.ci_low < estimate[1] - estimate[2] < both.ci_high


def test_too_few_clusters_give_an_unbounded_interval(petersen):
    """Two clusters: four sign patterns, so p is at least 0.5 and nothing is rejected."""
    y, X, cluster = _sample(petersen, 2)
    result = wild_cluster_bootstrap(y, X, cluster, np.eye(3)[1], draws=999)
    assert result.exact and result.draws == 4 and result.p_value >= 0.5
    assert result.ci_low == -np.inf and result.ci_high == np.inf


def test_needs_clusters_and_known_weights(petersen):
    y, X, cluster = _sample(petersen, 3)
    with pytest.raises(TrialError, match="weights must be one of"):
        wild_cluster_bootstrap(y, X, cluster, np.eye(3)[1], weights="mammen")
    with pytest.raises(TrialError, match="at least 2 clusters"):
        wild_cluster_bootstrap(y, X, np.ones(len(y)), np.eye(3)[1])
