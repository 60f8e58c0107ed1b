"""The case for refusing a flexible-working request, in the manager's words: the statutory
business grounds that the rota's findings support, the dates and cover figures behind
them, and the alternatives that could be granted. Pure: the answer is judged elsewhere
(``rota.requests``) and the document written elsewhere (``rota.refusal_doc``).

Employment Rights Act 1996 s80G(1)(b) lists the eight grounds; since 6 April 2024
(Employment Relations (Flexible Working) Act 2023) the employer must consult the employee
before refusing, so the case is written as notes for that meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from rota.problem import WEEKDAYS, Pattern, Problem
from rota.register import spelt, statutory_limit
from rota.words import plural

if TYPE_CHECKING:
    from rota.requests import Alternative, RequestAnswer

ORDINALS = ("1st", "2nd", "3rd", "4th", "5th")
PATTERN_WORDS = {
    Pattern.NINE_DAY_FORTNIGHT: "nine-day fortnight",
    Pattern.FOUR_DAY_WEEK: "four-day week",
}


class Ground(Enum):
    """The eight business grounds of s80G(1)(b), with the Act's numbering and words."""

    COSTS = ("costs", "i", "the burden of additional costs")
    DEMAND = ("demand", "ii", "detrimental effect on ability to meet customer demand")
    REORGANISE = ("reorganise", "iii", "inability to re-organise work among existing staff")
    RECRUIT = ("recruit", "iv", "inability to recruit additional staff")
    QUALITY = ("quality", "v", "detrimental impact on quality")
    PERFORMANCE = ("performance", "vi", "detrimental impact on performance")
    NOT_ENOUGH_WORK = (
        "not-enough-work",
        "vii",
        "insufficiency of work during the periods the employee proposes to work",
    )
    STRUCTURAL = ("structural", "viii", "planned structural changes")

    def __init__(self, key: str, number: str, words: str):
        self.key, self.number, self.words = key, number, words

    @property
    def title(self) -> str:
        return f"({self.number}) {self.words[0].upper()}{self.words[1:]}"

    @classmethod
    def named(cls, key: str) -> Ground:
        for ground in cls:
            if ground.key == key.strip().lower():
                return ground
        raise KeyError(key)


# Why each ground fits a rota, in plain words; the facts follow it on the page.
WHY = {
    Ground.DEMAND: "On these dates the team could not keep the cover it needs for visits, "
    "duty and urgent work for children and families.",
    Ground.REORGANISE: "The work cannot be moved to colleagues on these dates: the people "
    "who would cover the cases are away themselves, or their own agreed days would move.",
    Ground.PERFORMANCE: "The team would work at its bare minimum on these days, with nobody "
    "spare for sickness, emergencies or court.",
}
OWN_WORDS = "[Add, in your own words, the facts behind this ground.]"
# What the request answer's findings say, mapped to the ground they support (first match).
FINDING_GROUNDS = (
    ("cover would fall", Ground.DEMAND),
    ("team on duty", Ground.DEMAND),
    ("cover buddy", Ground.REORGANISE),
    ("would move", Ground.REORGANISE),
)


@dataclass(frozen=True)
class GroundCase:
    ground: Ground
    why: str
    facts: tuple[str, ...]  # the rota's findings behind it; empty if the manager named it
    suggested: bool  # found in the rota (else named by the manager)


@dataclass(frozen=True)
class RefusalCase:
    name: str
    staff_id: str
    asked: str
    period: str
    received: dt.date | None
    limit: dt.date | None
    breaks: tuple[str, ...]
    dates_and_moves: str
    cover: tuple[tuple[str, int, int, int, int], ...]  # weekday, fewest now/after, spare
    grounds: tuple[GroundCase, ...]
    alternatives: tuple[str, ...]
    note: str = ""

    def __post_init__(self):
        if not self.grounds:
            raise ValueError("a refusal needs at least one business ground")
        if not self.breaks:
            raise ValueError("a refusal needs the rota's findings behind it")


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
