"""The report's tables as a reader sees them: one :class:`Sheet` each, with the sentence
shown when it is empty and a definition of every column (the workbook's Notes sheet).

Percentages run 0-100 everywhere (75 means 75%). People without logs read "no log
data", never 0. Per-person tables go through :func:`usage.metrics.suppress.mask_people`
(``UsageReport.shown_people``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from usage.metrics.build import UsageReport

NO_LOG_DATA = "no log data"
NOT_IN_EXPORT = "not in the vendor's export"
NEVER_USED = "never used"


@dataclass(frozen=True)
class Sheet:
    """One table of the report: its name, what it shows, and why it may be empty."""

    name: str
    title: str
    table: pd.DataFrame
    empty: str

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 31:
            raise ValueError(f"Sheet.name must be 1-31 characters, got {self.name!r}")


COLUMNS = {
    "grouping": "What the group is: all monitored licences, an authority, a team or a role.",
    "group": "The group's name.",
    "stage": "Step of the uptake funnel; each step is a subset of the one before. 'regular' "
    "needs session logs (weeks active): vendor totals and login counts cannot show it.",
    "n": "Licences in the group (the denominator).",
    "k": "Licences in the group that reached the step.",
    "percent": "Share of the denominator, as a percentage (0-100).",
    "ci_low": "Lower end of the Wilson 95% interval, as a percentage (0-100).",
    "ci_high": "Upper end of the Wilson 95% interval, as a percentage (0-100).",
    "text": "The figure as it reads in the summary, or why it is suppressed.",
    "note": "Why a figure is missing or how to read it.",
    "person": "Pseudonym (keyed hash); `workwell usage pseudonym EMAIL` finds a person's.",
    "authority": "Local authority holding the licence.",
    "team": "Team on the roster; teams with fewer licences than the minimum group are 'other'.",
    "role": "Role on the roster; small roles (or team x role groups) are 'other'.",
    "licence_start": "First day of the licence (roster).",
    "licence_end": "Last day of the licence (roster).",
    "first_active": "First day with any recorded use, up to the report's last day.",
    "last_active": "Last day with any recorded use, up to the report's last day.",
    "active_days": "Distinct days with a session in the period (session logs only).",
    "sessions": "Sessions in the period (logins where the vendor sent only login counts).",
    "minutes": "Minutes dictated in the period.",
    "source": "Where the figures come from: sessions, totals, activity (logins) or none.",
    "rule": "Why the licence is on the reclaim list.",
    "days_since_use": "Days from the last use to the report's last day.",
    "window": "Days counted back from the report's last day.",
    "enabled": "Licences in force on the report's last day whose last use is known.",
    "unknown": "Licences in force whose day of last use the vendor's file does not give.",
    "active": "Enabled licences used at least once in the window.",
    "people": "People in the group (the denominator).",
    "users": "People active on exactly this many of the last 28 days.",
    "at_least_percent": "Share active on at least this many of the last 28 days (0-100).",
    "cohort": "Monday of the week the licences started.",
    "licences": "Licences in the group.",
    "licence_cost": "Cost of one licence for the period (from --licence-cost).",
    "total_cost": "Licences x cost of one licence.",
    "active_users": "Licences used at least once in the period.",
    "cost_per_active_user": "Total cost divided by active users.",
    "idle_licences": "Licences on the reclaim list (no use in 30 or 90 days).",
    "idle_cost": "Idle licences x cost of one licence.",
    "zero_use": "Licences with no minutes in the period.",
    "top3_percent_of_minutes": "Share of all minutes dictated by the three heaviest users (0-100).",
    "gini_of_minutes": "Gini coefficient of minutes (0 = everyone equal, near 1 = one user).",
    "week": "Week of the period (0 = the first seven days) or of the licence.",
    "week_start": "First day of the week.",
    "days": "Days of the week inside the period (the last week may be short; the chart "
    "leaves a short week out, as its fewer active people are not a drop in use).",
    "answer": "Survey answer.",
    "answered": "Finished responses that answered the question (the denominator).",
    "count": "Responses giving this answer.",
    "finished": "Finished responses: the only ones counted.",
    "partial": "Unfinished responses, reported here and counted nowhere else.",
    "frequency": "Self-reported (or, in the logs column, logged) frequency of use.",
    "survey_percent": "Share of respondents reporting this frequency (0-100).",
    "logs_percent": "Share of licences whose logged use falls in this band (0-100).",
    "survey_n": "Respondents in the authority.",
    "logs_n": "Logged licences in the authority.",
    "matched": "People with both a logged licence and a survey answer.",
    "agree": "Matched people whose reported frequency equals their logged band.",
    "reported frequency": "What the person said in the survey.",
    "free_text": "Survey comment, as stored (identifiers removed at ingest).",
    "licensed": "Licences in the authority (the denominator).",
    "min": "Smallest value among the answers.",
    "q1": "Lower quartile of the answers.",
    "median": "Median of the answers.",
    "q3": "Upper quartile of the answers.",
    "max": "Largest value among the answers.",
    "mean": "Mean of the answers.",
    "yes": "Finished responses that would keep using the app.",
    "not sure": "Finished responses not sure whether they would keep using it.",
    "no": "Finished responses that would not keep using it.",
    "total": "All finished responses in the row or column.",
}


def column_note(column: str) -> str:
    """The definition of a column; generated columns (weeks, logged bands) by their pattern."""
    if column in COLUMNS:
        return COLUMNS[column]
    if column.startswith("logged: "):
        return f"Matched people whose logged use reads '{column[8:]}'."
    if column.startswith("week "):
        return f"Share of the cohort active in {column} since their licence began (0-100)."
    if "_" in column:
        measure, statistic = column.rsplit("_", 1)
        return f"{statistic} of {measure.replace('_', ' ')} per licence, zeros included."
    return f"Licences or responses in '{column}'."


def licence_rows(report: UsageReport, rows: pd.DataFrame) -> pd.DataFrame:
    """Per-licence columns for ``rows`` (in their order), missing figures in words.

    Groups are masked over the whole roster, then the rows picked, so a short list
    (the reclaim list) masks exactly as the per-licence sheet does.
    """
    columns = [
        "person",
        "authority",
        "team",
        "role",
        "licence_start",
        "licence_end",
        "first_active",
        "last_active",
        "active_days",
        "sessions",
        "minutes",
        "source",
    ]
    masked = report.shown_people
    shown = masked.loc[[i for i in rows.index if i in masked.index]]
    table = shown[columns].astype(object).reset_index(drop=True)
    for column in ("licence_start", "licence_end"):
        table[column] = pd.to_datetime(table[column], format="%Y-%m-%d").dt.date
    unlogged = ~shown["monitored"].to_numpy()
    never = (shown["monitored"] & ~shown["used"]).to_numpy()
    for column in ("first_active", "last_active", "active_days", "sessions", "minutes"):
        missing = table[column].isna().to_numpy()
        table.loc[unlogged, column] = NO_LOG_DATA
        table.loc[~unlogged & missing, column] = NOT_IN_EXPORT
    table.loc[never, ["first_active", "last_active"]] = NEVER_USED
    return table


def retention_table(report: UsageReport) -> pd.DataFrame:
    """Cohorts as rows (everyone monitored first, then each authority), weeks since licence
    start as columns, percent active in each cell."""
    long = report.decisions.retention
    if long.empty:
        return long
    rows = ["authority", "cohort", "people"]
    table = long.pivot(index=rows, columns="week", values="percent")
    table = table.reindex(pd.MultiIndex.from_frame(long[rows].drop_duplicates()))
    table.columns = [f"week {w}" for w in table.columns]
    return table.reset_index()


def report_sheets(report: UsageReport) -> list[Sheet]:
    """Every sheet of the workbook, in reading order (Notes is added by the writer)."""
    sheets = _log_sheets(report) + _survey_sheets(report)
    if report.options.show_free_text:
        free = report.survey.free_text
        sheets.append(Sheet("free text", "Survey comments", free, "No comments were stored."))
    return sheets


def _log_sheets(report: UsageReport) -> list[Sheet]:
    """Uptake and licence-decision sheets, from the vendor's logs."""
    options, decisions = report.options, report.decisions
    monitored = report.people[report.people["monitored"]]
    no_logs = "No usage logs (sessions, totals or licence activity) are stored for this period."
    as_of = f"{decisions.as_of:%d %b %Y}"
    return [
        Sheet("funnel", "Uptake funnel per group", report.funnel, no_logs),
        Sheet(
            "per licence",
            f"Each licence: first and last use to {as_of}, active days, sessions, minutes",
            licence_rows(report, report.people),
            f"No authority has {options.min_group} or more licences on the roster.",
        ),
        Sheet(
            "reclaim",
            f"Licences with no use in the last 90 or 30 days to {as_of}",
            _with_rule(report),
            f"Every licence in force on {as_of} and held 14 days or more was used in the last "
            "30 days (or the logs cannot say when it was last used).",
        ),
        Sheet(
            "licence cost",
            "Cost per active user and cost of idle licences",
            decisions.costs,
            "No licence cost was given: run the report with --licence-cost COST "
            "(the cost of one licence for the period).",
        ),
        Sheet(
            "active users",
            f"Enabled licences and active users, 7 and 28 days to {as_of}",
            decisions.rates,
            no_logs,
        ),
        Sheet(
            "power users",
            f"Users by active days in the 28 days to {as_of} (session logs only)",
            decisions.curve,
            "No authority has session logs (totals and login counts have no days).",
        ),
        Sheet(
            "retention",
            "Share of each licence-start cohort active, by week since the licence started, "
            "for everyone monitored and per authority",
            retention_table(report),
            "No licences with a start date in an authority with session logs.",
        ),
        Sheet("minutes per person", "Spread of use per licence", report.distribution, no_logs),
        Sheet("concentration", "How concentrated use is", report.concentration, no_logs),
        Sheet(
            "licence review",
            f"Licences used for under {options.review_minutes:g} minutes in the period",
            _review(report),
            f"Every monitored licence was used for {options.review_minutes:g} minutes or more."
            if len(monitored)
            else no_logs,
        ),
        Sheet(
            "weekly active users",
            "Active people per week of the period",
            report.weekly,
            f"No authority with session logs has {options.min_group} or more licences.",
        ),
    ]


def _survey_sheets(report: UsageReport) -> list[Sheet]:
    """Survey sheets (finished responses) and their comparison with the logs."""
    survey = report.survey
    small = f"fewer than {report.options.min_group}"
    no_survey = "No finished survey responses are stored."
    return [
        Sheet("survey frequency", "Self-reported frequency of use", survey.frequency, no_survey),
        Sheet("survey intention", "Would keep using it", survey.intention, no_survey),
        Sheet("survey hours saved", "Self-reported hours saved a week", survey.hours, no_survey),
        Sheet("partial responses", "Unfinished responses (not counted)", survey.partial, no_survey),
        Sheet(
            "frequency x intention",
            "Self-reported frequency by intention to continue (finished responses)",
            survey.crosstab.reset_index(),
            no_survey
            if survey.responses.empty
            else f"Only {len(survey.responses)} finished responses ({small}): suppressed.",
        ),
        Sheet(
            "survey vs logs",
            "Self-reported frequency and logged use, side by side per authority",
            report.comparison,
            "No authority has both usage logs and survey responses "
            f"({small} of either counts as none).",
        ),
        Sheet(
            "agreement",
            "How often each person's reported frequency matches their logged use",
            report.agreement.summary,
            report.agreement.reason or "No matched people.",
        ),
        Sheet(
            "reported x logged",
            "Reported frequency (rows) against logged use (columns), matched people",
            report.agreement.table,
            report.agreement.reason or f"Every authority has {small} matched people.",
        ),
    ]


def _with_rule(report: UsageReport) -> pd.DataFrame:
    """The reclaim list as per-licence rows with the rule that put each there."""
    reclaim = report.decisions.reclaim
    table = licence_rows(report, reclaim)
    shown = reclaim.loc[reclaim.index.isin(report.shown_people.index)]
    table["rule"] = shown["rule"].to_numpy()
    table["days_since_use"] = shown["days_since_use"].to_numpy()
    return table


def _review(report: UsageReport) -> pd.DataFrame:
    people = report.people.loc[report.people["person"].isin(report.review["person"])]
    return licence_rows(report, people.sort_values(["minutes", "person"]))
