"""The case for refusing a flexible-working request, as plain values: the eight statutory
business grounds (Employment Rights Act 1996 s80G(1)(b)), a ground with the facts behind
it, and the whole case for the consultation meeting that must come before a refusal
(since 6 April 2024). ``rota.refusal`` builds it from a request's answer;
``rota.io.refusal_doc`` writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum


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
