"""Sandwich variance estimators for OLS: HC0-HC3, CR1 and CR2 with Satterthwaite df.

CR2 follows Bell & McCaffrey (2002) and Pustejovsky & Tipton (2018) with an
identity working model, as R's clubSandwich and estimatr compute it for ``lm``.
statsmodels has no CR2, so it is written here with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trials.errors import ObservationError, TrialError

SE_TYPES = ("HC0", "HC1", "HC2", "HC3", "CR1", "CR2")
CLUSTERED = ("CR1", "CR2")


@dataclass(frozen=True)
class Sandwich:
    """A variance matrix and what is needed for per-contrast degrees of freedom."""

    vcov: np.ndarray
    se_type: str
    n_obs: int
    n_params: int
    n_clusters: int | None
    # For CR2: the matrices needed to compute Bell-McCaffrey df for any contrast.
    _cr2_parts: tuple | None = None

    def df(self, contrast: np.ndarray) -> float:
        """Degrees of freedom for the t reference of ``contrast @ beta``."""
        if self.se_type == "CR1":
            assert self.n_clusters is not None, "CR1 is fitted with clusters"
            return float(self.n_clusters - 1)
        if self.se_type == "CR2":
            assert self._cr2_parts is not None, "CR2 is fitted with its parts"
            return bell_mccaffrey_df(contrast, *self._cr2_parts)
        return float(self.n_obs - self.n_params)


def _bread(X: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(X.T @ X)


def leverage(X: np.ndarray, bread: np.ndarray) -> np.ndarray:
    """Diagonal of the hat matrix, computed without forming it."""
    return np.einsum("ij,jk,ik->i", X, bread, X)


def hc_vcov(X: np.ndarray, resid: np.ndarray, se_type: str) -> Sandwich:
    """Heteroskedasticity-consistent variance (MacKinnon & White 1985 family)."""
    n, k = X.shape
    bread = _bread(X)
    weights = resid**2
    if se_type == "HC1":
        weights = weights * n / (n - k)
    elif se_type in ("HC2", "HC3"):
        h = leverage(X, bread)
        if np.any(h > 1 - 1e-10):
            row = int(np.argmax(h))
            raise ObservationError(
                row,
                f"has leverage 1, so {se_type} standard errors are undefined: it is the "
                "only unit of its arm within a stratum, or alone in a cell of the design",
            )
        weights = weights / (1 - h) ** (1 if se_type == "HC2" else 2)
    meat = (X * weights[:, None]).T @ X
    return Sandwich(bread @ meat @ bread, se_type, n, k, None)


def _cluster_index(cluster: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    codes, inverse = np.unique(cluster, return_inverse=True)
    if len(codes) < 2:
        raise TrialError("clustered standard errors need at least 2 clusters")
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse))[:-1]
    return inverse, np.split(order, bounds)


def cr1_vcov(X: np.ndarray, resid: np.ndarray, cluster: np.ndarray) -> Sandwich:
    """Liang-Zeger cluster-robust variance with the Stata small-sample factor."""
    n, k = X.shape
    inverse, groups = _cluster_index(cluster)
    g = len(groups)
    scores = np.zeros((g, k))
    np.add.at(scores, inverse, X * resid[:, None])
    bread = _bread(X)
    factor = g / (g - 1) * (n - 1) / (n - k)
    return Sandwich(factor * bread @ (scores.T @ scores) @ bread, "CR1", n, k, g)


def _inverse_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Symmetric (pseudo-)inverse square root, tolerant of zero eigenvalues."""
    values, vectors = np.linalg.eigh(matrix)
    keep = values > 1e-12 * max(1.0, float(values.max()))
    inv_root = np.zeros_like(values)
    inv_root[keep] = 1 / np.sqrt(values[keep])
    return (vectors * inv_root) @ vectors.T


def cr2_vcov(X: np.ndarray, resid: np.ndarray, cluster: np.ndarray) -> Sandwich:
    """Bias-reduced linearisation (CR2) variance with an identity working model."""
    n, k = X.shape
    inverse, groups = _cluster_index(cluster)
    bread = _bread(X)
    adjusted_X = np.empty_like(X)  # row i holds (A_g X_g)[i] for i in cluster g
    scores = np.zeros((len(groups), k))
    for j, rows in enumerate(groups):
        Xg = X[rows]
        A = _inverse_sqrt(np.eye(len(rows)) - Xg @ bread @ Xg.T)
        adjusted_X[rows] = A @ Xg
        scores[j] = adjusted_X[rows].T @ resid[rows]
    vcov = bread @ (scores.T @ scores) @ bread
    return Sandwich(vcov, "CR2", n, k, len(groups), (X, bread, inverse, adjusted_X))


def bell_mccaffrey_df(contrast, X, bread, inverse, adjusted_X) -> float:
    """Satterthwaite df for ``contrast @ beta`` under CR2 (Pustejovsky & Tipton 2018).

    With u_g = (I - H)[:, g] A_g X_g B c, the variance estimate is a quadratic
    form in y whose first two moments under an identity working model give
    df = (sum_g u_g'u_g)^2 / sum_{g,h} (u_g'u_h)^2.
    """
    g = int(inverse.max()) + 1
    s = adjusted_X @ (bread @ contrast)  # u_g before the (I - H) projection, stacked
    # U = (I - H) S with S block-diagonal, so U'U = S'S - (X'S)' B (X'S): no n x G matrix.
    own = np.bincount(inverse, weights=s**2, minlength=g)
    cross = np.zeros((g, X.shape[1]))
    np.add.at(cross, inverse, X * s[:, None])
    gram = np.diag(own) - cross @ bread @ cross.T
    return float(np.trace(gram) ** 2 / np.sum(gram**2))


def sandwich(
    X: np.ndarray, resid: np.ndarray, se_type: str, cluster: np.ndarray | None = None
) -> Sandwich:
    """Dispatch on ``se_type``; clustered types need ``cluster``."""
    if se_type not in SE_TYPES:
        raise TrialError(f"se must be one of {', '.join(SE_TYPES)}, got {se_type!r}")
    if se_type in CLUSTERED:
        if cluster is None:
            raise TrialError(f"se {se_type} needs a cluster column")
        builder = cr1_vcov if se_type == "CR1" else cr2_vcov
        return builder(X, resid, np.asarray(cluster))
    return hc_vcov(X, resid, se_type)
