"""Small statistics used by the report: proportions with Wilson intervals, spread, concentration.

The Wilson interval is computed here with the standard library: importing statsmodels
(and with it scipy.stats) would cost the report about a second. The tests hold it equal
to statsmodels' ``proportion_confint(method="wilson")``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from statistics import NormalDist

import numpy as np


def wilson_interval(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval (1 - alpha) for k successes in n trials, clipped to [0, 1]
    as statsmodels clips it (the bounds are inside mathematically, not always in floats)."""
    if n == 0:
        return (math.nan, math.nan)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    share, z2 = k / n, z * z
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Proportion:
    """k of n, as the report prints it: ``15 of 20 (75%; 95% CI 53-89%)``."""

    k: int
    n: int

    def __post_init__(self) -> None:
        if self.n < 0 or not 0 <= self.k <= self.n:
            raise ValueError(f"Proportion needs 0 <= k <= n, got k={self.k}, n={self.n}")

    @property
    def share(self) -> float:
        return self.k / self.n if self.n else math.nan

    @cached_property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.k, self.n)

    def text(self, interval: bool = True) -> str:
        if self.n == 0:
            return f"{self.k} of 0"
        low, high = self.interval
        ci = f"; 95% CI {low:.0%}-{high:.0%}" if interval else ""
        return f"{self.k} of {self.n} ({self.share:.0%}{ci})"


def gini(values) -> float:
    """Gini coefficient of non-negative amounts (0 = all equal, near 1 = one person uses all)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return math.nan
    ranks = np.arange(1, n + 1)
    return float(2 * np.sum(ranks * x) / (n * x.sum()) - (n + 1) / n)


def top_share(values, top: int = 3) -> float:
    """Share of the total held by the ``top`` largest amounts."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    total = x.sum()
    return float(x[:top].sum() / total) if total > 0 else math.nan


def describe(values) -> dict[str, float]:
    """n, min, quartiles, median and max, counting zeros like any other value."""
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return {
            "n": 0,
            "min": math.nan,
            "q1": math.nan,
            "median": math.nan,
            "q3": math.nan,
            "max": math.nan,
        }
    q1, median, q3 = np.percentile(x, [25, 50, 75])
    return {
        "n": len(x),
        "min": float(x.min()),
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "max": float(x.max()),
    }
