"""Stratified individual-level allocation: equal shares per stratum, leftovers at random."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trials.data import require_columns
from trials.errors import TrialError


def randomise(roster: pd.DataFrame, strata, arms, seed: int, column: str = "arm") -> pd.DataFrame:
    """Within each stratum give every arm floor(n / k) units; the remaining units go to
    distinct arms chosen at random. Same roster and seed, same allocation."""
    require_columns(roster, list(strata), "roster")
    if len(arms) < 2:
        raise TrialError(f"need at least 2 arms, got {list(arms)}")
    if column in roster.columns:
        raise TrialError(f"roster already has a column {column!r}")
    rng = np.random.default_rng(seed)
    labels = np.empty(len(roster), dtype=object)
    groups = (
        roster.groupby(list(strata), sort=True).indices
        if strata
        else {"all": np.arange(len(roster))}
    )
    for _, rows in sorted(groups.items(), key=lambda item: str(item[0])):
        order = rng.permutation(rows)
        base = np.repeat(np.asarray(arms, dtype=object), len(rows) // len(arms))
        extra = rng.choice(np.asarray(arms, dtype=object), len(rows) % len(arms), replace=False)
        labels[order] = np.concatenate([base, extra])
    return roster.assign(**{column: labels})


def identifier_columns(roster: pd.DataFrame, named=()) -> list[str]:
    """Columns that identify units rather than describe them: the spec's unit column,
    and any column called 'id' or ending in '_id'. Their means are meaningless."""
    looks_like_id = [
        c for c in roster.columns if str(c).lower() == "id" or str(c).lower().endswith("_id")
    ]
    return [c for c in roster.columns if c in named or c in looks_like_id]


def allocation_balance(
    allocated: pd.DataFrame, column: str = "arm", identifiers=()
) -> pd.DataFrame:
    """Count per arm and the mean of every numeric roster column per arm (not the ids)."""
    numeric = allocated.select_dtypes("number")
    numeric = numeric.drop(columns=identifier_columns(numeric, identifiers))
    table = numeric.groupby(allocated[column]).mean().T
    counts = allocated[column].value_counts().rename("n").to_frame().T
    return pd.concat([counts, table]).rename_axis("variable").reset_index()
