"""A short Markdown summary of the report that a researcher can paste into a write-up.

Free text from the survey is never included unless the report options ask for it.
"""

from __future__ import annotations

import pandas as pd

from usage.report import UsageReport
from usage.survey_report import ALL, DISAGREE_NOTE


def markdown_summary(report: UsageReport) -> str:
    parts = [
        f"# Dictation app usage, {report.period.start:%d %b %Y} to {report.period.end:%d %b %Y}",
        "",
        *_uptake(report),
        *_survey(report),
        *_comparison(report),
        "## Notes",
        "",
        f"- Groups with fewer than {report.options.min_group} people are suppressed.",
        "- People are shown by pseudonym only; 95% intervals are Wilson score intervals.",
        "- Usage comes from session logs where available, else from the vendor's totals.",
    ]
    return "\n".join(parts) + "\n"


def _uptake(report: UsageReport) -> list[str]:
    lines = ["## Uptake from the vendor's logs", ""]
    funnel = report.funnel
    if funnel.empty:
        return lines + ["No usage logs are stored for this period.", ""]
    for group, rows in funnel[funnel["grouping"].isin(["all", "authority"])].groupby(
        "group", sort=False
    ):
        lines.append(f"**{group}**")
        lines += [
            f"- {stage}: {text}" for stage, text in zip(rows["stage"], rows["text"], strict=True)
        ]
        lines.append("")
    whole = report.concentration.iloc[0]
    if "top3_percent_of_minutes" in whole and pd.notna(whole["top3_percent_of_minutes"]):
        lines.append(
            f"The top 3 users account for {whole['top3_percent_of_minutes']:.0f}% of all minutes "
            f"(Gini {whole['gini_of_minutes']:.2f})."
        )
    review = report.review
    lines.append(
        f"{len(review)} licences were used for under {report.options.review_minutes:g} minutes "
        "in total and are listed for licence review (sheet 'licence review')."
    )
    if report.unmonitored:
        lines.append(f"No usage logs for: {', '.join(report.unmonitored)} (survey only).")
    return lines + [""]


def _survey(report: UsageReport) -> list[str]:
    survey = report.survey
    if survey.responses.empty:
        return []
    lines = ["## Self-reported use (survey)", ""]
    groups = survey.intention["group"].unique()
    for group in [g for g in groups if g != ALL] or [ALL]:
        freq = survey.frequency[survey.frequency["group"] == group]
        intent = survey.intention[survey.intention["group"] == group]
        if freq["count"].isna().all():
            lines.append(f"- {group}: suppressed (fewer than {report.options.min_group}).")
            continue
        n = int(freq["answered"].iloc[0])
        low = int(
            freq.loc[
                freq["answer"].isin(["once a week", "less than once a week", "never"]), "count"
            ].sum()
        )
        most = int(freq.loc[freq["answer"] == "most days", "count"].sum())
        yes = survey.intention_share("yes", group)
        counts = dict(zip(intent["answer"], intent["count"], strict=True))
        lines += [
            f"**{group}** ({n} respondents)",
            f"- {most} said they used it most days; {low} of {n} ({low / n:.0%}) once a week "
            "or less.",
            f"- Would keep using it: {yes.k} of {yes.n} = {yes.share:.0%} "
            f"(95% CI {yes.interval[0]:.0%}-{yes.interval[1]:.0%}); "
            f"{int(counts['not sure'])} not sure, {int(counts['no'])} no.",
            "",
        ]
    return lines


def _comparison(report: UsageReport) -> list[str]:
    if report.comparison.empty:
        return []
    lines = ["## Survey and logs compared", "", DISAGREE_NOTE, ""]
    table = report.comparison
    lines.append("| authority | frequency | survey % | logs % |")
    lines.append("| --- | --- | ---: | ---: |")
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.authority} | {row.frequency} | {row.survey_percent:.0f} "
            f"| {row.logs_percent:.0f} |"
        )
    return lines + [""]
