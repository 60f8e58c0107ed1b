"""Small-group and small-cell suppression, stated once for every table of the report.

A *group* (an authority, team, role, team x role, a licence-start cohort) with
fewer than ``min_group`` members is never broken down. With ``--suppress-cells``,
counts inside a cross-tabulation that are above zero and below ``min_group`` are
hidden too, and where a row or column would then hide only one cell (which its
total would give away) the next smallest count in it is hidden as well.
"""

from __future__ import annotations

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


def mask_people(people: pd.DataFrame, min_group: int) -> pd.DataFrame:
    """Per-person rows safe to show: small authorities dropped, small teams and roles merged.

    Authorities are hidden as the report's group tables hide them (a small one, and one
    more if the total would give it away); their people are left out. A team (or role)
    with fewer than ``min_group`` licences in its authority reads "other", again with
    one more where a single small one would be known; where team and role are both
    shown but their combination is small, the role reads "other" too.
    """
    hidden = set()
    for _, members in people.groupby("monitored")["authority"]:
        hidden |= set(hidden_groups(members.value_counts(), min_group))
    shown = people[~people["authority"].isin(hidden)].copy()
    other = OTHER.format(n=min_group)
    for column in ("team", "role"):
        for _, rows in shown.groupby("authority"):
            merged = hidden_groups(rows[column].value_counts(), min_group)
            shown.loc[rows.index[rows[column].isin(merged)], column] = other
    both = shown.groupby(["authority", "team", "role"])["role"].transform("size")
    shown["role"] = shown["role"].where(both >= min_group, other)
    return shown


def hidden_groups(sizes: pd.Series, min_group: int) -> dict[object, str]:
    """Groups (label -> reason) to suppress among siblings whose total is shown.

    Every group below ``min_group`` is hidden. If that hides exactly one group, its
    figures would follow from the total less the others, so the smallest other group
    is hidden too.
    """
    small = sizes[(sizes > 0) & (sizes < min_group)]
    hidden = {label: f"suppressed (fewer than {min_group})" for label in small.index}
    rest = sizes.drop(small.index)
    if len(small) == 1 and len(rest):
        hidden[rest.idxmin()] = f"suppressed (would reveal a group of fewer than {min_group})"
    return hidden
