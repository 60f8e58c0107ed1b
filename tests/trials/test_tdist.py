"""Plain-Python t and normal quantiles agree with scipy (which trials mdes does not import)."""

import pytest
from scipy.special import ndtri, stdtrit

from trials.tdist import normal_quantile, t_quantile

PROBABILITIES = [0.0005, 0.025, 0.2, 0.5, 0.6, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995]


@pytest.mark.parametrize("df", [1, 1.5, 2, 3.7, 10, 96, 417, 942, 5000, 9999, 10_001, 1e7])
def test_t_quantile_matches_scipy(df):
    for p in PROBABILITIES:
        expected = stdtrit(df, p)
        assert t_quantile(p, df) == pytest.approx(expected, rel=1e-10, abs=1e-12), p


def test_normal_quantile_matches_scipy():
    for p in PROBABILITIES:
        assert normal_quantile(p) == pytest.approx(ndtri(p), rel=1e-12, abs=1e-14)


def test_t_quantile_refuses_impossible_arguments():
    with pytest.raises(ValueError, match="0 < p < 1"):
        t_quantile(1.0, 10)
