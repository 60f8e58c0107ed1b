"""Sandwich variances checked against statsmodels, closed forms and explicit matrix algebra."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import linalg

from trials.errors import TrialError
from trials.ols import fit_ols

DATA = Path(__file__).parent / "data"


@pytest.fixture
def panel():
    """A firm-year panel with firm effects in x and y, like Petersen's test data."""
    rng = np.random.default_rng(7)
    firms, years = 60, 6
    firm = np.repeat(np.arange(firms), years)
    x = rng.normal(size=firms)[firm] + rng.normal(size=firm.size)
    y = 0.5 + 1.0 * x + rng.normal(size=firms)[firm] + 2 * rng.normal(size=firm.size)
    return firm, x, y


@pytest.mark.parametrize("se_type", ["HC0", "HC1", "HC2", "HC3"])
def test_hc_matches_statsmodels(panel, se_type):
    _, x, y = panel
    X = sm.add_constant(x)
    ours = fit_ols(y, X, ["const", "x"], se_type).coefficient("x")
    theirs = sm.OLS(y, X).fit(cov_type=se_type)
    assert ours.se == pytest.approx(theirs.bse[1], rel=1e-10)
    assert ours.df == len(y) - 2


def test_cr1_matches_statsmodels(panel):
    firm, x, y = panel
    X = sm.add_constant(x)
    ours = fit_ols(y, X, ["const", "x"], "CR1", firm).coefficient("x")
    theirs = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": firm})
    assert ours.se == pytest.approx(theirs.bse[1], rel=1e-10)
    assert ours.df == 59


def explicit_cr2(y, X, cluster, c):
    """CR2 and its Bell-McCaffrey df from full n x n matrices (slow, obviously right)."""
    n = len(y)
    B = np.linalg.inv(X.T @ X)
    H = X @ B @ X.T
    e = (np.eye(n) - H) @ y
    meat = np.zeros((X.shape[1],) * 2)
    G = []
    for g in np.unique(cluster):
        idx = np.flatnonzero(cluster == g)
        A = linalg.sqrtm(np.linalg.inv(np.eye(idx.size) - H[np.ix_(idx, idx)])).real
        s = X[idx].T @ A @ e[idx]
        meat += np.outer(s, s)
        column = np.zeros(n)
        column[idx] = A @ X[idx] @ B @ c
        G.append((np.eye(n) - H) @ column)
    G = np.array(G).T
    eig = np.linalg.eigvalsh(G.T @ G)
    return np.sqrt(c @ B @ meat @ B @ c), eig.sum() ** 2 / (eig**2).sum()


def test_cr2_matches_explicit_algebra(panel):
    firm, x, y = panel
    keep = firm < 25
    X = sm.add_constant(x[keep])
    c = np.array([0.0, 1.0])
    ours = fit_ols(y[keep], X, ["const", "x"], "CR2", firm[keep]).coefficient("x")
    se, df = explicit_cr2(y[keep], X, firm[keep], c)
    assert ours.se == pytest.approx(se, rel=1e-9)
    assert ours.df == pytest.approx(df, rel=1e-9)


def test_cr2_balanced_clusters_is_welch_on_cluster_means():
    """Treatment constant within equal-sized clusters: CR2 is the variance of cluster
    means per arm, and the BM df is 2(J - 1) for J clusters per arm."""
    rng = np.random.default_rng(3)
    clusters, size = 8, 5
    cluster = np.repeat(np.arange(2 * clusters), size)
    treat = (cluster >= clusters).astype(float)
    y = 1 + 0.5 * treat + rng.normal(size=2 * clusters)[cluster] + rng.normal(size=cluster.size)
    fit = fit_ols(y, sm.add_constant(treat), ["const", "treat"], "CR2", cluster)
    means = pd.Series(y).groupby(cluster).mean().to_numpy()
    expected = np.sqrt(
        means[clusters:].var(ddof=1) / clusters + means[:clusters].var(ddof=1) / clusters
    )
    result = fit.coefficient("treat")
    assert result.se == pytest.approx(expected, rel=1e-10)
    assert result.df == pytest.approx(2 * (clusters - 1), rel=1e-10)


def test_hc2_difference_in_means_is_neyman_variance():
    rng = np.random.default_rng(11)
    treat = np.r_[np.ones(13), np.zeros(21)]
    y = rng.normal(size=34) * (1 + treat)
    result = fit_ols(y, sm.add_constant(treat), ["const", "treat"], "HC2").coefficient("treat")
    expected = np.sqrt(y[treat == 1].var(ddof=1) / 13 + y[treat == 0].var(ddof=1) / 21)
    assert result.se == pytest.approx(expected, rel=1e-12)


def test_cr2_with_singleton_clusters_equals_hc2(panel):
    _, x, y = panel
    X = sm.add_constant(x)
    cr2 = fit_ols(y, X, ["const", "x"], "CR2", np.arange(len(y))).coefficient("x")
    hc2 = fit_ols(y, X, ["const", "x"], "HC2").coefficient("x")
    assert cr2.se == pytest.approx(hc2.se, rel=1e-10)


def test_clustered_without_cluster_is_an_error(panel):
    _, x, y = panel
    with pytest.raises(TrialError, match="cluster"):
        fit_ols(y, sm.add_constant(x), ["const", "x"], "CR2")


def test_unknown_se_type_is_named(panel):
    _, x, y = panel
    with pytest.raises(TrialError, match="HC9"):
        fit_ols(y, sm.add_constant(x), ["const", "x"], "HC9")


PETERSEN = DATA / "petersen_test_data.txt"


def test_petersen_matches_r_sandwich_and_estimatr():
    """Values computed in R (sandwich, estimatr) on PetersenCL: y ~ x."""
    data = np.loadtxt(PETERSEN)
    firm, x, y = data[:, 0], data[:, 2], data[:, 3]
    X = sm.add_constant(x)
    expected = {"HC0": 0.028389482, "HC1": 0.028395161, "HC2": 0.028400788, "HC3": 0.028412101}
    for se_type, se in expected.items():
        result = fit_ols(y, X, ["const", "x"], se_type).coefficient("x")
        assert result.estimate == pytest.approx(1.034833439, abs=1e-8)
        assert result.se == pytest.approx(se, abs=1e-8)
    assert fit_ols(y, X, ["c", "x"], "CR1", firm).coefficient("x").se == pytest.approx(
        0.050595726, abs=1e-8
    )
    cr2 = fit_ols(y, X, ["c", "x"], "CR2", firm).coefficient("x")
    assert cr2.se == pytest.approx(0.050677767, abs=1e-8)
    assert cr2.df == pytest.approx(308.756, abs=1e-3)
