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

    A team (or role) with fewer than ``min_group`` licences in its authority is shown
    as "other"; where team and role are both shown but their combination is small,
    the role is merged too, so no row is picked out by team x role.
    """
    large = people.groupby("authority")["authority"].transform("size") >= min_group
    shown = people[large].copy()
    other = OTHER.format(n=min_group)
    for column in ("team", "role"):
        size = shown.groupby(["authority", column])[column].transform("size")
        shown[column] = shown[column].where(size >= min_group, other)
    both = shown.groupby(["authority", "team", "role"])["role"].transform("size")
    shown["role"] = shown["role"].where(both >= min_group, other)
    return shown
