"""--suppress-cells for the tables that count people by group, for publication.

Each count shown (k of n at a funnel stage, licences with no use, active users, users by
active days) is a cell of people. :func:`usage.metrics.suppress.protect_cells` hides
those from 1 to ``min_group - 1`` and, where one would follow from the others and the
group sizes shown, more (a count of 18 of 20 gives away the 2 who did not). A hidden
count reads ``<min_group of n`` (or ``[c] of n`` where hidden to protect another) in
its table's text, and is NaN in its numeric columns, so no chart or sum uses it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from usage.metrics.suppress import as_rows, protect_cells

FIGURES = ["k", "percent", "ci_low", "ci_high"]


def hide_funnel_cells(
    funnel: pd.DataFrame,
    distribution: pd.DataFrame,
    groups: list,
    member: np.ndarray,
    stages: dict[str, pd.Series],
    min_group: int,
) -> None:
    """Hide small counts in the funnel (per stage) and the spread's ``zero_use``, in place.

    ``groups``: (grouping, label, rows, why hidden) as the tables have them, and ``member``
    their membership matrix over the monitored people; ``stages``: stage -> who reached it
    (every stage after "licensed"), plus ``"zero_use"``, judged with the first stage, which
    it nearly mirrors.
    """
    rows = member.astype(bool)
    members = {(g, label): row for (g, label, _, _), row in zip(groups, rows, strict=True)}
    hidden_groups = {(g, label) for g, label, _, why in groups if why}
    known = {key: row for key, row in members.items() if key not in hidden_groups}
    shown = funnel.dropna(subset=["k"])
    batches = [[name] for name in stages if name != "zero_use"]
    batches[0].append("zero_use")
    for batch in batches:
        cells, already, within = {}, set(), {}
        for key, in_group in members.items():
            for name in batch:
                if name != "zero_use" and not _shown(shown, key, name) and key not in hidden_groups:
                    continue  # not a count in the table (unknown stage)
                cells[(*key, name)] = in_group & stages[name].to_numpy()
                if key in hidden_groups:
                    already.add((*key, name))
                else:
                    within[(*key, name)] = key
        found = protect_cells(as_rows(cells), min_group, as_rows(known), already, within)
        for (grouping, label, name), text in found.items():
            if (grouping, label) in hidden_groups:
                continue
            if name == "zero_use":
                distribution["zero_use"] = distribution["zero_use"].astype(object)
                at = (distribution["grouping"] == grouping) & (distribution["group"] == label)
                distribution.loc[at, "zero_use"] = text
            else:
                at = (funnel["grouping"] == grouping) & (funnel["group"] == label)
                at &= funnel["stage"] == name
                funnel.loc[at, FIGURES] = math.nan
                funnel.loc[at, "text"] = f"{text} of {int(funnel.loc[at, 'n'].iloc[0])}"


def _shown(funnel: pd.DataFrame, key: tuple, stage: str) -> bool:
    at = (funnel["grouping"] == key[0]) & (funnel["group"] == key[1]) & (funnel["stage"] == stage)
    return bool(at.any())


def hide_weekly_cells(
    weekly: pd.DataFrame, active: tuple, authority: pd.Series, hidden: dict, min_group: int
) -> None:
    """Active people per authority and week, in place (NaN where hidden). ``active``:
    each (person, week) with a session. Each authority's size is shown, and so, in
    effect, is everyone's count for the week: retention's "All monitored" row gives it
    where licences start with the period. So one authority's week is never hidden alone.
    """
    person, week = active
    shown = set(weekly["authority"])
    for number in weekly["week"].unique():
        seen = authority.index.isin(person[week == number])
        cells, known, already = {}, {"everyone active": seen}, set()
        for label in authority.unique():
            member = (authority == label).to_numpy()
            cells[label] = member & seen
            if label in shown and label not in hidden:
                known[(label, "licensed")] = member
            else:
                already.add(label)
        within = {label: (label, "licensed") for label in cells if label not in already}
        found = protect_cells(as_rows(cells), min_group, as_rows(known), already, within)
        for label in found:
            if label in shown:
                at = (weekly["authority"] == label) & (weekly["week"] == number)
                weekly.loc[at, "active_users"] = math.nan


def hide_rate_cells(rates: pd.DataFrame, groups: list, active: dict, min_group: int) -> None:
    """Active users per group and window, in place. ``active``: from
    :func:`usage.metrics.licences.active_masks`, who counts ("known": the ``enabled``
    column, shown) and who of them was active in each window."""
    people = active["known"].index
    for window, who in active.items():
        if window == "known":
            continue
        cells, known, already = {}, {}, set()
        for grouping, label, rows, why in groups:
            member = people.isin(rows.index) & active["known"].to_numpy()
            known[(grouping, label)] = member
            cells[(grouping, label, window)] = member & who.to_numpy()
            if why:
                already.add((grouping, label, window))
        within = {cell: cell[:2] for cell in cells if cell not in already}
        found = protect_cells(as_rows(cells), min_group, as_rows(known), already, within)
        for (grouping, label, _), text in found.items():
            at = (rates["grouping"] == grouping) & (rates["group"] == label)
            at &= rates["window"] == window
            if not rates.loc[at, "text"].str.startswith("suppressed").any():
                rates.loc[at, ["active", "percent", "ci_low", "ci_high"]] = math.nan
                rates.loc[at, "text"] = f"{text} of {int(rates.loc[at, 'enabled'].iloc[0])}"


def hide_retention_cells(table: pd.DataFrame, everyone: str, min_group: int) -> None:
    """Active people per cohort group and week since licence start, in place (NaN where
    hidden; ``hidden`` marks groups suppressed whole, protected too). In a cohort's week
    the authorities add up to ``everyone``'s row, each a k of its people shown: the
    people are stood for by columns, k active and the rest not, in each authority."""
    for _, rows in table.groupby(["cohort", "week"]):
        parts = rows[rows["authority"] != everyone]
        active, people = parts["active"].to_numpy(int), parts["people"].to_numpy(int)
        column_of = np.repeat(np.arange(len(parts)), people)
        flags = [np.arange(n) < k for k, n in zip(active, people, strict=True)]
        is_active = np.concatenate(flags or [np.zeros(0, dtype=bool)])
        cells = {i: (column_of == r) & is_active for r, i in enumerate(parts.index)}
        known = {("people", i): column_of == r for r, i in enumerate(parts.index)}
        for i in rows.index.difference(parts.index):  # everyone's row of the cohort
            cells[i], known[("people", i)] = is_active, np.ones(len(column_of), dtype=bool)
        already = {i for i in rows.index if rows.at[i, "hidden"]}
        within = {i: ("people", i) for i in cells if i not in already}
        found = protect_cells(as_rows(cells), min_group, as_rows(known), already, within)
        table.loc[list(found), ["active", "percent"]] = math.nan


def hide_curve_cells(curve: pd.DataFrame, days_28: pd.Series, min_group: int) -> None:
    """Users by active days, in place: each day's users and the share active on at least
    that many days are cells; hidden ones are NaN (the share at least is a running total,
    so a day's users would otherwise follow from two shares)."""
    if curve.empty or curve["users"].isna().all():
        return
    days = days_28.fillna(0).to_numpy()
    cells = {("users", d): days == d for d in curve["active_days"]}
    cells |= {("at_least", d): days >= d for d in curve["active_days"] if d > 0}
    found = protect_cells(as_rows(cells), min_group, as_rows({"n": np.ones(len(days), bool)}))
    for (what, d), _ in found.items():
        at = curve["active_days"] == d
        columns = ["users", "percent"] if what == "users" else ["at_least_percent"]
        curve.loc[at, columns] = math.nan


def hide_agreement_cells(
    reported: pd.Series, logged: pd.Series, counts: pd.DataFrame, min_group: int
) -> tuple[pd.DataFrame, str | None]:
    """One authority's reported x logged counts, and its count who agree (the diagonal),
    with everyone matched shown: the table with its hidden cells marked, and the agree
    count's marker where it is hidden (None where it is shown)."""
    said, seen = reported.to_numpy(dtype=object), logged.to_numpy(dtype=object)
    cells = {(a, b): (said == a) & (seen == b) for a in counts.index for b in counts.columns}
    cells["agree"] = said == seen
    everyone = as_rows({"matched": np.ones(len(said), dtype=bool)})
    found = protect_cells(as_rows(cells), min_group, everyone, within={"agree": "matched"})
    shown = counts.astype(object)
    for key, text in found.items():
        if isinstance(key, tuple):
            shown.loc[key] = text
    return shown, found.get("agree")


def hide_partial_cells(table: pd.DataFrame, authority: pd.Series, min_group: int) -> None:
    """Partial responses per group, in place: ``authority`` holds each partial response's;
    everyone's count is the authorities' sum, so one hidden alone would follow from it."""
    everyone, *authorities = table["group"]
    groups = {everyone: np.ones(len(authority), dtype=bool)}
    groups |= {label: (authority == label).to_numpy() for label in authorities}
    suppressed = set(table.loc[table["partial"].isna(), "group"])
    found = protect_cells(as_rows(groups), min_group, None, suppressed)
    table["partial"] = table["partial"].astype(object)
    for label, text in found.items():
        if label not in suppressed:
            table.loc[table["group"] == label, "partial"] = text
