"""The case for refusing a flexible-working request, in the manager's words: the statutory
business grounds that the rota's findings support, the dates and cover figures behind
them, and the alternatives that could be granted, built from ``rota.requests``' answer
(the values are in ``rota.domain.refusal``; ``rota.io.refusal_doc`` writes them).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rota.domain.problem import WEEKDAYS, Pattern, Problem
from rota.domain.refusal import OWN_WORDS, WHY, Ground, GroundCase, RefusalCase
from rota.domain.register import spelt, statutory_limit
from rota.domain.words import plural

if TYPE_CHECKING:
    from rota.requests import Alternative, RequestAnswer

ORDINALS = ("1st", "2nd", "3rd", "4th", "5th")
PATTERN_WORDS = {
    Pattern.NINE_DAY_FORTNIGHT: "nine-day fortnight",
    Pattern.FOUR_DAY_WEEK: "four-day week",
}


# What the request answer's findings say, mapped to the ground they support (first match).
FINDING_GROUNDS = (
    ("cover would fall", Ground.DEMAND),
    ("team on duty", Ground.DEMAND),
    ("cover buddy", Ground.REORGANISE),
    ("would move", Ground.REORGANISE),
)


def ground_of(finding: str) -> Ground:
    """The ground a finding of the request answer supports; any other finding (the planner
    cannot keep the day, or places it elsewhere) is work that cannot be reorganised."""
    return next((g for phrase, g in FINDING_GROUNDS if phrase in finding), Ground.REORGANISE)


def suggested_grounds(answer: RequestAnswer) -> dict[Ground, list[str]]:
    """Ground -> the findings behind it, in the Act's order."""
    found: dict[Ground, list[str]] = {}
    for finding in answer.breaks:
        found.setdefault(ground_of(finding), []).append(finding)
    thin = [
        f"{WEEKDAYS[c.weekday]}: spare over the minimum falls from {c.spare_before} to "
        f"{c.spare_after} (fewest in {c.fewest_before} -> {c.fewest_after})"
        for c in answer.cover
        if c.spare_after <= 0 < c.spare_before
    ]
    if thin:
        found[Ground.PERFORMANCE] = thin
    return {g: found[g] for g in Ground if g in found}


def refusal_case(
    problem: Problem,
    answer: RequestAnswer,
    received: dt.date | None = None,
    named: tuple[Ground, ...] = (),
    note: str = "",
) -> RefusalCase:
    """The case for the meeting: the grounds the manager named (or, if none, those the
    rota's findings support), with their facts, the figures and the alternatives."""
    if answer.granted:
        raise ValueError("the request can be granted: there is no case for refusing it")
    found = suggested_grounds(answer)
    chosen = list(dict.fromkeys(named)) or list(found)
    grounds = tuple(_ground_case(g, found) for g in chosen)
    team = problem.team
    return RefusalCase(
        answer.name,
        answer.staff_id,
        f"{PATTERN_WORDS[answer.pattern]}, standing day {answer.standing_day}",
        f"{spelt(team.start)} to {spelt(team.end)} ({team.weeks} weeks)",
        received,
        statutory_limit(received) if received else None,
        answer.breaks,
        _dates_and_moves(answer),
        tuple(
            (WEEKDAYS[c.weekday], c.fewest_before, c.fewest_after, c.spare_before, c.spare_after)
            for c in answer.cover
        ),
        grounds,
        tuple(_alternative(problem, answer, a) for a in answer.alternatives if a.granted),
        note.strip(),
    )


def _ground_case(ground: Ground, found: dict[Ground, list[str]]) -> GroundCase:
    if ground not in found:
        return GroundCase(ground, OWN_WORDS, (), suggested=False)
    return GroundCase(ground, WHY.get(ground, OWN_WORDS), tuple(found[ground]), True)


def _dates_and_moves(answer: RequestAnswer) -> str:
    moves = len(answer.moves)
    return (
        f"The day would fall on {len(answer.dates)} dates in the period; duty, leave or "
        f"bank holidays would move it on {moves} of them in any case."
    )


def _alternative(problem: Problem, answer: RequestAnswer, alternative: Alternative) -> str:
    person = problem.member(answer.staff_id)
    choice = (
        f", their {ORDINALS[alternative.preference]} choice"
        if alternative.preference < len(person.preferred_days)
        else ""
    )
    moves = (
        f"duty, leave or bank holidays move it on {plural(alternative.forced_moves, 'date')}"
        if alternative.forced_moves
        else "no duty, leave or bank holiday moves it"
    )
    return (
        f"{alternative.standing_day}{choice}: keeps cover, duty and everyone's agreed days; {moves}"
    )
