"""Minimum detectable effect size (Bloom 1995, 2006) for individual and clustered designs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from trials.errors import TrialError
from trials.tdist import normal_quantile, t_quantile


@dataclass(frozen=True)
class PowerSpec:
    """Assumptions of a power calculation; validates itself."""

    n: int
    r2: float = 0.0
    p_treat: float = 0.5
    alpha: float = 0.05
    power: float = 0.80
    icc: float | None = None
    cluster_size: float | None = None
    n_covariates: int = 0
    distribution: str = "t"

    def __post_init__(self) -> None:
        if self.n < 3:
            raise TrialError(f"n must be at least 3, got {self.n}")
        for name in ("r2", "p_treat", "alpha", "power"):
            value = getattr(self, name)
            low_ok = value >= 0 if name == "r2" else value > 0
            if not (low_ok and value < 1):
                raise TrialError(f"{name} must lie in (0, 1), got {value}")
        if (self.icc is None) != (self.cluster_size is None):
            raise TrialError("icc and cluster_size go together: give both or neither")
        if self.icc is not None and not 0 <= self.icc < 1:
            raise TrialError(f"icc must lie in [0, 1), got {self.icc}")
        if self.cluster_size is not None and self.cluster_size < 1:
            raise TrialError(f"cluster_size must be at least 1, got {self.cluster_size}")
        if self.distribution not in ("t", "normal"):
            raise TrialError(f"distribution must be 't' or 'normal', got {self.distribution!r}")

    @property
    def n_clusters(self) -> float | None:
        return None if self.cluster_size is None else self.n / self.cluster_size

    @property
    def df(self) -> float:
        units = self.n_clusters if self.n_clusters is not None else self.n
        df = units - self.n_covariates - 2
        if df < 1:
            raise TrialError(f"too few units for {self.n_covariates} covariates: df = {df}")
        return df


def multiplier(spec: PowerSpec) -> float:
    """M = t(1 - alpha/2) + t(power), two-sided, with df = units - covariates - 2."""
    if spec.distribution == "normal":
        return normal_quantile(1 - spec.alpha / 2) + normal_quantile(spec.power)
    return t_quantile(1 - spec.alpha / 2, spec.df) + t_quantile(spec.power, spec.df)


def mdes(spec: PowerSpec) -> float:
    """MDES in SD units: M sqrt((1 - R2) / (P (1 - P) N)), or the two-level form with ICC."""
    pq = spec.p_treat * (1 - spec.p_treat)
    icc, clusters = spec.icc, spec.n_clusters  # both or neither (checked by PowerSpec)
    if icc is None or clusters is None:
        variance = (1 - spec.r2) / (pq * spec.n)
    else:
        variance = icc * (1 - spec.r2) / (pq * clusters) + (1 - icc) * (1 - spec.r2) / (pq * spec.n)
    return multiplier(spec) * math.sqrt(variance)


def assumptions(spec: PowerSpec) -> dict[str, float | str | None]:
    """The assumptions behind an MDES, to print beside it."""
    out: dict[str, float | str | None] = {
        "P": spec.p_treat,
        "R2": spec.r2,
        "alpha": spec.alpha,
        "power": spec.power,
    }
    if spec.icc is not None:
        out |= {"ICC": spec.icc, "cluster_size": spec.cluster_size}
    out["df"] = round(spec.df, 2) if spec.distribution == "t" else "normal"
    return out


def describe(spec: PowerSpec) -> str:
    """'MDES = 0.274 SD (n = 419; P = 0.5, R2 = 0, alpha = 0.05 two-sided, ...)'."""
    given = assumptions(spec)
    df = given.pop("df")
    parts = [f"{key} = {value:g}" for key, value in given.items()]
    multiplier_text = f"t with df = {df:g}" if df != "normal" else "normal multipliers"
    return (
        f"MDES = {mdes(spec):.3f} SD (n = {spec.n}; {', '.join(parts)}; two-sided; "
        f"{multiplier_text})"
    )
