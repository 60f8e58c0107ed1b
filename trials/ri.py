"""Randomisation inference: re-randomise within strata (and by cluster) exactly as designed.

Assignments are drawn as a matrix, one column per re-randomisation, and the test
statistic is computed for all columns at once with matrix products: no Python
loop per draw. When the design has few possible assignments they are all
enumerated and the p-value is exact.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from trials.errors import TrialError

Statistic = Callable[[np.ndarray], np.ndarray]
CHUNK = 500


@dataclass(frozen=True)
class RIResult:
    observed: float
    p_value: float
    draws: int
    exact: bool


def count_assignments(labels: np.ndarray, strata: np.ndarray) -> int:
    """Number of distinct assignments: product over strata of multinomial coefficients."""
    total = 1
    for stratum in np.unique(strata):
        _, counts = np.unique(labels[strata == stratum], return_counts=True)
        ways = math.factorial(int(counts.sum()))
        for count in counts:
            ways //= math.factorial(int(count))
        total *= ways
    return total


def _arrangements(labels: np.ndarray) -> list[np.ndarray]:
    """Every distinct ordering of a stratum's labels (multiset permutations)."""
    values, counts = np.unique(labels, return_counts=True)
    out: list[np.ndarray] = []

    def place(free: tuple[int, ...], level: int, current: np.ndarray) -> None:
        if level == len(values) - 1:
            filled = current.copy()
            filled[list(free)] = values[level]
            out.append(filled)
            return
        for chosen in itertools.combinations(free, int(counts[level])):
            filled = current.copy()
            filled[list(chosen)] = values[level]
            rest = tuple(i for i in free if i not in chosen)
            place(rest, level + 1, filled)

    place(tuple(range(len(labels))), 0, labels.copy())
    return out


def enumerate_assignments(labels: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """All assignments as an (n units, n assignments) matrix."""
    blocks = [np.flatnonzero(strata == s) for s in np.unique(strata)]
    per_block = [_arrangements(labels[rows]) for rows in blocks]
    columns = []
    for combo in itertools.product(*per_block):
        column = np.empty_like(labels)
        for rows, arranged in zip(blocks, combo, strict=True):
            column[rows] = arranged
        columns.append(column)
    return np.array(columns).T


def draw_assignments(labels: np.ndarray, strata: np.ndarray, draws: int, rng) -> np.ndarray:
    """``draws`` random within-stratum permutations of ``labels`` as an (n, draws) matrix."""
    codes = np.unique(strata, return_inverse=True)[1].astype(float)
    ordered = labels[np.argsort(codes, kind="stable")]
    keys = codes[None, :] + rng.random((draws, labels.size))
    positions = np.argsort(keys, axis=1)
    out = np.empty((draws, labels.size), dtype=labels.dtype)
    np.put_along_axis(out, positions, np.broadcast_to(ordered, out.shape), axis=1)
    return out.T


def _unit_level(labels, strata, cluster, names=("treatment", "cluster")):
    """Collapse row-level labels to one label per cluster; check the design allows it."""
    if cluster is None:
        return labels, strata, np.arange(labels.size)
    codes, first, inverse = np.unique(cluster, return_index=True, return_inverse=True)
    varies = labels[first][inverse] != labels
    if np.any(varies):
        raise TrialError(varies_within_cluster(names[0], names[1], cluster[np.argmax(varies)]))
    if np.any(strata[first][inverse] != strata):
        raise TrialError(
            f"the strata vary within cluster {names[1]!r}; randomisation inference re-assigns "
            "whole clusters within strata, so each cluster must lie in one stratum"
        )
    return labels[first], strata[first], inverse


def varies_within_cluster(treatment: str, cluster: str, example) -> str:
    """The one message for an arm that changes inside a cluster (RI cannot move it whole)."""
    example = example.item() if isinstance(example, np.generic) else example
    return (
        f"the arm ({treatment!r}) varies within cluster {cluster!r} (e.g. {cluster} = "
        f"{example}); randomisation inference re-assigns whole clusters, so it needs "
        "the arm to be the same for every row of a cluster. Turn RI off (ri_draws = 0, "
        "or no --ri) or check the cluster column"
    )


def _assignment_chunks(labels, strata, draws, seed, exact) -> Iterator[np.ndarray]:
    if exact:
        yield enumerate_assignments(labels, strata)
        return
    rng = np.random.default_rng(seed)
    for start in range(0, draws, CHUNK):
        yield draw_assignments(labels, strata, min(CHUNK, draws - start), rng)


def randomisation_test(
    statistic: Statistic,
    labels: np.ndarray,
    strata: np.ndarray | None = None,
    cluster: np.ndarray | None = None,
    draws: int = 10_000,
    seed: int = 20210401,
    exact_limit: int = 100_000,
    names: tuple[str, str] = ("treatment", "cluster"),
) -> RIResult:
    """Two-sided p-value of the sharp null of no effect for any unit.

    Exact (all assignments, the observed one included) when there are at most
    ``min(draws, exact_limit)`` of them; otherwise ``(1 + #{|T*| >= |T|}) / (1 + draws)``
    from seeded draws.
    """
    labels = np.asarray(labels)
    if draws < 1:
        raise TrialError(f"draws must be positive, got {draws}")
    strata = np.zeros(labels.size, int) if strata is None else np.asarray(strata)
    if cluster is not None:
        cluster = np.asarray(cluster)
    unit_labels, unit_strata, expand = _unit_level(labels, strata, cluster, names)
    observed = float(statistic(labels[:, None])[0])
    tolerance = 1e-9 * max(1.0, abs(observed))
    total = count_assignments(unit_labels, unit_strata)
    exact = total <= max(exact_limit, 0) and total <= draws
    extreme, seen = 0, 0
    for block in _assignment_chunks(unit_labels, unit_strata, draws, seed, exact):
        values = statistic(block[expand])
        extreme += int(np.sum(np.abs(values) >= abs(observed) - tolerance))
        seen += block.shape[1]
    p = extreme / seen if exact else (1 + extreme) / (1 + seen)
    return RIResult(observed, p, seen, exact)


def difference_in_means(y, treated, control, mask=None) -> Statistic:
    """Statistic: mean(y | treated) - mean(y | control), optionally within ``mask`` rows."""
    y = np.asarray(y, float)
    weight = np.ones_like(y) if mask is None else np.asarray(mask, float)

    def statistic(assignments: np.ndarray) -> np.ndarray:
        t = (assignments == treated) * weight[:, None]
        c = (assignments == control) * weight[:, None]
        return (y @ t) / t.sum(axis=0) - (y @ c) / c.sum(axis=0)

    return statistic


def ratio_difference(sums, counts, treated, control) -> Statistic:
    """Statistic: sum(sums)/sum(counts) in treated units minus the same in control units.

    With cluster totals as ``sums`` and cluster sizes as ``counts`` this is a row-level
    difference in means computed on clusters, which is far cheaper to re-randomise.
    """
    sums, counts = np.asarray(sums, float), np.asarray(counts, float)

    def statistic(assignments: np.ndarray) -> np.ndarray:
        t = (assignments == treated).astype(float)
        c = (assignments == control).astype(float)
        return (sums @ t) / (counts @ t) - (sums @ c) / (counts @ c)

    return statistic


def adjusted_coefficient(y, covariates, treated) -> Statistic:
    """Statistic: OLS coefficient of a treatment dummy given fixed covariates (by FWL)."""
    W = np.asarray(covariates, float)
    projector = np.linalg.pinv(W)
    y = np.asarray(y, float)
    y_resid = y - W @ (projector @ y)

    def statistic(assignments: np.ndarray) -> np.ndarray:
        T = (assignments == treated).astype(float)
        T_resid = T - W @ (projector @ T)
        return (y_resid @ T) / np.einsum("ij,ij->j", T_resid, T_resid)

    return statistic
