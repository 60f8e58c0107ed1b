"""Survey tables: frequency of use, intention to continue, hours saved, and the logs comparison.

Self-reports and logs often disagree (people remember their good weeks), so where
an authority has both, the two distributions are shown side by side, never merged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from usage.metrics.cells import hide_agreement_cells, hide_partial_cells
from usage.metrics.stats import Proportion, describe
from usage.metrics.suppress import hidden_groups, hide_small_cells
from usage.model import (
    INTENTIONS,
    Period,
    ReportOptions,
    frequency_scale,
    on_scale,
)

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
    partial: pd.DataFrame

    def intention_share(self, answer: str = "yes", group: str = ALL) -> Proportion:
        row = self.intention[
            (self.intention["group"] == group) & (self.intention["answer"] == answer)
        ]
        return Proportion(int(row["count"].iloc[0]), int(row["answered"].iloc[0]))


def survey_groups(responses: pd.DataFrame, options: ReportOptions):
    """(label, rows, suppressed): all respondents, then each authority."""
    yield ALL, responses, len(responses) < options.min_group
    hidden = hidden_groups(responses["authority"].value_counts(), options.min_group)
    for authority, rows in responses.groupby("authority", sort=True):
        yield authority, rows, authority in hidden


def answer_counts(responses: pd.DataFrame, column: str, order, options) -> pd.DataFrame:
    """Counts and percentages of each answer, in the questionnaire's order, per group.

    With ``suppress_cells`` small counts are hidden, with one more where a single
    hidden count could be worked out from the group's total.
    """
    records = []
    for label, rows, suppressed in survey_groups(responses, options):
        answered = int(rows[column].notna().sum())
        counts = pd.DataFrame([[int((rows[column] == answer).sum()) for answer in order]])
        if getattr(options, "suppress_cells", False):
            counts = hide_small_cells(counts, options.min_group)
        for answer, count in zip(order, counts.iloc[0], strict=True):
            record = {"group": label, "answer": answer, "answered": answered}
            if suppressed or answered == 0:
                record |= {"count": None, "percent": None, "text": "suppressed"}
            elif isinstance(count, str):
                record |= {"count": None, "percent": None, "text": f"{count} of {answered}"}
            else:
                share = Proportion(int(count), answered)
                record |= {"count": int(count), "percent": 100 * share.share, "text": share.text()}
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
        pd.Categorical(responses["frequency"], frequency_scale(responses["frequency"].dropna())),
        pd.Categorical(responses["intention"], INTENTIONS),
        dropna=False,
        margins=True,
        margins_name="total",
    )
    table.index.name, table.columns.name = "frequency", "intention"
    if getattr(options, "suppress_cells", False):  # its totals are counts like any other
        table = hide_small_cells(table, options.min_group, totals="margins")
    return table


def partial_responses(responses: pd.DataFrame, options: ReportOptions) -> pd.DataFrame:
    """Partial (unfinished) responses per group; a group's size is its finished responses."""
    finished = responses[responses["finished"] == 1]
    partial = responses[responses["finished"] != 1]
    records = []
    for label, rows, suppressed in survey_groups(finished, options):
        mine = partial if label == ALL else partial[partial["authority"] == label]
        record = {"group": label, "finished": len(rows)}
        if suppressed:
            record |= {"partial": None, "note": f"suppressed (fewer than {options.min_group})"}
        else:
            record |= {"partial": len(mine), "note": "partial responses are not counted"}
        records.append(record)
    table = pd.DataFrame(records)
    if getattr(options, "suppress_cells", False) and len(table):
        hide_partial_cells(table, partial["authority"], options.min_group)
    return table


def build_survey(everything: pd.DataFrame, options: ReportOptions) -> SurveyTables:
    """Survey tables from finished responses only; partial ones are counted separately."""
    responses = everything[everything["finished"] == 1].reset_index(drop=True)
    scale = frequency_scale(responses["frequency"].dropna())
    responses["frequency"] = on_scale(responses["frequency"], scale)
    if options.show_free_text:
        free = responses.loc[responses["free_text"].fillna("") != "", ["authority", "free_text"]]
    else:
        free = pd.DataFrame(columns=["authority", "free_text"])
    return SurveyTables(
        responses=responses.drop(columns=["free_text"]),
        frequency=answer_counts(responses, "frequency", scale, options),
        intention=answer_counts(responses, "intention", INTENTIONS, options),
        hours=hours_saved(responses, options),
        crosstab=crosstab(responses, options),
        free_text=free.reset_index(drop=True),
        partial=partial_responses(everything, options),
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
    scale = frequency_scale(responses["frequency"].dropna())
    records = []
    for authority in both:
        logs = logged_frequency(monitored[monitored["authority"] == authority], period)
        said = responses.loc[responses["authority"] == authority, "frequency"].dropna()
        if len(logs) < options.min_group or len(said) < options.min_group:
            continue
        survey_share = _shares(said, scale, options)
        logs_share = _shares(on_scale(logs, scale), scale, options)
        for answer in scale:
            records.append(
                {
                    "authority": authority,
                    "frequency": answer,
                    "survey_percent": survey_share[answer],
                    "logs_percent": logs_share[answer],
                    "survey_n": len(said),
                    "logs_n": len(logs),
                }
            )
    return pd.DataFrame(records)


def _shares(answers: pd.Series, scale: tuple[str, ...], options: ReportOptions) -> dict:
    """Percent giving each answer; with ``suppress_cells``, NaN where the count is hidden."""
    counts = pd.DataFrame([[int((answers == answer).sum()) for answer in scale]])
    if getattr(options, "suppress_cells", False):
        counts = hide_small_cells(counts, options.min_group)
    return {
        answer: math.nan if isinstance(count, str) else 100 * count / len(answers)
        for answer, count in zip(scale, counts.iloc[0], strict=True)
    }


@dataclass
class Agreement:
    """Each matched person's reported frequency (rows) against their logged use (columns)."""

    table: pd.DataFrame
    summary: pd.DataFrame
    reason: str = ""


def agreement(
    monitored: pd.DataFrame, responses: pd.DataFrame, period: Period, options: ReportOptions
) -> Agreement:
    """Per authority with logs and identified responses: a reported x logged table.

    Only people who both answered the frequency question and hold a logged licence
    count; an authority with fewer such people than ``min_group`` is suppressed.
    """
    said = responses.dropna(subset=["person_id", "frequency"]).drop_duplicates("person_id")
    said = said.set_index(said["person_id"].astype(int))["frequency"]
    matched = monitored.join(said.rename("reported"), how="inner")
    scale = frequency_scale(responses["frequency"].dropna())
    tables, records = [], []
    for authority, rows in matched.groupby("authority", sort=True):
        record = {"authority": authority, "matched": len(rows)}
        if len(rows) < options.min_group:
            records.append(record | {"text": f"suppressed (fewer than {options.min_group})"})
            continue
        logged = on_scale(logged_frequency(rows, period), scale)
        counts = pd.crosstab(
            pd.Categorical(rows["reported"], scale),
            pd.Categorical(logged, scale),
            dropna=False,
        )
        agree = Proportion(int(sum(counts.iloc[i, i] for i in range(len(scale)))), len(rows))
        agree_hidden = None
        if getattr(options, "suppress_cells", False):
            counts, agree_hidden = hide_agreement_cells(
                rows["reported"], logged, counts, options.min_group
            )
        counts.insert(0, "reported frequency", list(scale))
        counts.insert(0, "authority", authority)
        tables.append(counts.reset_index(drop=True))
        if agree_hidden:
            hidden_agree = {
                "agree": None,
                "percent": None,
                "text": f"{agree_hidden} of {len(rows)}",
            }
            records.append(record | hidden_agree)
        else:
            records.append(
                record | {"agree": agree.k, "percent": 100 * agree.share, "text": agree.text()}
            )
    if not records:
        reason = "No authority has both logged licences and identified survey answers."
    elif not tables:
        reason = f"Every authority with both has fewer than {options.min_group} matched people."
    else:
        reason = ""
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    table.columns = [
        c if c in ("authority", "reported frequency") else f"logged: {c}" for c in table.columns
    ]
    return Agreement(table, pd.DataFrame(records), reason)
