"""The register of statutory flexible-working requests, and what it asks of the manager.

Employment Rights Act 1996 s80F-80I, as amended by the Employment Relations (Flexible
Working) Act 2023 (in force 6 April 2024): a person may make two requests in any 12 months
(s80F(4)); the decision, including any appeal, is due within two months beginning with the
day the request is received, unless a longer period is agreed (s80G(1B)). Pure: no files.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import Enum

from rota.domain.problem import FieldError

REQUESTS_IN_A_YEAR = 2  # s80F(4): two applications in any period of 12 months
DECISION_MONTHS = 2  # s80G(1B)(a): two months beginning with the day it is received
WARN_DAYS = 14  # warn when the decision is due in under two weeks
IN_FORCE = dt.date(2024, 4, 6)  # the 2023 Act's changes apply to requests from this day


class Decision(Enum):
    GRANTED = "Granted"
    GRANTED_CHANGED = "Granted with changes"
    REFUSED = "Refused"
    WITHDRAWN = "Withdrawn"


@dataclass(frozen=True)
class RegisteredRequest:
    """One row of the register: a request as received and what became of it."""

    staff_id: str
    received: dt.date
    asked: str
    person: str = ""  # the name, optional
    decision: Decision | None = None  # None: waiting for a decision
    decided: dt.date | None = None
    appeal_lodged: dt.date | None = None
    appeal_decided: dt.date | None = None
    extended_to: dt.date | None = None  # a later decision date agreed with the person

    def __post_init__(self):
        if not self.staff_id.strip():
            raise FieldError("staff_id", "empty; a value is required")
        if not self.asked.strip():
            raise FieldError("asked", "empty; say what was asked, e.g. '9DF, Fri week A'")
        if self.decision is not None and self.decided is None:
            raise FieldError("decided", f"empty; give the date of the decision ({_said(self)})")
        if self.decided is not None and self.decision is None:
            raise FieldError("decision", "empty, but a decision date is given; say what it was")
        _not_before(self, "decided", self.received, "the request was received")
        if self.appeal_lodged is not None and self.decided is None:
            raise FieldError("appeal_lodged", "an appeal against no decision; give the decision")
        _not_before(self, "appeal_lodged", self.decided, "the decision it appeals")
        if self.appeal_decided is not None and self.appeal_lodged is None:
            raise FieldError("appeal_lodged", "empty, but the appeal has a decision date")
        _not_before(self, "appeal_decided", self.appeal_lodged, "the appeal was lodged")
        limit = statutory_limit(self.received)
        if self.extended_to is not None and self.extended_to <= limit:
            raise FieldError(
                "extended_to",
                f"{spelt(self.extended_to)} is not after the two-month limit, "
                f"{spelt(limit)}; give the later date agreed, or leave it empty",
            )

    @property
    def waiting(self) -> bool:
        """A decision (or an appeal's decision) is still to be made."""
        no_decision = self.decision is None
        return no_decision or (self.appeal_lodged is not None and self.appeal_decided is None)

    @property
    def limit(self) -> dt.date:
        """The last day for the decision, including any appeal."""
        return self.extended_to or statutory_limit(self.received)

    @property
    def final_date(self) -> dt.date | None:
        return None if self.waiting else (self.appeal_decided or self.decided)


def _said(request: RegisteredRequest) -> str:
    return request.decision.value.lower() if request.decision else "no decision"


def _not_before(request, field_name: str, earlier: dt.date | None, what: str) -> None:
    day = getattr(request, field_name)
    if day is not None and earlier is not None and day < earlier:
        raise FieldError(field_name, f"{spelt(day)} is before {what} ({spelt(earlier)})")


# Dates as the Act counts them.


def months_on(day: dt.date, months: int) -> dt.date | None:
    """The corresponding date ``months`` later (earlier if negative); None if there is none
    (31 January has no corresponding date in February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if day.day > calendar.monthrange(year, month + 1)[1]:
        return None
    return dt.date(year, month + 1, day.day)


def _month_end(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def statutory_limit(received: dt.date) -> dt.date:
    """The last day of the two months beginning with the day received: the day before the
    corresponding date (received 6 April, decided by 5 June), or the end of the month
    that has none (received 31 December, decided by the end of February)."""
    corresponding = months_on(received, DECISION_MONTHS)
    if corresponding is None:
        return _month_end(received, DECISION_MONTHS)
    return corresponding - dt.timedelta(days=1)


def year_start(day: dt.date) -> dt.date:
    """The first day of the 12 months ending with ``day`` (2 May 2026 for 1 May 2027)."""
    corresponding = months_on(day, -12) or _month_end(day, -12)
    return corresponding + dt.timedelta(days=1)


def spelt(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# What the register asks of the manager.


@dataclass(frozen=True)
class Finding:
    """Something to act on (``warning``) or on the record (``note``), at one request's field."""

    request: RegisteredRequest
    field: str
    message: str
    warning: bool


def duplicates(requests: list[RegisteredRequest]) -> list[tuple[RegisteredRequest, int]]:
    """Rows that repeat an earlier one (person, day received and what was asked), with the
    index of the row they repeat: a request typed twice would count twice."""
    seen: dict[tuple, int] = {}
    found = []
    for index, request in enumerate(requests):
        key = (request.staff_id.casefold(), request.received, " ".join(request.asked.split()))
        if key in seen:
            found.append((request, seen[key]))
        else:
            seen[key] = index
    return found


def review(requests: list[RegisteredRequest], today: dt.date) -> list[Finding]:
    """Third requests within 12 months, and decisions due soon, overdue or made late.
    Warnings for requests still waiting; notes for those decided."""
    return [
        finding
        for index, request in enumerate(requests)
        for finding in (
            _earlier_rules(request)
            if request.received < IN_FORCE
            else (*_third(index, requests), *_deadline(request, today))
        )
    ]


def _earlier_rules(request: RegisteredRequest) -> list[Finding]:
    message = (
        f"received before {spelt(IN_FORCE)}, when the earlier rules applied (one request in "
        "12 months, three months to decide); not checked"
    )
    return [Finding(request, "received", message, warning=False)]


def requests_in_year(position: int, requests) -> list[RegisteredRequest]:
    """The person's requests in the 12 months ending with the day the request at
    ``position`` was received, it included; those received the same day count in
    register order."""
    request = requests[position]
    start = year_start(request.received)
    return [
        other
        for index, other in enumerate(requests)
        if other.staff_id.casefold() == request.staff_id.casefold()
        and start <= other.received <= request.received
        and (other.received < request.received or index <= position)
    ]


def _third(position: int, requests) -> list[Finding]:
    request, year = requests[position], requests_in_year(position, requests)
    if len(year) <= REQUESTS_IN_A_YEAR:
        return []
    earlier = ", ".join(spelt(other.received) for other in year[:-1])
    who = request.person or request.staff_id
    message = (
        f"{who}'s request number {len(year)} in 12 months (also received {earlier}); the law "
        f"allows {REQUESTS_IN_A_YEAR} statutory requests in any 12 months, so this one need "
        "not be handled as a statutory request (it may still be considered)"
    )
    return [Finding(request, "received", message, request.waiting)]


def _deadline(request: RegisteredRequest, today: dt.date) -> list[Finding]:
    limit, kind = request.limit, "the agreed extension" if request.extended_to else "two months"
    field = _open_field(request)
    if request.decision is Decision.WITHDRAWN and not request.waiting:
        return []
    final = request.final_date
    if final is not None:  # decided
        if final > limit:
            late = (final - limit).days
            message = f"decided {spelt(final)}, {late} days after the limit"
            message += f" ({kind}: {spelt(limit)})"
            return [Finding(request, field, message, warning=False)]
        return []
    left = (limit - today).days
    if left < 0:
        message = f"no decision and the limit ({kind}) was {spelt(limit)}: {-left} days ago"
    elif left < WARN_DAYS:
        message = f"decision due by {spelt(limit)} ({kind}), in {left} days"
    else:
        return []
    return [Finding(request, field, message + _extension_hint(request), warning=True)]


def _open_field(request: RegisteredRequest) -> str:
    if request.appeal_lodged is not None:
        return "appeal_decided"
    return "decision" if request.waiting else "decided"


def _extension_hint(request: RegisteredRequest) -> str:
    step = "the appeal" if request.appeal_lodged else "the decision, including any appeal"
    return f"; make {step}, or agree a later date with the person and type it in 'Extended to'"
