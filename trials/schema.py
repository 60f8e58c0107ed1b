"""Every key a trial spec may hold: its type, default, example and meaning, stated once.

The spec reader checks a parsed TOML table against these keys (unknown keys, types,
choices, required keys) and collects every problem; ``spec-template`` and the README
table are written from the same list.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from trials.vcov import SE_TYPES
from trials.wildboot import WEIGHTS

REQUIRED = object()
DESIGNS = ("two_arm", "multi_arm", "joint_separate")
ROLES = ("primary", "secondary")
DIRECTIONS = ("increase", "decrease")


@dataclass(frozen=True)
class Key:
    """One spec key. ``kind`` is one of the names in :data:`CHECKS`."""

    name: str
    kind: str
    default: Any
    example: str
    doc: str
    choices: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_names(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _is_arms(value) -> bool:
    return isinstance(value, list) and (
        all(isinstance(v, str) and v for v in value) or all(_is_int(v) for v in value)
    )


CHECKS = {
    "text": (lambda v: isinstance(v, str), "a string in quotes"),
    "column": (lambda v: isinstance(v, str) and v != "", "a column name in quotes"),
    "name": (lambda v: isinstance(v, str) and v != "", "a name in quotes"),
    "int": (_is_int, "a whole number without quotes"),
    "bool": (lambda v: isinstance(v, bool), "true or false, without quotes"),
    "columns": (_is_names, 'a list of column names, e.g. ["a", "b"]'),
    "labels": (_is_names, 'a list of labels, e.g. ["a", "b"]'),
    "column_or_columns": (
        lambda v: (isinstance(v, str) and v != "") or _is_names(v),
        'a column name or a list of them, e.g. "la" or ["la", "cohort"]',
    ),
    "arms": (_is_arms, 'a list of labels, e.g. ["control", "treatment"], or codes, e.g. [0, 1]'),
    "date": (
        lambda v: isinstance(v, date) or (isinstance(v, str) and _iso_date(v)),
        "a date, e.g. 2021-03-08",
    ),
}


def _iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


SPEC_KEYS = (
    Key("name", "name", REQUIRED, '"symbolic_awards"', "Short name; used in file names."),
    Key("title", "text", "the name", '"Symbolic awards"', "Title of tables and figures."),
    Key(
        "design",
        "text",
        "two_arm",
        '"two_arm"',
        "two_arm, multi_arm (every arm against every other) or joint_separate "
        "(arms crossed with a [factor], one row per decision).",
        DESIGNS,
    ),
    Key(
        "unit", "column", REQUIRED, '"staff_id"', "Column with one id per row; ids must not repeat."
    ),
    Key("treatment", "column", REQUIRED, '"arm"', "Column holding each unit's arm."),
    Key(
        "arms",
        "arms",
        REQUIRED,
        '["control", "treatment"]',
        "The arms as written in the data; the FIRST is the reference (control). "
        "Codes work too: [0, 1] matches a column of 0 and 1.",
    ),
    Key(
        "strata",
        "column_or_columns",
        [],
        '"la" or ["la", "cohort"]',
        "Randomisation strata (blocks): fixed effects in the model, RI within them.",
    ),
    Key(
        "cluster",
        "column",
        None,
        '"participant"',
        "Cluster column: the level at which arms were assigned, e.g. the participant "
        "of repeated decisions (needs se CR1 or CR2).",
    ),
    Key(
        "se",
        "text",
        "HC2",
        '"HC2"',
        "Standard errors: HC0-HC3 (individual), CR1 or CR2 (clustered).",
        SE_TYPES,
    ),
    Key("lin", "bool", False, "true", "Lin (2013): centre covariates and interact with the arms."),
    Key(
        "covariates",
        "columns",
        [],
        '["age", "tenure"]',
        "Baseline covariates besides each outcome's own baseline.",
    ),
    Key(
        "responded",
        "column",
        None,
        '"responded"',
        "0/1 column: 1 = answered the endline survey. Without it, a unit counts as "
        "responding when any outcome is present.",
    ),
    Key("ri_draws", "int", 2000, "5000", "Randomisation-inference draws; 0 = no RI."),
    Key("seed", "int", 2021, "1969", "Seed of the RI draws (record it)."),
    Key("planned_n", "int", None, "944", "Protocol's planned analysed N (for the MDES table)."),
    Key(
        "assessed",
        "int",
        None,
        "1250",
        "Units assessed for eligibility, for the CONSORT flow (at least the number randomised).",
    ),
    Key(
        "lost_reason",
        "column",
        None,
        '"lost_reason"',
        "Column saying why a unit did not respond; the CONSORT flow counts the reasons.",
    ),
    Key(
        "wild_bootstrap",
        "int",
        0,
        "9999",
        "Wild cluster bootstrap draws (restricted, needs cluster); 0 = none.",
    ),
    Key(
        "wild_weights",
        "text",
        "rademacher",
        '"webb"',
        "Wild bootstrap weights: rademacher, or webb with fewer than about 12 clusters.",
        WEIGHTS,
    ),
    Key("notes", "text", "", '"..."', "Free text, kept with the spec."),
)

OUTCOME_KEYS = (
    Key("name", "column", REQUIRED, '"wellbeing"', "Outcome column (numeric)."),
    Key("label", "text", "the name", '"Subjective well-being"', "Label in tables and figures."),
    Key("role", "text", "primary", '"primary"', "primary or secondary.", ROLES),
    Key(
        "direction",
        "text",
        "increase",
        '"decrease"',
        "Which way is benefit: increase, or decrease (e.g. burnout).",
        DIRECTIONS,
    ),
    Key("scale", "text", "", '"mean of items, 1-7"', "Units of the outcome, for readers."),
    Key("baseline", "column", None, '"wellbeing_baseline"', "Baseline measure (a covariate)."),
)

ATTENUATION_KEYS = (
    Key("date", "column", REQUIRED, '"response_date"', "Column with each response's date."),
    Key("opened", "date", REQUIRED, "2021-03-08", "Date the endline survey opened."),
    Key(
        "min_responses",
        "int",
        10,
        "10",
        "A week with fewer responses joins the week before (at least 2).",
    ),
    Key("prespecified", "bool", False, "false", "Was this analysis in the protocol?"),
)

FACTOR_KEYS = (
    Key("column", "column", REQUIRED, '"ethnicity"', "Column of the second, crossed factor."),
    Key(
        "levels",
        "labels",
        REQUIRED,
        '["white_british", "minority"]',
        "Its two levels as written in the data; the first is the reference.",
    ),
)

LABEL_KEYS = (
    Key(
        "<name>",
        "text",
        None,
        'usual_care = "usual care"',
        "Any key: an arm, level or column name as written in the data; its value is the "
        "words every table and figure uses for it.",
    ),
)

TABLES = {
    "outcomes": ("[[outcomes]]", OUTCOME_KEYS, "One entry per outcome (at least one)."),
    "attenuation": (
        "[attenuation]",
        ATTENUATION_KEYS,
        "Optional, exploratory: the effect by week of response.",
    ),
    "factor": ("[factor]", FACTOR_KEYS, "Needed by design joint_separate."),
    "labels": ("[labels]", LABEL_KEYS, "Optional: words for names in the data (any key)."),
}
FREE_TABLES = ("labels",)  # tables whose keys are the user's own; LABEL_KEYS types each value


def _suggest(key: str, known: list[str], where: str) -> str:
    for title, keys, _ in TABLES.values():
        if title not in where and key in {k.name for k in keys}:
            return f" ({key!r} belongs in {title})"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known keys: {', '.join(known)})"


def check_table(table: dict, keys: tuple[Key, ...], where: str, extra=()) -> list[str]:
    """Problems of one TOML table against ``keys``: unknown, missing, mistyped, bad choice."""
    known = [k.name for k in keys] + list(extra)
    problems = [
        f"{where}: unknown key {name!r}{_suggest(name, known, where)}"
        for name in table
        if name not in known
    ]
    for key in keys:
        if key.name not in table:
            if key.required:
                problems.append(f"{where}: missing required key {key.name!r} ({key.doc})")
            continue
        value = table[key.name]
        test, wanted = CHECKS[key.kind]
        if not test(value):
            problems.append(f"{where}: {key.name} must be {wanted}, got {value!r}")
        elif key.choices and value not in key.choices:
            problems.append(
                f"{where}: {key.name} must be one of {', '.join(key.choices)}, got {value!r}"
            )
    return problems


def check_free_table(table: dict, key: Key, where: str) -> list[str]:
    """Problems of a table whose keys are free (``[labels]``): every value must be ``key``'s
    type."""
    test, wanted = CHECKS[key.kind]
    bad = {name: entry for name, entry in table.items() if not test(entry) or entry == ""}
    if not bad:
        return []
    shown = ", ".join(f"{name} = {entry!r}" for name, entry in bad.items())
    return [
        f'{where}: labels must be a table of names and words, e.g. la = "local authority"; '
        f"got {shown}"
    ]


def usable_keys(table: dict, keys: tuple[Key, ...]) -> dict:
    """The keys of ``table`` that pass their own checks (type and choices)."""
    return {
        key.name: table[key.name]
        for key in keys
        if key.name in table
        and CHECKS[key.kind][0](table[key.name])
        and (not key.choices or table[key.name] in key.choices)
    }


def value(table: dict, key: Key):
    """The key's value in ``table`` or its default (None for a required key)."""
    if key.name in table:
        return table[key.name]
    return None if key.required or key.default == "the name" else key.default


def _template_lines(keys: tuple[Key, ...]) -> list[str]:
    lines = []
    for key in keys:
        if key in LABEL_KEYS:
            lines += [f"# {key.name} = words. {key.doc}", f"# {key.example}"]
            continue
        default = "required" if key.required else f"default: {_shown(key.default)}"
        lines.append(f"# {key.doc} ({default})")
        prefix = "" if key.required else "# "
        lines.append(f"{prefix}{key.name} = {key.example.split(' or ')[0]}")
    return lines


def _shown(default) -> str:
    if default is None:
        return "none"
    if default == "":
        return '""'
    if isinstance(default, bool):
        return str(default).lower()
    return repr(default) if isinstance(default, list) else str(default)


def template() -> str:
    """A commented spec: required keys filled in, optional keys commented out."""
    lines = ["# A workwell trial spec. Lines starting with # are comments.", ""]
    lines += _template_lines(SPEC_KEYS)
    for title, keys, doc in TABLES.values():
        lines += ["", f"# {doc}", title if title == "[[outcomes]]" else f"# {title}"]
        body = _template_lines(keys)
        if title != "[[outcomes]]":
            body = [line if line.startswith("#") else f"# {line}" for line in body]
        lines += body
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """The README's table of spec keys."""
    rows = ["| key | type | default | example | meaning |", "| --- | --- | --- | --- | --- |"]
    groups = [("", SPEC_KEYS)] + [(title + " ", keys) for title, keys, _ in TABLES.values()]
    for prefix, keys in groups:
        for key in keys:
            default = "required" if key.required else _shown(key.default)
            kind = CHECKS[key.kind][1].split(",")[0].split(" e.g.")[0]
            rows.append(
                f"| `{prefix}{key.name}` | {kind} | {default} | `{key.example}` | {key.doc} |"
            )
    return "\n".join(rows)
