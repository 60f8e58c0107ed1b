"""Small-group and small-cell suppression, stated once for every table of the report.

A *group* (an authority, team, role, team x role, a licence-start cohort) with
fewer than ``min_group`` members is never broken down. With ``--suppress-cells``,
every count of people above zero and below ``min_group`` is hidden too (it reads
``<min_group``), and so are as many other counts as it takes for none of the hidden
ones to follow from those shown (they read ``[c]``): see :func:`protect_cells`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OTHER = "other (group under {n})"
SECONDARY = "[c]"  # a count hidden so that a smaller one cannot be worked out


def hidden(min_group: int) -> str:
    """The text shown in place of a count from 1 to ``min_group - 1``."""
    return f"<{min_group}"


def protect_cells(
    cells: pd.DataFrame,
    min_group: int,
    known: pd.DataFrame | None = None,
    already: frozenset | set = frozenset(),
    within: dict | None = None,
) -> dict:
    """--suppress-cells: label -> the text shown instead, for every count cell to hide.

    ``cells``: one row per count the report shows (its label), one 0/1 column per person
    or response counted (1: in the cell). ``known``: totals shown that stay shown (a
    group's size), the same columns. ``already``: cells hidden for another reason (a
    suppressed group's), protected like the small ones. ``within``: cell -> the known
    total it is part of ("k of n"), whose rest (n - k) it gives away. A cell from 1 to
    ``min_group - 1`` reads ``<min_group``, one whose rest is that small ``[c]``; then
    cells are hidden (``[c]``) until no hidden one is a combination of the shown cells and
    known totals (:func:`close_gaps`).
    """
    if cells.empty:  # no cell, or no one counted in any: nothing to give away
        return {}
    known = None if known is None or known.empty else known  # every group hidden
    sizes = cells.sum(axis=1)
    small = {label: hidden(min_group) for label in sizes.index[(sizes > 0) & (sizes < min_group)]}
    start = {label: SECONDARY for label in already if label in cells.index}
    if within:
        totals = known.sum(axis=1)
        rest = {cell: totals[total] - sizes[cell] for cell, total in within.items()}
        start |= {cell: SECONDARY for cell, n in rest.items() if 0 < n < min_group}
    start |= small
    if not start:
        return {}
    members = cells if known is None else pd.concat([cells, known.set_axis(cells.columns, axis=1)])
    fixed = frozenset() if known is None else frozenset(known.index)
    found = close_gaps(members, start, min_group, fixed)
    return {label: start.get(label, SECONDARY) for label in found if label in cells.index}


def hide_small_cells(counts: pd.DataFrame, min_group: int, totals: str = "rows") -> pd.DataFrame:
    """A table of counts as objects, the cells to hide replaced by ``<min_group`` or ``[c]``.

    ``totals="rows"``: each row is a group whose total is shown elsewhere and stays
    shown (the number who answered). ``totals="margins"``: its last row and column are
    its totals, shown in the table and hidden like any other count where they must be
    (the grand total, shown elsewhere, stays).
    """
    inner = counts.iloc[:-1, :-1] if totals == "margins" else counts
    values = inner.to_numpy(dtype=int)
    rows, columns = np.indices(values.shape)
    # One column per counted person: the people of cell (i, j) are values[i, j] columns.
    atom_row = np.repeat(rows.ravel(), values.ravel())
    atom_column = np.repeat(columns.ravel(), values.ravel())
    cell_rows = {
        (i, j): (atom_row == i) & (atom_column == j)
        for i in range(values.shape[0])
        for j in range(values.shape[1])
    }
    margins = {("row", i): atom_row == i for i in range(values.shape[0])}
    margins |= {("column", j): atom_column == j for j in range(values.shape[1])}
    grand = as_rows({"grand": np.ones(len(atom_row), dtype=bool)})
    if totals == "margins":
        found = protect_cells(as_rows(cell_rows | margins), min_group, grand)
    else:
        rows_known = {key: row for key, row in margins.items() if key[0] == "row"}
        found = protect_cells(as_rows(cell_rows), min_group, as_rows(rows_known))
    shown = counts.astype(object).copy()
    last_row, last_column = len(counts.index) - 1, len(counts.columns) - 1
    for label, text in found.items():
        if label[0] == "row":
            at = (label[1], last_column)
        elif label[0] == "column":
            at = (last_row, label[1])
        else:
            at = label
        shown.iloc[at] = text
    return shown.map(lambda v: int(v) if isinstance(v, (int, float, np.integer)) and v == v else v)


def as_rows(rows: dict) -> pd.DataFrame:
    """Label -> 0/1 vector, as the rows of a frame (labels may be tuples)."""
    vectors = list(rows.values())
    width = len(vectors[0]) if vectors else 0  # no one counted: rows of no columns
    matrix = np.array(vectors, dtype=float).reshape(len(vectors), width)
    return pd.DataFrame(matrix, index=pd.Index(list(rows), tupleize_cols=False))


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


def close_gaps(
    members: pd.DataFrame, hidden: dict[object, str], min_group: int, fixed=frozenset()
) -> dict:
    """Hide more groups until no hidden group can be worked out from the shown ones.

    ``members``: one row per group (its label), one 0/1 column per person. Counts of people
    add up over groups, so a hidden group's count follows from the shown counts exactly when
    its row is a combination of the shown rows (a total less its other parts, or a team
    that is its whole authority). Then the smallest shown group in that combination is
    hidden too, and the check repeats until no hidden row is a combination of shown ones.
    ``fixed``: rows that stay shown whatever (totals the report shows elsewhere); a row
    that follows from them alone cannot be helped by hiding others and is left as it is.
    """
    hidden = dict(hidden)
    # People with the same memberships are one column: the answer is the same.
    vectors, weights = np.unique(members.to_numpy(dtype=float), axis=1, return_counts=True)
    labels = list(members.index)
    why = f"suppressed (would reveal a group of fewer than {min_group})"
    pinned = [i for i, label in enumerate(labels) if label in fixed]
    beyond_help = set(_exposed(vectors, pinned, range(len(labels))))
    for _ in range(len(labels)):
        shown = [i for i, label in enumerate(labels) if label not in hidden]
        concealed = [
            i for i, label in enumerate(labels) if label in hidden and i not in beyond_help
        ]
        exposed = next(_exposed(vectors, shown, concealed), None)
        if exposed is None:
            return hidden
        basis = vectors[shown]
        coefficients = np.linalg.lstsq(basis.T, vectors[exposed], rcond=None)[0]
        used = [i for i, c in zip(shown, coefficients, strict=True) if abs(c) > 1e-9]
        cure = min(
            (i for i in used if labels[i] not in fixed), key=lambda i: (vectors[i] @ weights, i)
        )
        hidden[labels[cure]] = why
    return hidden


def _exposed(vectors: np.ndarray, shown: list[int], rows):
    """The ``rows`` (hidden ones) that are linear combinations of the ``shown`` rows."""
    if not shown:
        return
    _, singular, basis = np.linalg.svd(vectors[shown], full_matrices=False)
    space = basis[singular > singular.max() * max(vectors.shape) * np.finfo(float).eps]
    for i in rows:
        v = vectors[i]
        if v.any() and np.linalg.norm(v - (v @ space.T) @ space) < 1e-9 * np.linalg.norm(v):
            yield i
