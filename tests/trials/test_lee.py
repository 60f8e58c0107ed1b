"""Lee bounds: hand-computed trimming, collapse without differential attrition, and the table."""

import numpy as np
import pytest

from trials.data import load_data
from trials.errors import TrialError
from trials.lee import imbens_manski, lee_bounds, lee_table
from trials.spec import load_spec


def test_fractional_trimming_by_hand():
    # Treated: 5 of 10 respond (50%); control: 3 of 8 (37.5%). Keep 0.375 * 10 = 3.75 treated
    # responders: lowest (1 + 2 + 3 + 0.75 * 4) / 3.75 = 2.4, highest (5 + 4 + 3 + 0.75 * 2)
    # / 3.75 = 3.6; control mean 2.
    bounds = lee_bounds(np.array([5.0, 1, 4, 2, 3]), np.array([1.0, 2, 3]), 10, 8, ("T", "C"))
    assert bounds.trimmed_arm == "T"
    assert bounds.trim_share == pytest.approx(0.25)
    assert (bounds.lower, bounds.upper) == pytest.approx((0.4, 1.6))


def test_control_trimmed_when_it_responds_more():
    # Treated 2 of 10, control 4 of 10: keep half of control. Treated mean 10; control's
    # lowest two average 1.5, highest two 3.5: bounds 6.5 to 8.5.
    bounds = lee_bounds(np.array([9.0, 11]), np.array([1.0, 2, 3, 4]), 10, 10, ("T", "C"))
    assert bounds.trimmed_arm == "C"
    assert (bounds.lower, bounds.upper) == pytest.approx((6.5, 8.5))


def test_equal_response_gives_the_difference_in_means():
    rng = np.random.default_rng(1)
    t, c = rng.normal(1, 1, 40), rng.normal(0, 1, 40)
    bounds = lee_bounds(t, c, 100, 100)
    assert bounds.lower == pytest.approx(t.mean() - c.mean())
    assert bounds.upper == pytest.approx(t.mean() - c.mean())


def test_imbens_manski_point_identified_is_the_normal_interval():
    low, high = imbens_manski(1.0, 1.0, 0.5, 0.5)
    assert (low, high) == pytest.approx((1 - 1.959964 * 0.5, 1 + 1.959964 * 0.5), rel=1e-5)
    wide_low, wide_high = imbens_manski(0.0, 10.0, 0.5, 0.5)  # far apart: one-sided 1.645
    assert (wide_low, wide_high) == pytest.approx((-1.644854 * 0.5, 10 + 1.644854 * 0.5), rel=1e-5)


def test_too_few_observed_is_refused():
    with pytest.raises(TrialError, match="at least two observed"):
        lee_bounds(np.array([1.0]), np.array([1.0, 2.0]), 5, 5)


def test_symbolic_awards_table(fixture_path):
    data = load_data(fixture_path("symbolic_awards"), load_spec("symbolic_awards"))
    table = lee_table(data, draws=99).set_index("outcome")
    assert list(table.index) == ["wellbeing", "burnout", "motivation", "social_worth"]
    assert (table["lower"] <= table["upper"]).all()
    assert (table["ci_low"] < table["lower"]).all() and (table["ci_high"] > table["upper"]).all()
    # the control arm responded more often, so it is the one trimmed
    assert (table["response_vs"] > table["response_arm"]).all()
    assert (table["trimmed_arm"] == "control").all()


def test_bounds_cover_the_effect_on_always_responders():
    """Monotone selection: control responds when u < 0.5, treated when u < 0.65; the outcome
    rises with u, so a naive comparison is biased, but the bounds hold the true 0.3."""
    rng = np.random.default_rng(5)
    n = 20_000
    u_t, u_c = rng.uniform(size=n), rng.uniform(size=n)
    y_t = 0.3 + 2 * u_t + rng.normal(0, 0.5, n)
    y_c = 2 * u_c + rng.normal(0, 0.5, n)
    treated, control = y_t[u_t < 0.65], y_c[u_c < 0.5]
    naive = treated.mean() - control.mean()
    bounds = lee_bounds(treated, control, n, n)
    assert not 0.25 < naive < 0.35  # the naive difference is biased upwards
    assert bounds.lower < 0.3 < bounds.upper
    assert bounds.trim_share == pytest.approx((0.65 - 0.5) / 0.65, abs=0.02)
