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
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd

from usage import load
from usage.metrics import Proportion, describe, gini, top_share
from usage.model import Period, ReportOptions
from usage.survey_report import SurveyTables, build_survey, compare_with_logs

SUPPRESSED = "suppressed"


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
    unmonitored: list[str] = field(default_factory=list)

    def stage(self, stage: str, group: str = "All monitored") -> Proportion:
        row = self.funnel[(self.funnel["group"] == group) & (self.funnel["stage"] == stage)]
        return Proportion(int(row["k"].iloc[0]), int(row["n"].iloc[0]))


def build_report(conn: sqlite3.Connection, options: ReportOptions) -> UsageReport:
    period = options.period or load.default_period(conn)
    people = person_usage(conn, period)
    monitored = people[people["monitored"]]
    groups = list(groupings(monitored, options))
    survey = build_survey(load.survey_responses(conn), options)
    return UsageReport(
        period=period,
        options=options,
        people=people,
        funnel=pd.concat([funnel(g, label, rows, period, options) for g, label, rows in groups]),
        distribution=pd.DataFrame([spread(g, label, rows, options) for g, label, rows in groups]),
        concentration=pd.DataFrame(
            [concentration(g, label, rows, options) for g, label, rows in groups]
        ),
        review=licence_review(monitored, options),
        weekly=weekly_active_users(conn, period, people, options),
        survey=survey,
        comparison=compare_with_logs(monitored, survey.responses, period, options),
        unmonitored=sorted(set(people["authority"]) - set(monitored["authority"])),
    )


def person_usage(conn: sqlite3.Connection, period: Period) -> pd.DataFrame:
    """One row per licensed person: sessions, minutes, active days/weeks and their source."""
    people = load.licensed_people(conn, period)
    sessions = load.session_usage(conn, period)
    totals = load.totals_usage(conn, period).add_suffix("_totals")
    frame = people.join(sessions).join(totals)
    from_sessions = frame["sessions"].notna()
    from_totals = ~from_sessions & frame["sessions_totals"].notna()
    frame["source"] = np.select([from_sessions, from_totals], ["sessions", "totals"], "none")
    for measure in ("sessions", "minutes"):
        totals = frame.pop(f"{measure}_totals").astype(float)
        frame[measure] = frame[measure].astype(float).combine_first(totals).fillna(0)
    for measure in ("active_days", "active_weeks"):
        frame[measure] = frame[measure].fillna(0).astype(int)
    frame["sessions"] = frame["sessions"].astype(int)
    logged = frame.groupby("authority")["source"].transform(lambda s: (s != "none").any())
    frame["monitored"] = logged.astype(bool)
    return frame.sort_values(["authority", "team", "person"])


def groupings(monitored: pd.DataFrame, options: ReportOptions):
    """(grouping, label, rows): everyone monitored, then each authority, team and role."""
    yield "all", "All monitored", monitored
    for grouping in options.group_by:
        if grouping == "team":
            keys = monitored["authority"] + " / " + monitored["team"].replace("", "(no team)")
        else:
            keys = monitored[grouping].replace("", "(not recorded)")
        for label, rows in monitored.groupby(keys, sort=True):
            yield grouping, label, rows


def funnel(grouping: str, label: str, rows: pd.DataFrame, period: Period, options) -> pd.DataFrame:
    """Licensed -> used at least once -> more than N sessions -> regular, each k of N.

    The stages nest: a regular user also had more than ``min_sessions`` sessions.
    """
    n = len(rows)
    weeks = options.regular_weeks(period)
    stages = {
        "licensed": n,
        "used at least once": int(((rows["sessions"] > 0) | (rows["minutes"] > 0)).sum()),
        f"more than {options.min_sessions} sessions": int(
            (rows["sessions"] > options.min_sessions).sum()
        ),
        f"regular (active in {weeks} of {period.weeks} weeks)": int(
            ((rows["sessions"] > options.min_sessions) & (rows["active_weeks"] >= weeks)).sum()
        ),
    }
    records = []
    for stage, k in stages.items():
        record = {"grouping": grouping, "group": label, "stage": stage, "n": n}
        if n < options.min_group:
            record |= {
                "k": math.nan,
                "percent": math.nan,
                "ci_low": math.nan,
                "ci_high": math.nan,
                "text": f"{SUPPRESSED} (fewer than {options.min_group})",
            }
        else:
            share = Proportion(k, n)
            low, high = share.interval
            record |= {
                "k": k,
                "percent": 100 * share.share,
                "ci_low": 100 * low,
                "ci_high": 100 * high,
                "text": share.text(),
            }
        records.append(record)
    return pd.DataFrame(records)


def spread(grouping: str, label: str, rows: pd.DataFrame, options: ReportOptions) -> dict:
    """Median, quartiles and range of minutes, sessions and active days, zeros included."""
    record = {"grouping": grouping, "group": label, "people": len(rows)}
    if len(rows) < options.min_group:
        return record | {"note": SUPPRESSED}
    for measure in ("minutes", "sessions", "active_days"):
        stats = describe(rows[measure])
        record |= {f"{measure}_{name}": value for name, value in stats.items() if name != "n"}
    record["zero_use"] = int((rows["minutes"] == 0).sum())
    return record


def concentration(grouping: str, label: str, rows: pd.DataFrame, options) -> dict:
    record = {"grouping": grouping, "group": label, "people": len(rows)}
    if len(rows) < options.min_group:
        return record | {"note": SUPPRESSED}
    return record | {
        "top3_share_of_minutes": top_share(rows["minutes"], 3),
        "gini_of_minutes": gini(rows["minutes"]),
    }


def licence_review(monitored: pd.DataFrame, options: ReportOptions) -> pd.DataFrame:
    """Licences used for under ``review_minutes`` in total: candidates to reassign."""
    low = monitored[monitored["minutes"] < options.review_minutes]
    columns = ["person", "authority", "team", "role", "sessions", "minutes", "source"]
    return low[columns].sort_values(["minutes", "person"]).reset_index(drop=True)


def weekly_active_users(
    conn: sqlite3.Connection, period: Period, people: pd.DataFrame, options: ReportOptions
) -> pd.DataFrame:
    """Active people per week for each authority with session logs (small ones suppressed)."""
    counts = load.weekly_active(conn, period)
    size = people.groupby("authority").size()
    authorities = sorted(
        a for a in counts["authority"].unique() if size.get(a, 0) >= options.min_group
    )
    grid = pd.MultiIndex.from_product(
        [authorities, range(period.weeks)], names=["authority", "week"]
    )
    frame = counts.set_index(["authority", "week"]).reindex(grid, fill_value=0).reset_index()
    frame["week_start"] = [period.start + timedelta(days=7 * int(w)) for w in frame["week"]]
    frame["licensed"] = frame["authority"].map(size)
    return frame[["authority", "week", "week_start", "active_users", "licensed"]]
