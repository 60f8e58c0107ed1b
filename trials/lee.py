"""Lee (2009) bounds on the treatment effect among always-responders, under differential
attrition, with a bootstrap confidence interval (Imbens & Manski 2004).

The arm that responded more often is trimmed by the excess share of responders, from the
top for the lower bound and from the bottom for the upper bound. Ties at the cut are
shared fractionally, so the bounds do not depend on sort order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from trials.data import TrialData
from trials.errors import TrialError


@dataclass(frozen=True)
class LeeBounds:
    lower: float
    upper: float
    trim_share: float
    trimmed_arm: str


def trimmed_mean(sorted_values: np.ndarray, keep: float, from_top: bool) -> float:
    """Mean of the lowest (``from_top``) or highest share ``keep`` of sorted values."""
    values = sorted_values if from_top else sorted_values[::-1]
    mass = keep * len(values)
    whole = int(np.floor(mass + 1e-12))
    total = values[:whole].sum()
    if whole < len(values):
        total += (mass - whole) * values[whole]
    return float(total / mass)


def lee_bounds(
    treated: np.ndarray, control: np.ndarray, n_treated: int, n_control: int, names=("T", "C")
) -> LeeBounds:
    """Bounds from the observed outcomes of each arm and the number randomised to each."""
    if len(treated) < 2 or len(control) < 2:
        raise TrialError("Lee bounds need at least two observed outcomes in each arm")
    rate_t, rate_c = len(treated) / n_treated, len(control) / n_control
    t, c = np.sort(treated), np.sort(control)
    if rate_t >= rate_c:
        share = (rate_t - rate_c) / rate_t
        keep = 1 - share
        lower = trimmed_mean(t, keep, from_top=True) - c.mean()
        upper = trimmed_mean(t, keep, from_top=False) - c.mean()
        return LeeBounds(lower, upper, share, names[0])
    share = (rate_c - rate_t) / rate_c
    keep = 1 - share
    lower = t.mean() - trimmed_mean(c, keep, from_top=False)
    upper = t.mean() - trimmed_mean(c, keep, from_top=True)
    return LeeBounds(lower, upper, share, names[1])


def imbens_manski(lower, upper, se_lower, se_upper, level: float = 0.95) -> tuple[float, float]:
    """Interval covering the effect (not the whole set) with probability ``level``."""
    se = max(se_lower, se_upper)
    if not np.isfinite(se):
        return float("nan"), float("nan")
    if se == 0:
        return lower, upper
    gap = max(upper - lower, 0.0) / se

    def coverage(c: float) -> float:
        return stats.norm.cdf(c + gap) - stats.norm.cdf(-c) - level

    c = optimize.brentq(coverage, 0.0, 10.0)
    return lower - c * se_lower, upper + c * se_upper


def _bootstrap(y, observed, treated, draws, rng) -> np.ndarray:
    """Bounds on ``draws`` resamples of the randomised units, drawn within each arm."""
    arms = [np.flatnonzero(treated), np.flatnonzero(~treated)]
    out = np.full((draws, 2), np.nan)
    for b in range(draws):
        picks = [rng.choice(rows, size=len(rows)) for rows in arms]
        parts = [y[p][observed[p]] for p in picks]
        if min(len(parts[0]), len(parts[1])) >= 2:  # else this resample has no bounds
            bounds = lee_bounds(parts[0], parts[1], len(picks[0]), len(picks[1]))
            out[b] = bounds.lower, bounds.upper
    return out[~np.isnan(out[:, 0])]


LEE_COLUMNS = ["outcome", "label", "contrast", "response_arm", "response_vs", "trimmed_arm"]
LEE_COLUMNS += ["trim_share", "lower", "upper", "se_lower", "se_upper", "ci_low", "ci_high"]
LEE_COLUMNS += ["draws"]


def lee_table(data: TrialData, draws: int = 999, seed: int | None = None) -> pd.DataFrame:
    """Per outcome and arm vs the reference: response rates, bounds, bootstrap SEs and CI."""
    spec = data.spec
    rng = np.random.default_rng(spec.seed if seed is None else seed)
    rows = []
    for outcome in spec.outcomes:
        observed_all = data.responded & data.frame[outcome.name].notna()
        for arm in spec.arms[1:]:
            pair = data.frame[spec.treatment].isin([spec.control, arm]).to_numpy()
            treated = (data.frame[spec.treatment] == arm).to_numpy()[pair]
            observed = observed_all.to_numpy()[pair]
            y = data.frame[outcome.name].to_numpy(float)[pair]
            if min((treated & observed).sum(), (~treated & observed).sum()) < 2:
                continue  # too few observed outcomes for bounds; the table says so by absence
            bounds = lee_bounds(
                y[treated & observed],
                y[~treated & observed],
                int(treated.sum()),
                int((~treated).sum()),
                (arm, spec.control),
            )
            boot = _bootstrap(y, observed, treated, draws, rng)
            se_lower, se_upper = boot.std(axis=0, ddof=1) if len(boot) > 1 else (np.nan,) * 2
            ci = imbens_manski(bounds.lower, bounds.upper, se_lower, se_upper)
            rows.append(
                {
                    "outcome": outcome.name,
                    "label": outcome.label,
                    "contrast": f"{arm} - {spec.control}",
                    "response_arm": observed[treated].mean(),
                    "response_vs": observed[~treated].mean(),
                    "trimmed_arm": bounds.trimmed_arm,
                    "trim_share": bounds.trim_share,
                    "lower": bounds.lower,
                    "upper": bounds.upper,
                    "se_lower": se_lower,
                    "se_upper": se_upper,
                    "ci_low": ci[0],
                    "ci_high": ci[1],
                    "draws": len(boot),
                }
            )
    return pd.DataFrame(rows, columns=LEE_COLUMNS)
