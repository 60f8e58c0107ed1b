"""Find the columns an ingest needs, whatever the vendor called them.

Headers are compared case-insensitively ignoring spaces and punctuation, so
``"User ID"``, ``"user_id"`` and ``"UserId"`` all read as ``userid``. Each
field lists its accepted variants in order of preference; the first variant
present wins.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from usage.model import ANSWER_CATEGORIES, Problem, UsageError


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


USER = Field(
    "user",
    ("user", "userid", "login", "username", "email", "emailaddress", "userprincipalname"),
    True,
)

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

ACTIVITY_FIELDS = (
    USER,
    Field(
        "logins",
        ("logins", "logincount", "numberoflogins", "signins", "signincount", "numberofsignins"),
        True,
    ),
    Field(
        "last_login",
        ("lastlogin", "lastlogindate", "lastsignin", "lastsignindate", "lastactivitydate"),
    ),
    Field("period_start", ("periodstart", "periodfrom", "from", "reportstartdate"), True),
    Field(
        "period_end", ("periodend", "periodto", "to", "reportenddate", "reportrefreshdate"), True
    ),
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

ALL_FIELDS = {
    spec.name: spec
    for fields in (SESSION_FIELDS, TOTALS_FIELDS, ACTIVITY_FIELDS, ROSTER_FIELDS)
    for spec in fields
}

KIND_SIGNATURES = {
    "roster": {"authority", "localauthority", "licencestart", "licensestart", "team"},
    "sessions": {"sessionstart", "logintime", "logouttime", "duration", "sessionlength"},
    "totals": {"cumulativeminutes", "numberofsessions", "totalminutes", "sessioncount"},
    "activity": {"logincount", "numberoflogins", "lastlogin", "lastlogindate", "signins"},
    "survey": {"responseid", "responseset", "ipaddress", "recordeddate", "finished"},
}


@dataclass(frozen=True)
class ColumnMap:
    """A researcher's map for one vendor's headers (``--columns map.toml``).

    ``columns``: our field name -> the file's header(s) for it, tried before our
    own variants. ``answers``: extra survey labels per question (``frequency``,
    ``intention``) -> our category, added to the shipped answer scales.
    """

    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        allowed = ANSWER_CATEGORIES
        for question, labels in self.answers.items():
            if question not in allowed:
                raise UsageError(
                    f"{self.source}: [answers.{question}] is not a question we map; "
                    f"expected one of {sorted(allowed)}"
                )
            for label, category in labels.items():
                if category not in allowed[question]:
                    raise UsageError(
                        f"{self.source}: [answers.{question}] maps {label!r} to {category!r}; "
                        f"expected one of {list(allowed[question])}"
                    )

    def variants(self, name: str) -> tuple[str, ...]:
        return tuple(normalise_header(h) for h in self.columns.get(name, ()))

    def unmatched(self, file: str, headers: list[str], fields: tuple[Field, ...]) -> list[Problem]:
        """A problem for each field the map names whose header is not in the file."""
        present = {normalise_header(h) for h in headers}
        problems = []
        for spec in fields:
            wanted = self.columns.get(spec.name, ())
            if wanted and not present & set(self.variants(spec.name)):
                problems.append(
                    Problem(
                        file,
                        0,
                        spec.name,
                        f"no column {' or '.join(map(repr, wanted))} (columns: {headers})",
                        f"the column {self.source} maps to {spec.name}",
                    )
                )
        return problems


def load_column_map(path: Path, known_fields: set[str]) -> ColumnMap:
    """Read and check a column map file; a mistake in it is a one-line UsageError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read the column map ({error})") from None
    unknown = set(data) - {"columns", "answers"}
    if unknown:
        raise UsageError(
            f"{path}: unknown section(s) {sorted(unknown)}; expected [columns], [answers]"
        )
    columns = {}
    for name, headers in data.get("columns", {}).items():
        if name not in known_fields:
            raise UsageError(
                f"{path}: [columns] names {name!r}, which is not a field we read; "
                f"expected one of {sorted(known_fields)}"
            )
        headers = [headers] if isinstance(headers, str) else headers
        if not headers or not all(isinstance(h, str) and h.strip() for h in headers):
            raise UsageError(f"{path}: [columns] {name} should be a header or a list of headers")
        columns[name] = tuple(headers)
    answers = {
        q: {str(k): str(v) for k, v in labels.items()}
        for q, labels in data.get("answers", {}).items()
    }
    return ColumnMap(columns, answers, path.name)


def match_columns(
    headers: list[str], fields: tuple[Field, ...], column_map: ColumnMap | None = None
) -> dict[str, str]:
    """Field name -> the header that supplies it, for every field present."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    found = {}
    for spec in fields:
        mapped = column_map.variants(spec.name) if column_map else ()
        for variant in (*mapped, *spec.variants):
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
