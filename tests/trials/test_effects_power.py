"""Known answers: Hedges' g, Bloom MDES from the report, Holm and BH."""

import pytest

from trials.effects import adjust_pvalues, hedges_g
from trials.errors import TrialError
from trials.power import PowerSpec, mdes


def test_hedges_g_known_answer():
    # d = (15 - 10) / 2 = 2.5; J = 1 - 3 / (4 * 40 - 9) = 0.98013...
    assert hedges_g(5.0, 2.0, 2.0, 20, 20) == pytest.approx(2.450331, abs=1e-6)


@pytest.mark.parametrize(("n", "expected"), [(944, 0.18), (419, 0.27), (267, 0.34), (98, 0.57)])
def test_mdes_reproduces_the_report(n, expected):
    assert round(mdes(PowerSpec(n=n)), 2) == expected
    assert round(mdes(PowerSpec(n=n, distribution="normal")), 2) == expected


def test_mdes_falls_with_r2_and_rises_with_icc():
    base = mdes(PowerSpec(n=400))
    assert mdes(PowerSpec(n=400, r2=0.5)) == pytest.approx(base * 0.5**0.5, rel=0.01)
    assert mdes(PowerSpec(n=400, icc=0.1, cluster_size=10)) > base


def test_mdes_with_icc_zero_matches_individual_normal():
    individual = mdes(PowerSpec(n=400, distribution="normal"))
    clustered = mdes(PowerSpec(n=400, icc=0.0, cluster_size=10, distribution="normal"))
    assert clustered == pytest.approx(individual)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"n": 100, "p_treat": 1.2}, "p_treat"),
        ({"n": 100, "icc": 0.1}, "cluster_size"),
        ({"n": 2}, "n must"),
    ],
)
def test_power_spec_names_the_bad_field(kwargs, word):
    with pytest.raises(TrialError, match=word):
        PowerSpec(**kwargs)


def test_holm_and_bh_adjustments():
    adjusted = adjust_pvalues([0.01, 0.04, 0.03])
    assert adjusted["holm"] == pytest.approx([0.03, 0.06, 0.06])
    assert adjusted["bh"] == pytest.approx([0.03, 0.04, 0.04])
