"""``build_report(conn, options)``: uptake of the dictation app from the stored logs and surveys.

Usage comes from session logs where a person has any in the period, else from
vendor totals; a licensed person in a monitored authority (one with any logs)
who appears in no log counts as zero use. Authorities with no logs at all are
listed as unmonitored rather than counted as non-users. Groups with fewer
licences (or survey answers) than ``options.min_group`` are suppressed.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from usage.metrics import days
from usage.metrics.cells import hide_funnel_cells, hide_weekly_cells
from usage.metrics.licences import LicenceDecisions, decide, licence_start_days
from usage.metrics.stats import Proportion, describe, gini, top_share
from usage.metrics.suppress import close_gaps, hidden_groups, mask_people
from usage.metrics.survey import SurveyTables, agreement, build_survey, compare_with_logs
from usage.model import Period, ReportOptions
from usage.store import load

SUPPRESSED = "suppressed"
TOP_GROUPS = ("all", "authority")  # the groupings the licence-decision tables break down by


@dataclass
class UsageReport:
    """Every table of the report, solver-free and ready to write or plot."""

    period: Period
    options: ReportOptions
    people: pd.DataFrame
    funnel: pd.DataFrame
    distribution: pd.DataFrame
    concentration: pd.DataFrame
    review: pd.DataFrame
    weekly: pd.DataFrame
    survey: SurveyTables
    comparison: pd.DataFrame
    decisions: LicenceDecisions
    agreement: pd.DataFrame
    unmonitored: list[str] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # see load.left_out_totals
    hidden: dict = field(default_factory=dict)  # (grouping, label) -> why, as the tables hide

    @cached_property
    def shown_people(self) -> pd.DataFrame:
        """The per-person rows safe to show (:func:`mask_people`), worked out once."""
        return mask_people(self.people, self.options.min_group, self.hidden)

    def left_out_text(self) -> list[str]:
        """Why some vendor figures are not in this period's figures, in words."""
        what = {"totals": "vendor totals", "activity": "login counts"}
        return [
            f"The {what[table]} of {n} licences cover a period reaching outside "
            f"{self.period.start:%d %b %Y} to {self.period.end:%d %b %Y}, with use that may lie "
            "outside it; they cannot be split by day, so they are left out of this period's "
            "figures (report their own period with --from and --to to use them)."
            for table, n in self.left_out.items()
        ]

    def survey_dates_text(self) -> tuple[str | None, str | None]:
        """When the counted survey responses were answered, and a warning where some were
        answered before the period began: the survey tables count every response, and one
        given before the period cannot describe use in it (a survey after it is the usual
        way to ask about it)."""
        answered = pd.to_datetime(self.survey.responses["responded_on"], errors="coerce")
        answered = answered.dropna().dt.date
        if answered.empty:
            return None, None
        span = f"Survey answered {answered.min():%d %b %Y} to {answered.max():%d %b %Y}."
        before = int((answered < self.period.start).sum())
        if not before:
            return span, None
        return span, (
            f"{before} of {len(answered)} counted survey responses were answered before "
            f"{self.period.start:%d %b %Y}, when this report's period begins; the survey "
            "tables count every stored response, so what they say of use describes an "
            "earlier time than the logs."
        )

    def stage(self, stage: str, group: str = "All monitored") -> Proportion:
        row = self.funnel[(self.funnel["group"] == group) & (self.funnel["stage"] == stage)]
        return Proportion(int(row["k"].iloc[0]), int(row["n"].iloc[0]))

    def stage_text(self, stage: str, group: str = "All monitored") -> str:
        """A stage as the summary reads it: k of n, or why it is not shown."""
        row = self.funnel[(self.funnel["group"] == group) & (self.funnel["stage"] == stage)]
        return str(row["text"].iloc[0])


def build_report(
    conn: sqlite3.Connection, options: ReportOptions, later: load.LaterHalf | None = None
) -> UsageReport:
    """Every table of the report; ``later``: part of the session log read elsewhere (see
    :func:`load.session_log`), for a period already decided (``options.period``)."""
    if later is not None and options.period is None:
        raise ValueError("build_report: part of the session log read for which period?")
    period = options.period or load.default_period(conn)
    options = replace(options, period=period)
    sessions, session_days = load.session_log(conn, period, later)
    people = person_usage(conn, period, sessions, session_days)
    monitored = people[people["monitored"]]
    groups = groupings(monitored, options)
    hidden = hidden_authorities(groups, monitored, options.min_group)
    survey = build_survey(load.survey_responses(conn), options)
    weekly = days.since_start(
        session_days, licence_start_days(people), people["authority"], period.end
    )
    top_groups = [g for g in groups if g[0] in TOP_GROUPS]
    # Logs beside the survey show an authority's logged use: not for one the tables hide.
    shown = monitored[~monitored["authority"].isin(hidden)]
    reached = stage_masks(monitored, period, options)
    member = membership(groups, monitored)
    stages = funnel(groups, member, monitored, reached, options)
    distribution = spread(groups, member, monitored)
    active_weekly = weekly_active_users(session_days, period, people, hidden)
    if options.suppress_cells:  # "licensed" is everyone: never a small count in a group shown
        counted = {stage: who for stage, who in reached.items() if stage != "licensed"}
        counted["zero_use"] = monitored["minutes"] == 0
        hide_funnel_cells(stages, distribution, groups, member, counted, options.min_group)
        in_weeks = days.period_weeks(session_days, period)
        hide_weekly_cells(active_weekly, in_weeks, people["authority"], hidden, options.min_group)
    return UsageReport(
        period=period,
        options=options,
        decisions=decide(people, top_groups, weekly, options, hidden),
        agreement=agreement(shown, survey.responses, period, options),
        people=people,
        funnel=stages,
        distribution=distribution,
        concentration=pd.DataFrame([concentration(*group) for group in groups]),
        review=licence_review(monitored, options),
        weekly=active_weekly,
        survey=survey,
        comparison=compare_with_logs(shown, survey.responses, period, options),
        unmonitored=sorted(set(people["authority"]) - set(monitored["authority"])),
        left_out=load.left_out_totals(conn, period),
        hidden={(g, label): why for g, label, _, why in groups if why},
    )


def person_usage(conn: sqlite3.Connection, period: Period, sessions, session_days) -> pd.DataFrame:
    """One row per licensed person: sessions, minutes, active days/weeks, first and last use.

    Sessions, minutes and active days come from session logs, else vendor totals,
    else licence-activity exports (logins stand in for sessions; no minutes). People in
    an authority with no logs at all hold NaN ("no log data"), never 0.
    """
    frame = (
        load.licensed_people(conn, period)
        .join(sessions)
        .join(load.totals_usage(conn, period).add_suffix("_totals"))
        .join(load.activity_usage(conn, period))
        .join(days.per_person(session_days, period))
        .join(load.totals_dates(conn, period.end))
    )
    has = {
        "sessions": frame["sessions"].notna(),
        "totals": frame["sessions_totals"].notna(),
        "activity": frame["logins"].notna(),
    }
    frame["source"] = np.select(list(has.values()), list(has), "none")
    frame["sessions"] = (
        frame["sessions"].astype(float).combine_first(frame.pop("sessions_totals").astype(float))
    ).combine_first(frame["logins"].astype(float))
    frame["minutes"] = (
        frame["minutes"].astype(float).combine_first(frame.pop("minutes_totals").astype(float))
    )
    authority_has = frame.groupby("authority")["source"]
    frame["monitored"] = authority_has.transform(lambda s: (s != "none").any()).astype(bool)
    frame["day_level"] = authority_has.transform(lambda s: (s == "sessions").any()).astype(bool)
    _fill_known_zeros(frame)
    _first_and_last_use(frame)
    return frame.sort_values(["authority", "team", "person"])


def _fill_known_zeros(frame: pd.DataFrame) -> None:
    """Zero where absence from the logs means no use; NaN where the logs cannot say."""
    absent = frame["monitored"] & (frame["source"] == "none")
    frame.loc[absent, ["sessions", "minutes"]] = 0.0
    # Use seen only in totals or login counts has no days: unknown, not zero.
    undated = frame["source"].isin(["totals", "activity"]) & (frame["sessions"] > 0)
    for column in ("active_days", "active_weeks", "days_28", "days_7"):
        frame[column] = frame[column].astype(float)
        frame.loc[frame["day_level"] & frame[column].isna(), column] = 0.0
        frame.loc[~frame["day_level"] | undated, column] = math.nan


def _first_and_last_use(frame: pd.DataFrame) -> None:
    """First and last active date from every source, and whether the person ever used it."""
    first = pd.to_datetime(frame.pop("first_day"), unit="D")
    last = pd.to_datetime(frame.pop("last_day"), unit="D")
    totals_first = pd.to_datetime(frame.pop("first_use"), format="%Y-%m-%d")
    totals_last = pd.to_datetime(frame.pop("last_use"), format="%Y-%m-%d")
    login = pd.to_datetime(frame.pop("last_login").astype("string").str[:10], format="%Y-%m-%d")
    frame["first_active"] = pd.concat([first, totals_first], axis=1).min(axis=1).dt.date
    frame["last_active"] = pd.concat([last, totals_last, login], axis=1).max(axis=1).dt.date
    frame["last_active"] = frame["last_active"].astype(object).where(frame["last_active"].notna())
    frame["first_active"] = (
        frame["first_active"].astype(object).where(frame["first_active"].notna())
    )
    in_period = (frame["sessions"].fillna(0) > 0) | (frame["minutes"].fillna(0) > 0)
    frame["used"] = (in_period | frame["last_active"].notna()) & frame["monitored"]
    frame["used_in_period"] = in_period & frame["monitored"]


def groupings(monitored: pd.DataFrame, options: ReportOptions) -> list:
    """(grouping, label, rows, hidden): everyone monitored, then each authority, team and role.

    ``hidden`` is None, or why the group is suppressed: small groups, with one more where
    a single hidden group would follow from its siblings' total (see
    :func:`hidden_groups`; teams are judged within their authority, whose total is shown),
    then more until no hidden group follows from any shown ones (:func:`close_gaps`).
    """
    groups = [("all", "All monitored", monitored)]
    hidden = {}
    if too_small := _too_small(len(monitored), options.min_group):
        hidden[("all", "All monitored")] = too_small
    for grouping in options.group_by:
        if grouping == "team":
            keys = monitored["authority"] + " / " + monitored["team"].replace("", "(no team)")
            parents = monitored["authority"]
        else:
            keys = monitored[grouping].replace("", "(not recorded)")
            parents = pd.Series("", index=monitored.index)
        for _, members in keys.groupby(parents):
            found = hidden_groups(members.value_counts(), options.min_group)
            hidden |= {(grouping, label): why for label, why in found.items()}
        groups += [(grouping, label, rows) for label, rows in monitored.groupby(keys, sort=True)]
    members = pd.DataFrame(
        np.array([monitored.index.isin(rows.index) for _, _, rows in groups]),
        index=pd.MultiIndex.from_tuples([(g, label) for g, label, _ in groups]),
    )
    hidden = close_gaps(members, hidden, options.min_group) if hidden else hidden
    return [(g, label, rows, hidden.get((g, label))) for g, label, rows in groups]


def hidden_authorities(groups: list, monitored: pd.DataFrame, min_group: int) -> dict:
    """Authority -> why it is hidden, as the authority tables hide it, for every other table
    that shows authorities (weekly active users, retention), so none gives one away."""
    judged = {label: why for grouping, label, _, why in groups if grouping == "authority"}
    if not judged:
        return hidden_groups(monitored["authority"].value_counts(), min_group)
    return {label: why for label, why in judged.items() if why}


def _too_small(n: int, min_group: int) -> str | None:
    return f"{SUPPRESSED} (fewer than {min_group})" if n < min_group else None


def stage_masks(rows: pd.DataFrame, period: Period, options) -> dict[str, pd.Series]:
    """Stage -> who reached it: licensed -> used at least once -> more than N sessions ->
    regular (the stages nest: a regular user also had more than ``min_sessions``)."""
    weeks = options.regular_weeks(period)
    many = rows["sessions"] > options.min_sessions
    return {
        "licensed": pd.Series(True, index=rows.index),
        "used at least once": (rows["sessions"] > 0) | (rows["minutes"] > 0),
        f"more than {options.min_sessions} sessions": many,
        f"regular (active in {weeks} of {period.weeks} weeks)": many
        & (rows["active_weeks"] >= weeks),
    }


def membership(groups: list, monitored: pd.DataFrame) -> np.ndarray:
    """A 0/1 matrix: one row per group, one column per monitored person."""
    member = np.array([monitored.index.isin(rows.index) for _, _, rows, _ in groups], dtype=int)
    return member.reshape(len(groups), len(monitored))


def funnel(groups: list, member, monitored: pd.DataFrame, reached: dict, options) -> pd.DataFrame:
    """Each stage (``reached``, from :func:`stage_masks`) as k of N in every group, counted
    for all groups at once (the :func:`membership` matrix times the stages).

    Only session logs give weeks: where a licence that could be regular has no weekly data
    (vendor totals, login counts), the regular stage is unknown, never a count of 0.
    """
    counts = member @ np.column_stack([r.to_numpy(dtype=int) for r in reached.values()])
    many = monitored["sessions"] > options.min_sessions
    no_weeks = member @ (many & monitored["active_weeks"].isna()).to_numpy(dtype=int)
    records = []
    for (grouping, label, rows, hidden), ks, missing in zip(groups, counts, no_weeks, strict=True):
        unknown = f"unknown: no weekly data for {missing} licences (vendor totals or login counts)"
        for column, (stage, k) in enumerate(zip(reached, ks, strict=True)):
            record = {"grouping": grouping, "group": label, "stage": stage, "n": len(rows)}
            if hidden or (missing and column == len(reached) - 1):
                nan = math.nan
                record |= {"k": nan, "percent": nan, "ci_low": nan, "ci_high": nan}
                record["text"] = hidden or unknown
            else:
                share = Proportion(int(k), len(rows))
                low, high = share.interval
                record |= {"k": int(k), "percent": 100 * share.share}
                record |= {"ci_low": 100 * low, "ci_high": 100 * high, "text": share.text()}
            records.append(record)
    return pd.DataFrame(records)


def spread(groups: list, member, monitored: pd.DataFrame) -> pd.DataFrame:
    """Per group: median, quartiles and range of minutes, sessions and active days, zeros
    included, and the licences with no minutes."""
    measures = {
        m: monitored[m].to_numpy(dtype=float) for m in ("minutes", "sessions", "active_days")
    }
    records = []
    for (grouping, label, rows, hidden), mine in zip(groups, member.astype(bool), strict=True):
        record = {"grouping": grouping, "group": label, "people": len(rows)}
        if hidden:
            records.append(record | {"note": hidden})
            continue
        for measure, values in measures.items():
            values = values[mine]
            stats = describe(values[~np.isnan(values)])
            record |= {f"{measure}_{name}": value for name, value in stats.items() if name != "n"}
        record["zero_use"] = int((measures["minutes"][mine] == 0).sum())
        records.append(record)
    return pd.DataFrame(records)


def concentration(grouping, label, rows, hidden) -> dict:
    record = {"grouping": grouping, "group": label, "people": len(rows)}
    if hidden:
        return record | {"note": hidden}
    minutes = rows["minutes"].dropna()
    return record | {
        "top3_percent_of_minutes": 100 * top_share(minutes, 3),
        "gini_of_minutes": gini(minutes),
    }


def licence_review(monitored: pd.DataFrame, options: ReportOptions) -> pd.DataFrame:
    """Licences used for under ``review_minutes`` in total: candidates to reassign."""
    low = monitored[monitored["minutes"] < options.review_minutes]
    columns = ["person", "authority", "team", "role", "sessions", "minutes", "source"]
    return low[columns].sort_values(["minutes", "person"]).reset_index(drop=True)


def weekly_active_users(
    session_days: pd.DataFrame, period: Period, people: pd.DataFrame, hidden: dict
) -> pd.DataFrame:
    """Active people per week for each authority with session logs, except those hidden."""
    counts = days.weekly_by_authority(session_days, people["authority"], period)
    size = people.groupby("authority").size()
    authorities = sorted(a for a in counts["authority"].unique() if a not in hidden)
    grid = pd.MultiIndex.from_product(
        [authorities, range(period.weeks)], names=["authority", "week"]
    )
    frame = counts.set_index(["authority", "week"]).reindex(grid, fill_value=0).reset_index()
    frame["week_start"] = [period.start + timedelta(days=7 * int(w)) for w in frame["week"]]
    # The period's last week may be short: fewer days, fewer people, not a drop in use.
    frame["days"] = [min(7, (period.end - start).days + 1) for start in frame["week_start"]]
    frame["licensed"] = frame["authority"].map(size)
    return frame[["authority", "week", "week_start", "days", "active_users", "licensed"]]
