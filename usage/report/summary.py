"""A short Markdown summary of the report that a researcher can paste into a write-up.

Free text from the survey is never included unless the report options ask for it.
"""

from __future__ import annotations

import pandas as pd

from usage.metrics.build import UsageReport
from usage.metrics.survey import ALL, DISAGREE_NOTE
from usage.model import LOW_FREQUENCIES, ONCE_A_WEEK_OR_LESS

LOW_USE = (*LOW_FREQUENCIES, ONCE_A_WEEK_OR_LESS)
NO_LICENCES = (
    "No licence on the roster overlaps {0.start:%d %b %Y} to {0.end:%d %b %Y}: "
    "check --from and --to against the licence dates."
)
NUMBER_WORDS = (
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


def markdown_summary(report: UsageReport) -> str:
    parts = [
        f"# Dictation app usage, {report.period.start:%d %b %Y} to {report.period.end:%d %b %Y}",
        "",
        *_uptake(report),
        *_decisions(report),
        *_survey(report),
        *_comparison(report),
        *_agreement(report),
        "## Notes",
        "",
        f"- Groups with fewer than {report.options.min_group} people are suppressed; "
        + (
            f"counts of people below that read '<{report.options.min_group}', and counts "
            "that would give one away '[c]' (--suppress-cells)."
            if report.options.suppress_cells
            else "counts inside groups large enough to show are shown."
        ),
        "- Percentages run 0-100; 'no log data' means the authority sent no usage logs.",
        "- People are shown by pseudonym only; 95% intervals are Wilson score intervals.",
        "- Usage comes from session logs where available, else from the vendor's totals, else "
        "from licence-activity exports (logins, no minutes).",
        *(f"- {text}" for text in report.left_out_text()),
    ]
    return "\n".join(parts) + "\n"


def _uptake(report: UsageReport) -> list[str]:
    lines = ["## Uptake from the vendor's logs", ""]
    funnel = report.funnel
    if report.people.empty:
        return lines + [NO_LICENCES.format(report.period), ""]
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
        return ["## Self-reported use (survey)", "", "No finished survey responses are stored.", ""]
    lines = ["## Self-reported use (survey)", ""]
    lines += [f"{text}\n" for text in report.survey_dates_text() if text]
    groups = survey.intention["group"].unique()
    for group in [g for g in groups if g != ALL] or [ALL]:
        freq = survey.frequency[survey.frequency["group"] == group]
        intent = survey.intention[survey.intention["group"] == group]
        if (freq["text"] == "suppressed").all():
            lines.append(f"- {group}: suppressed (fewer than {report.options.min_group}).")
            continue
        n = int(freq["answered"].iloc[0])
        said = ", ".join(
            f"{_count(count, text)} said {answer}"
            for answer, count, text in zip(freq["answer"], freq["count"], freq["text"], strict=True)
        )
        lines += [f"**{group}** ({n} respondents)", f"- How often: {said}."]
        low = freq.loc[freq["answer"].isin(LOW_USE), "count"]
        if low.notna().all():
            lines.append(f"- Once a week or less: {int(low.sum())} of {n} ({low.sum() / n:.0%}).")
        keep = dict(zip(intent["answer"], intent["text"], strict=True))
        counts = dict(zip(intent["answer"], intent["count"], strict=True))
        not_sure, no = (_count(counts[a], keep[a]) for a in ("not sure", "no"))
        lines += [
            f"- Would keep using it: {keep['yes']}; {not_sure} not sure, {no} no.",
            "",
        ]
    return lines + _partial(report)


def _count(count, text: str) -> str:
    """A count as the report reads it ("two"), or, hidden, the marker its ``text`` ("<5 of
    22") begins with."""
    if count is None or count != count:
        return text.split(" of ")[0]
    count = int(count)
    return NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)


def _partial(report: UsageReport) -> list[str]:
    whole = report.survey.partial
    if whole.empty or whole["partial"].isna().iloc[0] or whole["partial"].iloc[0] == 0:
        return []
    count = whole["partial"].iloc[0]  # a number, or the marker of a hidden count
    count = count if isinstance(count, str) else int(count)
    return [f"{count} partial responses were received and not counted.", ""]


def _comparison(report: UsageReport) -> list[str]:
    if report.comparison.empty:
        return []
    lines = ["## Survey and logs compared", "", DISAGREE_NOTE, ""]
    table = report.comparison
    lines.append("| authority | frequency | survey % | logs % |")
    lines.append("| --- | --- | ---: | ---: |")
    for row in table.itertuples(index=False):
        survey, logs = _percent(row.survey_percent), _percent(row.logs_percent)
        lines.append(f"| {row.authority} | {row.frequency} | {survey} | {logs} |")
    return lines + [""]


def _percent(value: float) -> str:
    return "hidden" if value != value else f"{value:.0f}"


def _decisions(report: UsageReport) -> list[str]:
    """Active-user rates, the reclaim list, cost, power users and retention."""
    decisions = report.decisions
    as_of = f"{decisions.as_of:%d %b %Y}"
    lines = [f"## Licence decisions (judged on {as_of})", ""]
    rates = decisions.rates
    if rates.empty:
        return lines + ["No usage logs are stored, so no licence can be judged.", ""]
    for group, rows in rates.groupby("group", sort=False):
        texts = "; ".join(f"{w}: {t}" for w, t in zip(rows["window"], rows["text"], strict=True))
        lines.append(f"- Active users, {group}: {texts}.")
    lines += ["", *_reclaim(report), *_cost(report), *_power(report), *_retention(report)]
    return lines


def _reclaim(report: UsageReport) -> list[str]:
    reclaim = report.decisions.reclaim
    if reclaim.empty:
        return ["No licence in force qualifies for reclaiming (no use in 30 or 90 days).", ""]
    lines = [f"{len(reclaim)} licences could be reclaimed (sheet 'reclaim', with each rule):"]
    never = int((~reclaim["used"]).sum())
    if never:
        lines.append(f"- never used since the licence started: {never}")
    for rule, rows in reclaim[reclaim["used"]].groupby("rule_days", sort=False):
        lines.append(f"- used, but not in the last {rule} days: {len(rows)}")
    return lines + [""]


def _cost(report: UsageReport) -> list[str]:
    costs = report.decisions.costs
    if costs.empty:
        return []
    whole = costs.iloc[0]
    per_user = whole.get("cost_per_active_user")
    per_user_text = f"£{per_user:,.2f}" if pd.notna(per_user) else "undefined (no active users)"
    return [
        f"At £{whole['licence_cost']:,.2f} a licence, the {int(whole['licences'])} licences cost "
        f"£{whole['total_cost']:,.2f}: {per_user_text} per active user; the "
        f"{int(whole['idle_licences'])} idle licences cost £{whole['idle_cost']:,.2f}.",
        "",
    ]


def _power(report: UsageReport) -> list[str]:
    curve = report.decisions.curve
    if curve.empty or curve["users"].isna().all():
        return []
    n = int(curve["people"].iloc[0])
    weekly, most = (
        _percent(curve.loc[curve["active_days"] == days, "at_least_percent"].iloc[0])
        for days in (4, 14)
    )
    return [
        f"Power users ({n} licences with session logs): {weekly} were active on at least "
        f"4 of the last 28 days, {most} on at least 14 (sheet 'power users').",
        "",
    ]


def _percent(value: float) -> str:
    """A share as the summary reads it; hidden (NaN) with --suppress-cells."""
    return "a hidden share" if value != value else f"{value:.0f}%"


def _retention(report: UsageReport) -> list[str]:
    from usage.report.sheets import retention_table

    table = retention_table(report)
    if table.empty:
        return []
    weeks = [c for c in table.columns if c.startswith("week ")]
    lines = [
        "Share of each licence-start cohort active, by week since the licence started "
        "(everyone monitored, then each authority):",
        "",
        "| authority | licences starting | n | " + " | ".join(weeks) + " |",
        "| --- | --- | ---: | " + " | ".join("---:" for _ in weeks) + " |",
    ]
    for row in table.itertuples(index=False):
        cells = [f"{v:.0f}%" if v == v else "suppressed" for v in row[3:]]
        lines.append(
            f"| {row.authority} | {row.cohort:%d %b %Y} | {row.people} | "
            + " | ".join(cells)
            + " |"
        )
    return lines + [""]


def _agreement(report: UsageReport) -> list[str]:
    agreement = report.agreement
    lines = ["## Logged use against self-report (matched people)", ""]
    if agreement.table.empty:
        return lines + [agreement.reason or "No matched people.", ""]
    lines += [DISAGREE_NOTE, ""]
    for row in agreement.summary.itertuples(index=False):
        lines.append(f"- {row.authority}: reported frequency matched the logs for {row.text}.")
    columns = list(agreement.table.columns)
    lines += [
        "",
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    for row in agreement.table.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    return lines + [""]
