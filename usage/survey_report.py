"""Survey tables: frequency of use, intention to continue, hours saved, and the logs comparison.

Self-reports and logs often disagree (people remember their good weeks), so where
an authority has both, the two distributions are shown side by side, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from usage.metrics import Proportion, describe
from usage.model import FREQUENCIES, INTENTIONS, Period, ReportOptions

ALL = "All respondents"
DISAGREE_NOTE = (
    "Self-reported frequency and logged use often disagree; read the survey as people's "
    "impression of their use, and the logs as the measurement."
)


@dataclass
class SurveyTables:
    responses: pd.DataFrame
    frequency: pd.DataFrame
    intention: pd.DataFrame
    hours: pd.DataFrame
    crosstab: pd.DataFrame
    free_text: pd.DataFrame

    def intention_share(self, answer: str = "yes", group: str = ALL) -> Proportion:
        row = self.intention[
            (self.intention["group"] == group) & (self.intention["answer"] == answer)
        ]
        return Proportion(int(row["count"].iloc[0]), int(row["answered"].iloc[0]))


def survey_groups(responses: pd.DataFrame, options: ReportOptions):
    """(label, rows, suppressed): all respondents, then each authority."""
    yield ALL, responses, len(responses) < options.min_group
    for authority, rows in responses.groupby("authority", sort=True):
        yield authority, rows, len(rows) < options.min_group


def answer_counts(responses: pd.DataFrame, column: str, order, options) -> pd.DataFrame:
    """Counts and percentages of each answer, in the questionnaire's order, per group."""
    records = []
    for label, rows, suppressed in survey_groups(responses, options):
        answered = int(rows[column].notna().sum())
        for answer in order:
            count = int((rows[column] == answer).sum())
            record = {"group": label, "answer": answer, "answered": answered}
            if suppressed or answered == 0:
                record |= {"count": None, "percent": None, "text": "suppressed"}
            else:
                share = Proportion(count, answered)
                record |= {"count": count, "percent": 100 * share.share, "text": share.text()}
            records.append(record)
    return pd.DataFrame(records)


def hours_saved(responses: pd.DataFrame, options: ReportOptions) -> pd.DataFrame:
    records = []
    for label, rows, suppressed in survey_groups(responses, options):
        hours = rows["hours_saved"].dropna()
        record = {"group": label, "answered": len(hours)}
        if not suppressed and len(hours):
            record |= describe(hours) | {"mean": float(hours.mean())}
        records.append(record)
    return pd.DataFrame(records)


def crosstab(responses: pd.DataFrame, options: ReportOptions) -> pd.DataFrame:
    """Frequency of use (rows) by intention to continue (columns), all respondents."""
    if len(responses) < options.min_group:
        return pd.DataFrame()
    table = pd.crosstab(
        pd.Categorical(responses["frequency"], FREQUENCIES),
        pd.Categorical(responses["intention"], INTENTIONS),
        dropna=False,
        margins=True,
        margins_name="total",
    )
    table.index.name, table.columns.name = "frequency", "intention"
    return table


def build_survey(responses: pd.DataFrame, options: ReportOptions) -> SurveyTables:
    if options.show_free_text:
        free = responses.loc[responses["free_text"].fillna("") != "", ["authority", "free_text"]]
    else:
        free = pd.DataFrame(columns=["authority", "free_text"])
    return SurveyTables(
        responses=responses.drop(columns=["free_text"]),
        frequency=answer_counts(responses, "frequency", FREQUENCIES, options),
        intention=answer_counts(responses, "intention", INTENTIONS, options),
        hours=hours_saved(responses, options),
        crosstab=crosstab(responses, options),
        free_text=free.reset_index(drop=True),
    )


def logged_frequency(rows: pd.DataFrame, period: Period) -> pd.Series:
    """Each person's logged use in the survey's words, from active days per week.

    3+ days a week reads as "most days", 2+ as "several times a week", 0.75+ as
    "once a week", any use as "less than once a week". With vendor totals only,
    sessions per week stand in for active days (an upper bound).
    """
    days = rows["active_days"].where(rows["source"] == "sessions", rows["sessions"])
    per_week = days / period.weeks
    bins = [-1, 0, 0.75 - 1e-9, 2 - 1e-9, 3 - 1e-9, float("inf")]
    labels = ["never", "less than once a week", "once a week", "several times a week", "most days"]
    return pd.cut(per_week, bins=bins, labels=labels).astype(str)


def compare_with_logs(
    monitored: pd.DataFrame, responses: pd.DataFrame, period: Period, options: ReportOptions
) -> pd.DataFrame:
    """Survey and log distributions side by side for authorities that have both."""
    both = sorted(set(monitored["authority"]) & set(responses["authority"]))
    records = []
    for authority in both:
        logs = logged_frequency(monitored[monitored["authority"] == authority], period)
        said = responses.loc[responses["authority"] == authority, "frequency"].dropna()
        if len(logs) < options.min_group or len(said) < options.min_group:
            continue
        for answer in FREQUENCIES:
            records.append(
                {
                    "authority": authority,
                    "frequency": answer,
                    "survey_percent": 100 * (said == answer).mean(),
                    "logs_percent": 100 * (logs == answer).mean(),
                    "survey_n": len(said),
                    "logs_n": len(logs),
                }
            )
    return pd.DataFrame(records)
