"""Find the columns an ingest needs, whatever the vendor called them.

Headers are compared case-insensitively ignoring spaces and punctuation, so
``"User ID"``, ``"user_id"`` and ``"UserId"`` all read as ``userid``. Each
field lists its accepted variants in order of preference; the first variant
present wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from usage.model import Problem


def normalise_header(name: object) -> str:
    """``'Session Start (UTC)'`` -> ``'sessionstartutc'``."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


@dataclass(frozen=True)
class Field:
    """A column an ingest reads, with the header variants it accepts."""

    name: str
    variants: tuple[str, ...]
    required: bool = False

    def __post_init__(self) -> None:
        if not self.variants:
            raise ValueError(f"Field {self.name!r} needs at least one header variant")
        bad = [v for v in self.variants if v != normalise_header(v)]
        if bad:
            raise ValueError(f"Field {self.name!r} variants must be normalised, got {bad}")


USER = Field("user", ("user", "userid", "login", "username", "email", "emailaddress"), True)

SESSION_FIELDS = (
    USER,
    Field("start", ("start", "sessionstart", "logintime", "timestamp", "starttime"), True),
    Field("end", ("end", "logouttime", "sessionend", "endtime")),
    Field(
        "duration",
        (
            "duration",
            "durationseconds",
            "durationminutes",
            "minutes",
            "seconds",
            "sessionlength",
            "length",
        ),
    ),
    Field("words", ("words", "wordcount", "wordsdictated")),
    Field("device", ("device", "devicetype", "platform")),
)

TOTALS_FIELDS = (
    USER,
    Field("minutes", ("cumulativeminutes", "totalminutes", "minutes", "minutesused"), True),
    Field("sessions", ("numberofsessions", "sessions", "sessioncount", "totalsessions"), True),
    Field("first_use", ("firstuse", "firstused", "firstlogin")),
    Field("last_use", ("lastuse", "lastused", "lastlogin")),
    Field("period_start", ("periodstart", "periodfrom", "from")),
    Field("period_end", ("periodend", "periodto", "to")),
)

ROSTER_IDENTIFIERS = (
    "email",
    "emailaddress",
    "userid",
    "login",
    "username",
    "user",
    "staffid",
    "employeeid",
    "id",
)
ROSTER_FIELDS = (
    Field("authority", ("authority", "localauthority", "la", "council"), True),
    Field("team", ("team", "teamname")),
    Field("role", ("role", "jobtitle", "job")),
    Field("licence_start", ("licencestart", "licensestart", "licencefrom", "startdate")),
    Field("licence_end", ("licenceend", "licenseend", "licenceto", "enddate")),
)

KIND_SIGNATURES = {
    "roster": {"authority", "localauthority", "licencestart", "licensestart", "team"},
    "sessions": {"sessionstart", "logintime", "logouttime", "duration", "sessionlength"},
    "totals": {"cumulativeminutes", "numberofsessions", "totalminutes", "sessioncount"},
    "survey": {"responseid", "responseset", "ipaddress", "recordeddate", "finished"},
}


def match_columns(headers: list[str], fields: tuple[Field, ...]) -> dict[str, str]:
    """Field name -> the header that supplies it, for every field present."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    found = {}
    for spec in fields:
        for variant in spec.variants:
            if variant in by_norm:
                found[spec.name] = by_norm[variant]
                break
    return found


def guess_kind(headers: list[str]) -> str | None:
    """The ingest kind whose typical headers this file shares most, if any."""
    norms = {normalise_header(h) for h in headers}
    scores = {kind: len(norms & sig) for kind, sig in KIND_SIGNATURES.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else None


def missing_problems(
    file: str, kind: str, headers: list[str], fields: tuple[Field, ...], found: dict[str, str]
) -> list[Problem]:
    """One problem per required field absent, naming the accepted variants."""
    problems = []
    seen = ", ".join(repr(h) for h in headers) or "no columns"
    guess = guess_kind(headers)
    hint = f" (this looks like a {guess} file)" if guess and guess != kind else ""
    for spec in fields:
        if spec.required and spec.name not in found:
            problems.append(
                Problem(
                    file,
                    0,
                    spec.name,
                    f"columns {seen}{hint}",
                    f"a {spec.name} column for a {kind} file, named one of {list(spec.variants)}",
                )
            )
    return problems
