"""Wild cluster bootstrap (restricted, WCR) p-value and confidence interval for one contrast.

The null ``c @ beta = r`` is imposed, the restricted residuals are flipped cluster by
cluster with Rademacher or Webb weights, and the bootstrap t statistics (studentised with
CR1 or CR2) are compared with the observed one (Cameron, Gelbach & Miller 2008; Webb
2023). Everything the bootstrap needs is linear in the weights and in ``r``, so all draws
come from two matrix products (Roodman et al. 2019), and the interval is found by
inverting the test without refitting anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trials.errors import TrialError

WEIGHTS = ("rademacher", "webb")
WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
TIE = 1e-9  # relative: |t*| equal to |t| up to rounding counts as "at least as large"


@dataclass(frozen=True)
class WildResult:
    """The observed t, the bootstrap p-value and interval, and how they were drawn."""

    t: float
    p_value: float
    ci_low: float
    ci_high: float
    draws: int
    exact: bool
    weights: str
    clusters: int


def draw_weights(clusters: int, draws: int, weights: str, seed: int) -> tuple[np.ndarray, bool]:
    """A (draws, clusters) matrix of weights; every sign pattern when Rademacher allows it."""
    if weights not in WEIGHTS:
        raise TrialError(f"bootstrap weights must be one of {', '.join(WEIGHTS)}, got {weights!r}")
    if draws < 1:
        raise TrialError(f"the wild bootstrap needs at least 1 draw, got {draws}")
    if weights == "rademacher" and clusters < 31 and 2**clusters <= draws:
        patterns = np.arange(2**clusters)[:, None] >> np.arange(clusters)[None, :]
        return (patterns & 1) * 2.0 - 1.0, True
    rng = np.random.default_rng(seed)
    if weights == "rademacher":
        return rng.integers(0, 2, size=(draws, clusters)) * 2.0 - 1.0, False
    return WEBB[rng.integers(0, 6, size=(draws, clusters))], False


def _cr2_adjusted(X: np.ndarray, bread: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Rows of A_g X_g, with A_g = (I - H_gg)^(-1/2) the CR2 adjustment of cluster g."""
    adjusted = np.empty_like(X)
    for rows in groups:
        Xg = X[rows]
        values, vectors = np.linalg.eigh(np.eye(len(rows)) - Xg @ bread @ Xg.T)
        keep = values > 1e-12 * max(1.0, float(values.max()))
        root = np.zeros_like(values)
        root[keep] = 1 / np.sqrt(values[keep])
        adjusted[rows] = (vectors * root) @ vectors.T @ Xg
    return adjusted


def _per_cluster(inverse: np.ndarray, clusters: int, values: np.ndarray) -> np.ndarray:
    out = np.zeros((clusters, *values.shape[1:]))
    np.add.at(out, inverse, values)
    return out


@dataclass(frozen=True)
class _Pieces:
    """Bootstrap numerators and squared SEs as quadratics in delta = c @ beta_hat - r."""

    num: tuple[np.ndarray, np.ndarray]  # numerator = num[0] + delta * num[1]
    ss: tuple[np.ndarray, np.ndarray, np.ndarray]  # se^2 = ss[0] + 2 delta ss[1] + delta^2 ss[2]
    se: float  # SE of the observed contrast (unrestricted residuals)

    def p_value(self, delta: float) -> float:
        t = abs(delta) / self.se
        numerator = np.abs(self.num[0] + delta * self.num[1])
        variance = self.ss[0] + 2 * delta * self.ss[1] + delta**2 * self.ss[2]
        t_star = numerator / np.sqrt(np.maximum(variance, 1e-300))
        return float(np.mean(t_star >= t * (1 - TIE)))


def _pieces(y, X, cluster, contrast, V, se_type) -> _Pieces:
    bread = np.linalg.pinv(X.T @ X)
    w = bread @ contrast
    resid = y - X @ (bread @ (X.T @ y))
    shift = X @ w / (contrast @ w)  # restricted residuals are resid + delta * shift
    codes, inverse = np.unique(cluster, return_inverse=True)
    G = len(codes)
    if se_type == "CR2":
        groups = [np.flatnonzero(inverse == g) for g in range(G)]
        e = _cr2_adjusted(X, bread, groups) @ w
    else:
        e = X @ w
    F = _per_cluster(inverse, G, X * e[:, None])  # X_g' e_g
    Xw = X @ w
    num, Q = [], []
    for u in (resid, shift):
        a = _per_cluster(inverse, G, Xw * u)
        d = _per_cluster(inverse, G, e * u)
        C = F @ bread @ _per_cluster(inverse, G, X * u[:, None]).T
        num.append(V @ a)
        Q.append(V * d - V @ C.T)
    ss = (np.sum(Q[0] ** 2, 1), np.sum(Q[0] * Q[1], 1), np.sum(Q[1] ** 2, 1))
    n, k = X.shape
    factor = G / (G - 1) * (n - 1) / (n - k) if se_type == "CR1" else 1.0
    se = float(np.sqrt(factor * np.sum(_per_cluster(inverse, G, e * resid) ** 2)))
    return _Pieces((num[0], num[1]), tuple(factor * s for s in ss), se)


def _boundary(pieces: _Pieces, direction: float, alpha: float) -> float:
    """Largest |delta| in ``direction`` still accepted at ``alpha``; inf when even a
    million standard errors away is not rejected (too few clusters or draws to reject)."""
    low, high = 0.0, pieces.se
    while pieces.p_value(direction * high) > alpha:
        if high > 1e6 * pieces.se:
            return float("inf")
        low, high = high, 2 * high
    for _ in range(60):
        middle = (low + high) / 2
        if pieces.p_value(direction * middle) > alpha:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def wild_cluster_bootstrap(
    y: np.ndarray,
    X: np.ndarray,
    cluster: np.ndarray,
    contrast: np.ndarray,
    draws: int = 9999,
    weights: str = "rademacher",
    se_type: str = "CR1",
    seed: int = 2021,
    null: float = 0.0,
    level: float = 0.95,
) -> WildResult:
    """WCR bootstrap-t test of ``contrast @ beta = null`` and the interval that inverts it.

    The p-value is the share of draws with |t*| >= |t| (symmetric). With Rademacher
    weights and 2^G <= ``draws`` every sign pattern is used once and the p-value is exact.
    """
    if cluster is None:
        raise TrialError("the wild cluster bootstrap needs a cluster column")
    y, X = np.asarray(y, float), np.asarray(X, float)
    contrast = np.asarray(contrast, float)
    clusters = len(np.unique(cluster))
    if clusters < 2:
        raise TrialError("the wild cluster bootstrap needs at least 2 clusters")
    V, exact = draw_weights(clusters, draws, weights, seed)
    pieces = _pieces(y, X, np.asarray(cluster), contrast, V, se_type)
    estimate = float(contrast @ np.linalg.lstsq(X, y, rcond=None)[0])
    delta = estimate - null
    alpha = 1 - level
    if not pieces.se > 0:
        raise TrialError("the wild cluster bootstrap needs a contrast with a positive SE")
    return WildResult(
        t=delta / pieces.se,
        p_value=pieces.p_value(delta),
        ci_low=estimate - _boundary(pieces, 1.0, alpha),
        ci_high=estimate + _boundary(pieces, -1.0, alpha),
        draws=len(V),
        exact=exact,
        weights=weights,
        clusters=clusters,
    )


def wild_columns(y, X, cluster, contrast, spec) -> dict:
    """The bootstrap's columns for one contrast's row (none when the spec asks for none)."""
    if not spec.wild_bootstrap:
        return {}
    result = wild_cluster_bootstrap(
        y,
        X,
        cluster,
        contrast,
        draws=spec.wild_bootstrap,
        weights=spec.wild_weights,
        se_type="CR2" if spec.se == "CR2" else "CR1",
        seed=spec.seed,
    )
    return {
        "p_wild": result.p_value,
        "ci_low_wild": result.ci_low,
        "ci_high_wild": result.ci_high,
        "wild": f"WCR, {result.weights}, {result.draws:,} draws"
        + (" (every sign pattern)" if result.exact else "")
        + f", {result.clusters} clusters",
    }
