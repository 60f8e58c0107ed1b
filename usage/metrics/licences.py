"""What a licence holder decides with: per-licence activity, the reclaim list, cost,
active-user rates (enabled vs active over 7 and 28 days), the power-user curve and
weekly retention by weeks since the licence started.

Everything is judged on ``as_of`` (the last day of the report period). Day-level
figures (active days, the power-user curve, retention) need session logs; people
whose vendor sent only totals or login counts are left out of those, and the
tables say how many were left out rather than counting them as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from usage.metrics.cells import hide_curve_cells, hide_rate_cells, hide_retention_cells
from usage.metrics.stats import Proportion

RECLAIM_WINDOWS = (90, 30)  # longest first: a licence is listed under the strictest rule
RATE_WINDOWS = (7, 28)
NEW_LICENCE_DAYS = 14  # licences held for less time are too new to judge
CURVE_DAYS = 28


def enabled_on(people: pd.DataFrame, day: date) -> pd.Series:
    """Licences in force on ``day`` (missing licence dates mean licensed throughout)."""
    start = people["licence_start"].fillna("0000").replace("", "0000")
    end = people["licence_end"].fillna("9999").replace("", "9999")
    return (start <= day.isoformat()) & (end >= day.isoformat())


def days_held(people: pd.DataFrame, as_of: date) -> pd.Series:
    """Days each licence has been held by ``as_of`` (NaN when the start is not recorded)."""
    start = pd.to_datetime(people["licence_start"].replace("", None), format="%Y-%m-%d")
    return (pd.Timestamp(as_of) - start).dt.days + 1


def licence_start_days(people: pd.DataFrame) -> pd.Series:
    """Day number (days since 1970-01-01, as the store counts) of each recorded licence start."""
    start = pd.to_datetime(people["licence_start"].replace("", None), format="%Y-%m-%d")
    return (start - pd.Timestamp("1970-01-01")).dt.days.dropna().astype("int64")


def reclaim_list(people: pd.DataFrame, as_of: date, min_days: int = NEW_LICENCE_DAYS):
    """Licences in force on ``as_of`` with no use in the last 90 or 30 days, and the rule.

    A licence is listed under the longest window it fails; one held for fewer than
    ``min_days`` days is not judged. People whose last use is unknown (totals without
    dates) are not listed: the vendor's file cannot show they are idle.
    """
    held = days_held(people, as_of)
    idle = people["monitored"] & enabled_on(people, as_of) & ~(held < min_days)
    idle &= people["last_active"].notna() | ~people["used"]
    since = (pd.Timestamp(as_of) - pd.to_datetime(people["last_active"])).dt.days
    rule_days = _rule_days(people["used"], since, held)
    listed = people[idle & rule_days.notna()].copy()
    listed["rule_days"] = rule_days[listed.index].astype(int)
    listed["days_since_use"] = since[listed.index]
    listed["rule"] = [
        _rule_text(used, window, last, days, as_of)
        for used, window, last, days in zip(
            listed["used"],
            listed["rule_days"],
            listed["last_active"],
            held[listed.index],
            strict=True,
        )
    ]
    return listed.sort_values(["rule_days", "person"], ascending=[False, True])


def _rule_days(used: pd.Series, since: pd.Series, held: pd.Series) -> pd.Series:
    """The longest window each licence fails (NaN: not idle). A never-used licence fails
    the longest window it has been held for, and at least the shortest."""
    longest, shortest = RECLAIM_WINDOWS[0], RECLAIM_WINDOWS[-1]
    never = ~used
    return pd.Series(
        np.select(
            [
                never & ~(held < longest),
                never,
                used & (since >= longest),
                used & (since >= shortest),
            ],
            [longest, shortest, longest, shortest],
            np.nan,
        ),
        index=used.index,
    )


def _rule_text(used: bool, window: int, last_active, held: float, as_of: date) -> str:
    to = f"to {as_of:%d %b %Y}"
    if used:
        return f"no use in the {window} days {to} (last used {last_active:%d %b %Y})"
    held_text = "" if math.isnan(held) else f"; licence held {int(held)} days"
    if math.isnan(held) or held >= window:
        return f"never used in {window}+ days {to}{held_text}"
    return f"never used in the licence's life {to}{held_text}"


def licence_costs(groups, reclaim: pd.DataFrame, cost: float | None, min_group: int):
    """Cost per active user and the cost of idle licences, for each group (None without a cost)."""
    if cost is None:
        return pd.DataFrame()
    records = []
    for grouping, label, rows, hidden in groups:
        record = {"grouping": grouping, "group": label, "licences": len(rows)}
        if hidden:
            records.append(record | {"note": hidden})
            continue
        active = int(rows["used_in_period"].sum())
        idle = int(rows.index.isin(reclaim.index).sum())
        records.append(
            record
            | {
                "licence_cost": cost,
                "total_cost": cost * len(rows),
                "active_users": active,
                "cost_per_active_user": cost * len(rows) / active if active else math.nan,
                "idle_licences": idle,
                "idle_cost": cost * idle,
                "note": "" if active else "no active users: cost per active user undefined",
            }
        )
    return pd.DataFrame(records)


def active_rates(groups, as_of: date, min_group: int) -> pd.DataFrame:
    """Enabled licences and active users over the last 7 and 28 days, per group.

    Only people whose day of last use is known count (session logs, or dated
    totals/logins); the rest are reported as ``unknown`` and left out of the rate.
    """
    records = []
    for grouping, label, rows, hidden in groups:
        who = active_masks(rows, as_of)
        unknown = int((enabled_on(rows, as_of) & ~who["known"]).sum())
        for window in RATE_WINDOWS:
            name = f"last {window} days"
            record = {
                "grouping": grouping,
                "group": label,
                "window": name,
                "enabled": int(who["known"].sum()),
                "unknown": unknown,
            }
            active = int(who[name].sum())
            records.append(record | _share(active, record["enabled"], min_group, "active", hidden))
    return pd.DataFrame(records)


def active_masks(people: pd.DataFrame, as_of: date) -> dict[str, pd.Series]:
    """``known``: enabled on ``as_of`` with a known day of last use (or none); then, per
    window ("last 7 days", ...), who among those was active in it."""
    known = enabled_on(people, as_of) & (people["last_active"].notna() | ~people["used"])
    last = pd.to_datetime(people["last_active"])
    masks = {"known": known}
    for window in RATE_WINDOWS:
        first = pd.Timestamp(as_of - timedelta(days=window - 1))
        masks[f"last {window} days"] = known & (last >= first)
    return masks


def _share(k: int, n: int, min_group: int, name: str, hidden: str | None = None) -> dict:
    """k, percent and Wilson interval (0-100), or a suppression note for a small group."""
    if hidden or n < min_group:
        nan = math.nan
        note = hidden or f"suppressed (fewer than {min_group})"
        return {name: nan, "percent": nan, "ci_low": nan, "ci_high": nan, "text": note}
    share = Proportion(k, n)
    low, high = share.interval
    return {
        name: k,
        "percent": 100 * share.share,
        "ci_low": 100 * low,
        "ci_high": 100 * high,
        "text": share.text(),
    }


def power_curve(people: pd.DataFrame, as_of: date, min_group: int) -> pd.DataFrame:
    """Users by the number of days (0-28) they were active in the 28 days to ``as_of``."""
    logged = people[people["day_level"] & enabled_on(people, as_of)]
    n = len(logged)
    counts = logged["days_28"].fillna(0).astype(int).value_counts()
    records = []
    for days in range(CURVE_DAYS + 1):
        users = int(counts.get(days, 0))
        at_least = int((logged["days_28"].fillna(0) >= days).sum())
        record = {"active_days": days, "people": n}
        if n < min_group:
            record |= {"users": math.nan, "percent": math.nan, "at_least_percent": math.nan}
        else:
            record |= {
                "users": users,
                "percent": 100 * users / n,
                "at_least_percent": 100 * at_least / n,
            }
        records.append(record)
    return pd.DataFrame(records)


ALL = "All monitored"


def retention(people, weekly: pd.DataFrame, as_of: date, settings, hidden: dict) -> pd.DataFrame:
    """Share of each licence-start cohort active in each week since their licence began,
    for everyone monitored and for each authority.

    ``weekly`` holds active people per (authority, cohort_day, week): see
    :func:`usage.metrics.days.since_start`. Only weeks complete for every member of the
    cohort by ``as_of`` are shown: a week half-observed would read as people dropping off.
    Authorities ``hidden`` elsewhere are hidden here; small cohorts are hidden, with more
    where a hidden one would follow from its cohort's total (:func:`cohort_groups`).
    """
    from usage.store.load import day_number, from_day_number

    logged = people[people["day_level"] & people["licence_start"].notna()]
    if logged.empty:
        return pd.DataFrame()
    start_day = licence_start_days(logged)
    cohort_day = start_day - ((start_day + 3) % 7)
    min_group = settings.min_group
    groups = cohort_groups(logged["authority"], cohort_day, min_group, hidden)
    active = weekly.groupby(["authority", "cohort_day", "week"])["active"].sum()
    last, records = day_number(as_of), []
    for authority, cohort, members, why in groups:
        weeks = max(0, (last - int(start_day[cohort_day == cohort].max()) + 1) // 7)
        mine = active.xs(cohort, level="cohort_day")
        mine = mine.groupby(level="week").sum() if authority == ALL else _authority(mine, authority)
        for week in range(weeks):
            count = int(mine.get(week, 0))
            record = {"authority": authority, "cohort": from_day_number(int(cohort))}
            record |= {"people": len(members), "week": week, "active": count}
            record |= {"percent": 100 * count / len(members), "hidden": bool(why)}
            records.append(record)
    table = pd.DataFrame(records)
    if table.empty:  # no complete week since any licence began
        return table
    if settings.suppress_cells:
        hide_retention_cells(table, ALL, min_group)
    table.loc[table.pop("hidden"), ["active", "percent"]] = math.nan
    return table


def _authority(active: pd.Series, authority: str) -> pd.Series:
    if authority not in active.index.get_level_values("authority"):
        return pd.Series(dtype="int64")
    return active.xs(authority, level="authority")


def cohort_groups(authority: pd.Series, cohort_day: pd.Series, min_group: int, hidden: dict):
    """(authority or ALL, cohort_day, member index, why hidden or None) for every cohort,
    everyone first. Within a cohort the authorities are siblings under its total."""
    from usage.metrics.suppress import close_gaps, hidden_groups

    groups, why = [], {}
    for cohort, members in cohort_day.groupby(cohort_day):
        groups.append((ALL, cohort, members.index))
        if len(members) < min_group:
            why[(ALL, cohort)] = f"suppressed (fewer than {min_group})"
        sizes = authority[members.index].value_counts()
        found = hidden_groups(sizes, min_group, {a: hidden[a] for a in sizes.index if a in hidden})
        why |= {(a, cohort): reason for a, reason in found.items()}
        groups += [
            (a, cohort, rows.index) for a, rows in authority[members.index].groupby(authority)
        ]
    everyone = authority.index
    if why:
        members = pd.DataFrame(
            np.array([everyone.isin(index) for _, _, index in groups]),
            index=pd.MultiIndex.from_tuples([(a, c) for a, c, _ in groups]),
        )
        why = close_gaps(members, why, min_group)
    order = sorted(groups, key=lambda g: (g[0] != ALL, g[0], g[1]))
    return [(a, c, index, why.get((a, c))) for a, c, index in order]


@dataclass
class LicenceDecisions:
    """The tables a licence holder decides with."""

    as_of: date
    reclaim: pd.DataFrame
    costs: pd.DataFrame
    rates: pd.DataFrame
    curve: pd.DataFrame
    retention: pd.DataFrame


def decide(people: pd.DataFrame, groups, weekly: pd.DataFrame, settings, hidden: dict):
    """Every licence-decision table, judged on the period's last day, small groups suppressed
    (``hidden``: the authorities the authority tables hide)."""
    as_of = settings.period.end
    monitored = people[people["monitored"]]
    reclaim = reclaim_list(monitored, as_of)
    rates = active_rates(groups, as_of, settings.min_group)
    curve = power_curve(monitored, as_of, settings.min_group)
    if settings.suppress_cells:
        masks = active_masks(monitored, as_of)
        hide_rate_cells(rates, groups, masks, settings.min_group)
        logged = monitored[monitored["day_level"] & enabled_on(monitored, as_of)]
        hide_curve_cells(curve, logged["days_28"], settings.min_group)
    return LicenceDecisions(
        as_of=as_of,
        reclaim=reclaim,
        costs=licence_costs(groups, reclaim, settings.licence_cost, settings.min_group),
        rates=rates,
        curve=curve,
        retention=retention(monitored, weekly, as_of, settings, hidden),
    )
