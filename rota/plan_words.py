"""What a plan did, in words the command line and the web page both print."""

from __future__ import annotations


def flexi_words(teams) -> str:
    """'Flexi days: N taken, N moved, N not taken' over every team's plan, where
    ``teams`` is (problem, plan) pairs as a ServicePlan or a re-plan holds them."""
    owed = [o for _, plan in teams for o in plan.owed]
    taken = sum(o.taken is not None for o in owed)
    not_taken = sum(o.taken is None and not o.absorbed_by_bank_holiday for o in owed)
    return f"Flexi days: {taken} taken, {sum(o.moved for o in owed)} moved, {not_taken} not taken"


def shortfall_lines(teams, service_short=()) -> list[str]:
    """The days a plan leaves short of cover, one a line after a count, then advice; []
    when cover is met. ``service_short`` are the service's uncovered duty days."""
    from rota.domain.rules import describe_day, shortfall_advice
    from rota.domain.words import plural
    from rota.io.excel_summary import SERVICE_DUTY

    short = [(p.team.name, s) for p, plan in teams for s in plan.shortfalls]
    short += [(SERVICE_DUTY, s) for s in service_short]
    if not short:
        return []
    staff_days = sum(s.short for _, s in short)
    days = len({(team, s.day) for team, s in short})
    return [
        f"Cover is short on {plural(days, 'team-day')} ({plural(staff_days, 'staff-day')}); "
        "see the Checks sheet:",
        *(f"  {team} {describe_day(s.day)}: {s.rule}, {s.detail}" for team, s in short),
        *shortfall_advice([s for _, s in short]),
    ]


def check_lines(name: str, service, warnings: list[str]) -> list[str]:
    """What ``rota check`` says of a workbook that can be planned: each team's facts, then
    whether it is fine or has ``warnings`` to read."""
    lines = [
        f"{p.team.name}: {len(p.staff)} staff "
        f"({sum(x.pattern.is_flexi for x in p.staff)} on 9DF or 4DW), "
        f"{p.team.weeks} weeks from {p.team.start}, {len(p.duty_days)} duty days, "
        f"{len(p.leave)} spells of leave, {len(p.bank_holidays)} bank holidays."
        for p in service.teams
    ]
    if warnings:
        count = f"{len(warnings)} warning" + ("s" if len(warnings) > 1 else "")
        return [*lines, f"{name} can be planned, but read the {count} above."]
    return [*lines, f"{name} is fine."]
