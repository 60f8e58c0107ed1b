"""Ordinary least squares with a chosen sandwich variance, and linear contrasts of it.

The fit itself is statsmodels' ``OLS``; the variance comes from :mod:`trials.vcov`
so that HC2, CR1 and CR2 (with Bell-McCaffrey df) are available alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import stats

from trials.errors import TrialError
from trials.vcov import Sandwich, sandwich


@dataclass(frozen=True)
class Estimate:
    """One linear combination of coefficients with t-based inference."""

    estimate: float
    se: float
    df: float
    t: float
    p: float
    ci_low: float
    ci_high: float

    @classmethod
    def from_parts(cls, estimate: float, se: float, df: float, level: float = 0.95):
        t = estimate / se if se > 0 else float("nan")
        p = float(2 * stats.t.sf(abs(t), df)) if se > 0 else float("nan")
        half = float(stats.t.ppf(0.5 + level / 2, df)) * se
        return cls(estimate, se, df, t, p, estimate - half, estimate + half)


@dataclass(frozen=True)
class OLSFit:
    """Coefficients, residuals and variance of one regression."""

    names: tuple[str, ...]
    coef: np.ndarray
    resid: np.ndarray
    variance: Sandwich

    def vector(self, weights: dict[str, float]) -> np.ndarray:
        """A contrast vector from ``{coefficient name: weight}``."""
        unknown = set(weights) - set(self.names)
        if unknown:
            raise TrialError(f"no coefficient named {sorted(unknown)[0]!r}")
        return np.array([weights.get(name, 0.0) for name in self.names])

    def contrast(self, weights: dict[str, float] | np.ndarray) -> Estimate:
        """Estimate, SE, df, p and 95% CI of ``c @ beta``."""
        c = self.vector(weights) if isinstance(weights, dict) else np.asarray(weights, float)
        value = float(c @ self.coef)
        se = float(np.sqrt(max(c @ self.variance.vcov @ c, 0.0)))
        return Estimate.from_parts(value, se, self.variance.df(c))

    def coefficient(self, name: str) -> Estimate:
        return self.contrast({name: 1.0})


def fit_ols(
    y: np.ndarray,
    X: np.ndarray,
    names: tuple[str, ...] | list[str],
    se_type: str = "HC2",
    cluster: np.ndarray | None = None,
) -> OLSFit:
    """Fit ``y ~ X`` (X includes the intercept) and attach the chosen variance."""
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.shape[0] <= X.shape[1]:
        raise TrialError(f"{X.shape[0]} observations cannot identify {X.shape[1]} coefficients")
    result = sm.OLS(y, X).fit()
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise TrialError(
            "the effects cannot be separated: some of the model's terms ("
            + ", ".join(names)
            + ") are combinations of the others, e.g. a covariate constant within an arm"
        )
    variance = sandwich(X, result.resid, se_type, cluster)
    return OLSFit(tuple(names), np.asarray(result.params), np.asarray(result.resid), variance)
