"""Small-group and small-cell suppression, stated once for every table of the report.

A *group* (an authority, team, role, team x role, a licence-start cohort) with
fewer than ``min_group`` members is never broken down. With ``--suppress-cells``,
counts inside a cross-tabulation that are above zero and below ``min_group`` are
hidden too, and where a row or column would then hide only one cell (which its
total would give away) the next smallest count in it is hidden as well.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OTHER = "other (group under {n})"


def hidden(min_group: int) -> str:
    """The text shown in place of a hidden count."""
    return f"<{min_group}"


def hide_small_cells(counts: pd.DataFrame, min_group: int) -> pd.DataFrame:
    """Counts as objects, each small count replaced by ``<min_group`` (with secondary hiding)."""
    values = counts.astype(float)
    mask = (values > 0) & (values < min_group)
    for _ in range(values.size):
        extra = _secondary(values, mask) | _secondary(values.T, mask.T).T
        if not extra.any().any():
            break
        mask |= extra
    shown = counts.astype(object).where(~mask, hidden(min_group))
    return shown.map(lambda v: int(v) if isinstance(v, float) and v == v else v)


def _secondary(values: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """For each row hiding exactly one cell, also hide its smallest other non-zero cell."""
    extra = pd.DataFrame(False, index=values.index, columns=values.columns)
    for label in values.index[mask.sum(axis=1) == 1]:
        others = values.loc[label][~mask.loc[label] & (values.loc[label] > 0)]
        if len(others):
            extra.loc[label, others.idxmin()] = True
    return extra


def mask_people(people: pd.DataFrame, min_group: int, tables: dict | None = None) -> pd.DataFrame:
    """Per-person rows safe to show: small authorities dropped, small teams and roles merged.

    Authorities are hidden as the report's group tables hide them (a small one, and one
    more if the total would give it away); their people are left out. A team (or role)
    with fewer than ``min_group`` licences in its authority reads "other", again with
    one more where a single small one would be known; where team and role are both
    shown but their combination is small, the role reads "other" too. ``tables``: the
    groups the report's tables hide ((grouping, label) -> why); none of them is named
    here either, or its rows would add up to its hidden figures.
    """
    tables = tables or {}
    hidden = {label for grouping, label in tables if grouping == "authority"}
    for _, members in people.groupby("monitored")["authority"]:
        hidden |= set(hidden_groups(members.value_counts(), min_group))
    shown = people[~people["authority"].isin(hidden)].copy()
    other = OTHER.format(n=min_group)
    for column in ("team", "role"):
        for _, rows in shown.groupby("authority"):
            merged = hidden_groups(rows[column].value_counts(), min_group)
            shown.loc[rows.index[rows[column].isin(merged)], column] = other
    team_key = people["authority"] + " / " + people["team"].replace("", "(no team)")
    in_tables = team_key[shown.index].isin({label for g, label in tables if g == "team"})
    shown.loc[in_tables, "team"] = other
    role_key = people["role"].replace("", "(not recorded)")[shown.index]
    shown.loc[role_key.isin({label for g, label in tables if g == "role"}), "role"] = other
    both = shown.groupby(["authority", "team", "role"])["role"].transform("size")
    shown["role"] = shown["role"].where(both >= min_group, other)
    return shown


def hidden_groups(
    sizes: pd.Series, min_group: int, already: dict[object, str] | None = None
) -> dict[object, str]:
    """Groups (label -> reason) to suppress among siblings whose total is shown.

    Every group below ``min_group`` is hidden, and those ``already`` hidden elsewhere (a
    suppressed authority's cohort). If that hides exactly one group, its figures would
    follow from the total less the others, so the smallest other group is hidden too.
    """
    small = sizes[(sizes > 0) & (sizes < min_group)]
    hidden = {label: f"suppressed (fewer than {min_group})" for label in small.index}
    hidden |= {label: why for label, why in (already or {}).items() if label in sizes.index}
    rest = sizes.drop(list(hidden))
    rest = rest[rest > 0]
    if sum(sizes[list(hidden)] > 0) == 1 and len(rest):
        hidden[rest.idxmin()] = f"suppressed (would reveal a group of fewer than {min_group})"
    return hidden


def close_gaps(members: pd.DataFrame, hidden: dict[object, str], min_group: int) -> dict:
    """Hide more groups until no hidden group can be worked out from the shown ones.

    ``members``: one row per group (its label), one 0/1 column per person. Counts of people
    add up over groups, so a hidden group's count follows from the shown counts exactly when
    its row is a combination of the shown rows (a total less its other parts, or a team
    that is its whole authority). Then the smallest shown group in that combination is
    hidden too, and the check repeats until no hidden row is a combination of shown ones.
    """
    hidden = dict(hidden)
    # People with the same memberships are one column: the answer is the same.
    vectors, weights = np.unique(members.to_numpy(dtype=float), axis=1, return_counts=True)
    labels = list(members.index)
    why = f"suppressed (would reveal a group of fewer than {min_group})"
    for _ in range(len(labels)):
        shown = [i for i, label in enumerate(labels) if label not in hidden]
        concealed = [i for i, label in enumerate(labels) if label in hidden]
        exposed = _first_exposed(vectors, shown, concealed)
        if exposed is None:
            return hidden
        basis = vectors[shown]
        coefficients = np.linalg.lstsq(basis.T, vectors[exposed], rcond=None)[0]
        used = [i for i, c in zip(shown, coefficients, strict=True) if abs(c) > 1e-9]
        cure = min(used, key=lambda i: (vectors[i] @ weights, i))
        hidden[labels[cure]] = why
    return hidden


def _first_exposed(vectors: np.ndarray, shown: list[int], hidden: list[int]) -> int | None:
    """The first hidden row that is a linear combination of the shown rows, if any."""
    if not shown:
        return None
    _, singular, rows = np.linalg.svd(vectors[shown], full_matrices=False)
    space = rows[singular > singular.max() * max(vectors.shape) * np.finfo(float).eps]
    for i in hidden:
        v = vectors[i]
        if v.any() and np.linalg.norm(v - (v @ space.T) @ space) < 1e-9 * np.linalg.norm(v):
            return i
    return None
