"""Randomisation inference: Gerber & Green (2012) Table 2.2 and the design's constraints."""

from fractions import Fraction

import numpy as np
import pytest

from trials.ri import (
    adjusted_coefficient,
    count_assignments,
    difference_in_means,
    draw_assignments,
    enumerate_assignments,
    randomisation_test,
)

Z = np.array([1, 0, 0, 0, 0, 0, 1])
Y = np.array([15, 15, 20, 20, 10, 15, 30], dtype=float)


def test_gerber_green_table_2_2_exact_p():
    result = randomisation_test(difference_in_means(Y, 1, 0), Z)
    assert result.observed == pytest.approx(6.5)
    assert result.exact and result.draws == 21
    assert Fraction(result.p_value).limit_denominator(100) == Fraction(8, 21)


def test_sampled_p_value_approaches_exact():
    result = randomisation_test(difference_in_means(Y, 1, 0), Z, draws=20_000, exact_limit=0)
    assert not result.exact
    assert result.p_value == pytest.approx(8 / 21, abs=0.015)


def test_draws_keep_every_stratum_total():
    strata = np.repeat([0, 1, 2], [5, 8, 3])
    labels = np.array([1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2, 2, 0])
    drawn = draw_assignments(labels, strata, 200, np.random.default_rng(1))
    for s in range(3):
        rows = strata == s
        for value in np.unique(labels):
            assert np.all((drawn[rows] == value).sum(axis=0) == (labels[rows] == value).sum())
    assert len({tuple(col) for col in drawn.T}) > 100


def test_enumeration_is_complete_and_distinct():
    strata = np.array([0, 0, 0, 0, 1, 1, 1])
    labels = np.array([1, 1, 0, 0, 2, 1, 0])
    every = enumerate_assignments(labels, strata)
    assert every.shape[1] == count_assignments(labels, strata) == 6 * 6
    assert len({tuple(col) for col in every.T}) == 36


def test_cluster_assignment_moves_whole_clusters():
    cluster = np.repeat(np.arange(6), 3)
    labels = np.repeat([1, 0, 1, 0, 1, 0], 3)
    y = np.arange(18.0)
    result = randomisation_test(difference_in_means(y, 1, 0), labels, cluster=cluster)
    assert result.exact and result.draws == 20


def test_adjusted_coefficient_matches_ols():
    rng = np.random.default_rng(5)
    n = 40
    W = np.column_stack([np.ones(n), rng.normal(size=n)])
    z = rng.permutation(np.repeat([0, 1], 20))
    y = W[:, 1] + 0.3 * z + rng.normal(size=n)
    beta = np.linalg.lstsq(np.column_stack([W, z]), y, rcond=None)[0][-1]
    assert adjusted_coefficient(y, W, 1)(z[:, None])[0] == pytest.approx(beta)
