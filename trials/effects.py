"""Standardised effect sizes and multiple-testing adjustments."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

from trials.errors import TrialError


def pooled_sd(sd_treated: float, sd_control: float, n_treated: int, n_control: int) -> float:
    """Pooled (unconditional) standard deviation of two groups."""
    if n_treated + n_control <= 2:
        raise TrialError("a pooled SD needs more than two observations")
    pooled = ((n_treated - 1) * sd_treated**2 + (n_control - 1) * sd_control**2) / (
        n_treated + n_control - 2
    )
    return float(np.sqrt(pooled))


def small_sample_correction(n_total: int) -> float:
    """Hedges' J = 1 - 3 / (4 (n1 + n0) - 9)."""
    return 1 - 3 / (4 * n_total - 9)


def hedges_g(
    effect: float, sd_treated: float, sd_control: float, n_treated: int, n_control: int
) -> float:
    """(Adjusted) mean difference over the pooled unconditional SD, times Hedges' J."""
    sd = pooled_sd(sd_treated, sd_control, n_treated, n_control)
    if sd == 0:
        return float("nan")
    return effect / sd * small_sample_correction(n_treated + n_control)


def adjust_pvalues(p_values: list[float]) -> dict[str, list[float]]:
    """Holm (family-wise) and Benjamini-Hochberg (false discovery rate) adjusted p-values."""
    values = np.asarray(p_values, dtype=float)
    ok = ~np.isnan(values)
    out = {"holm": np.full(values.shape, np.nan), "bh": np.full(values.shape, np.nan)}
    if ok.any():
        out["holm"][ok] = multipletests(values[ok], method="holm")[1]
        out["bh"][ok] = multipletests(values[ok], method="fdr_bh")[1]
    return {key: value.tolist() for key, value in out.items()}
