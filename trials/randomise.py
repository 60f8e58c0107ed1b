"""Stratified individual-level allocation: equal shares per stratum, leftovers at random."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trials.data import id_problems, missing_columns, where
from trials.errors import TrialError


def roster_problems(roster: pd.DataFrame, strata, column: str, unit: str | None) -> list[str]:
    """Every unit needs a stratum (or it would get no arm) and a unique id."""
    problems = missing_columns(roster, [*strata, *([unit] if unit else [])], "roster")
    if column in roster.columns:
        problems.append(f"roster already has a column {column!r}")
    if unit and unit in roster.columns:
        problems += id_problems(roster, unit)
    for name in strata:
        if name in roster.columns and roster[name].isna().any():
            rows = roster.index[roster[name].isna()]
            problems.append(
                f"roster column {name!r} (a stratum) is empty at {where(roster, rows, unit)}"
            )
    return problems


def randomise(
    roster: pd.DataFrame, strata, arms, seed: int, column: str = "arm", unit: str | None = None
) -> pd.DataFrame:
    """Within each stratum give every arm floor(n / k) units; the remaining units go to
    distinct arms chosen at random. Same roster and seed, same allocation."""
    if len(arms) < 2:
        raise TrialError(f"need at least 2 arms, got {list(arms)}")
    roster = roster.reset_index(drop=True)
    problems = roster_problems(roster, strata, column, unit)
    if problems:
        raise TrialError("; ".join(problems))
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
