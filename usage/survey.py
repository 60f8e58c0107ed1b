"""Self-report survey ingest: Qualtrics exports (three-row and legacy two-row headers),
workbooks in the same layouts, and plain one-header CSVs.

Question mapping (documented in :data:`QUESTIONS`): each answer field is found
by its field id or header (e.g. ``frequency``) or, failing that, by words in the
question text (e.g. "how often"). Answers may be choice text or Qualtrics recode
numbers; :data:`FREQUENCY_ANSWERS` and :data:`INTENTION_ANSWERS` list both.
Preview and test responses (``Status`` or ``DistributionChannel``) are dropped.
Names, emails and IP addresses are never read except to hash an identifier.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pandas as pd

from usage.checks import Checker, Context, Parsed, not_future, person_ids
from usage.columns import normalise_header as norm
from usage.model import FREQUENCIES, INTENTIONS
from usage.parse import clean_text, parse_datetimes, parse_numbers
from usage.pseudonym import pseudonym
from usage.store import insert_rows
from usage.tables import Grid, Table


@dataclass(frozen=True)
class Question:
    """How to find one survey field: header/field-id variants, then question-text words."""

    name: str
    variants: tuple[str, ...]
    phrases: tuple[str, ...] = ()


QUESTIONS = (
    Question("response_id", ("responseid", "recordid")),
    Question("status", ("status",)),
    Question("channel", ("distributionchannel",)),
    Question(
        "identifier",
        (
            "recipientemail",
            "externalreference",
            "externaldatareference",
            "email",
            "emailaddress",
            "userid",
            "login",
        ),
    ),
    Question("authority", ("authority", "localauthority", "la", "council")),
    Question("responded", ("recordeddate", "enddate", "submitted", "date")),
    Question("frequency", ("frequency", "usefrequency", "howoften"), ("how often",)),
    Question("intention", ("intention", "continue", "keepusing"), ("continue", "keep using")),
    Question("hours_saved", ("hourssaved", "timesaved"), ("hours", "time saved")),
    Question("free_text", ("comments", "comment", "freetext"), ("comment", "anything else")),
)
FREQUENCY_ANSWERS = (
    {norm(text): text for text in FREQUENCIES}
    | {str(i): text for i, text in enumerate(FREQUENCIES, start=1)}
    | {"daily": "most days", "everyday": "most days"}
)
INTENTION_ANSWERS = (
    {norm(text): text for text in INTENTIONS}
    | {str(i): text for i, text in enumerate(INTENTIONS, start=1)}
    | {"unsure": "not sure", "dontknow": "not sure", "maybe": "not sure"}
)
DROPPED_STATUS = {"surveypreview", "surveytest", "preview", "test", "1", "2"}
RESPONSE_COLUMNS = (
    "response_key",
    "person_id",
    "authority",
    "responded_on",
    "frequency",
    "intention",
    "hours_saved",
    "free_text",
)


def header_rows(grid: Grid) -> int:
    """3 for a Qualtrics export (ImportId row), 2 for the legacy layout, else 1."""
    if len(grid.cells) > 2 and any(v.startswith('{"ImportId"') for v in grid.row(2)):
        return 3
    first, second = grid.row(0), grid.row(1)
    if first and norm(first[0]) == "v1" and "responseid" in {norm(v) for v in second}:
        return 2
    return 1


def locate(table: Table, labels: list[str]) -> dict[str, str]:
    """Field name -> table column, by header, then second header row, then question text."""
    located: dict[str, str] = {}
    for question in QUESTIONS:
        for column, label in zip(table.headers, labels, strict=True):
            names = {norm(column), norm(label)}
            text = label.lower()
            if names & set(question.variants) or any(p in text for p in question.phrases):
                located[question.name] = column
                break
    return located


class SurveyReader:
    kind = "survey"

    def parse(self, grid: Grid, context: Context) -> Parsed:
        rows_in_header = header_rows(grid)
        table = grid.table(rows_in_header)
        labels = grid.row(1) if rows_in_header > 1 else table.headers
        located = locate(table, labels)
        keep = ~_preview_or_test(table, located)
        table = Table(
            table.file,
            table.frame[keep].reset_index(drop=True),
            table.lines[keep.to_numpy()],
            table.sheet,
        )
        check = Checker(table)
        if not {"frequency", "intention", "hours_saved"} & set(located):
            check.whole_file(
                "questions",
                f"columns {table.headers}",
                "survey questions on frequency of use, intention to continue or "
                "hours saved (see the question mapping in usage/survey.py)",
            )
            return check.parsed(pd.DataFrame(), skipped=int((~keep).sum()))
        rows = _answers(table, located, check, context)
        rows["response_key"] = _response_keys(table, located, context)
        check.where(
            rows["response_key"].duplicated(),
            located.get("response_id", ""),
            "each response once (duplicate response)",
        )
        rows["person_id"] = _people(table, located, check, context)
        rows["authority"] = _authority(table, located, rows["person_id"], check, context)
        return check.parsed(rows, skipped=int((~keep).sum()))

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        frame = rows[list(RESPONSE_COLUMNS)].astype(object)
        frame = frame.where(frame.notna(), None)
        frame["person_id"] = [None if p is None else int(p) for p in frame["person_id"]]
        records = [(*r, ingest_id) for r in frame.itertuples(index=False, name=None)]
        return insert_rows(conn, "survey_responses", (*RESPONSE_COLUMNS, "ingest_id"), records)


def _preview_or_test(table: Table, located: dict[str, str]) -> pd.Series:
    dropped = pd.Series(False, index=table.frame.index)
    for name in ("status", "channel"):
        if name in located:
            dropped |= clean_text(table.frame[located[name]]).map(norm).isin(DROPPED_STATUS)
    return dropped


def _choice(table: Table, column: str | None, answers: dict, check: Checker) -> pd.Series:
    if column is None:
        return pd.Series(None, index=table.frame.index, dtype=object)
    text = clean_text(table.frame[column]).map(norm)
    mapped = text.map(answers)
    choices = sorted(set(answers.values()), key=list(answers.values()).index)
    error = pd.Series(None, index=text.index, dtype=object)
    error[mapped.isna() & (text != "")] = f"one of {choices} or its number 1-{len(choices)}"
    check.add(error, column)
    return mapped.astype(object).where(mapped.notna(), None)


def _answers(
    table: Table, located: dict[str, str], check: Checker, context: Context
) -> pd.DataFrame:
    frame = table.frame
    rows = pd.DataFrame(index=frame.index)
    rows["frequency"] = _choice(table, located.get("frequency"), FREQUENCY_ANSWERS, check)
    rows["intention"] = _choice(table, located.get("intention"), INTENTION_ANSWERS, check)
    rows["hours_saved"] = None
    if "hours_saved" in located:
        column = located["hours_saved"]
        hours, error = parse_numbers(frame[column], "hours saved per week", required=False)
        check.add(error, column)
        check.where((hours < 0) | (hours > 168), column, "hours saved per week between 0 and 168")
        rows["hours_saved"] = hours
    rows["free_text"] = clean_text(frame[located["free_text"]]) if "free_text" in located else ""
    rows["responded_on"] = None
    if "responded" in located:
        column = located["responded"]
        utc, error = parse_datetimes(frame[column], required=False)
        check.add(error, column)
        check.where(not_future(utc, context), column, "a date not in the future")
        day = utc.dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
        rows["responded_on"] = day.where(utc.notna(), None)
    return rows


def _response_keys(table: Table, located: dict[str, str], context: Context) -> pd.Series:
    """Keyed hash of the response id, or of the line and row when the export has none."""
    if "response_id" in located:
        source = "response:" + clean_text(table.frame[located["response_id"]])
    else:
        # No response id: the line number keeps identical anonymous answers apart, so
        # such files are deduplicated by content hash only, not across overlapping exports.
        lines = pd.Series(table.lines, index=table.frame.index).astype(str)
        source = "row:" + lines + "\x1f" + table.frame.astype(str).agg("\x1f".join, axis=1)
    return source.map(lambda text: pseudonym(context.key, text))


def _people(table: Table, located: dict, check: Checker, context: Context) -> pd.Series:
    """Roster person per response (None for anonymous); unknown people and repeats flagged."""
    if "identifier" not in located:
        return pd.Series(None, index=table.frame.index, dtype=object)
    column = located["identifier"]
    raw = clean_text(table.frame[column])
    ids, error = person_ids(raw, context)
    error[raw == ""] = None
    check.add(error, column)
    ids = ids.astype(object).where(ids.notna(), None)
    named = ids.notna()
    check.where(named & ids.duplicated(), column, "one response per person (duplicate response)")
    answered_before = ids.map(lambda p: p in context.surveyed)
    check.where(
        named & answered_before,
        column,
        "one response per person (this person already has a stored response)",
    )
    return ids


def _authority(
    table: Table, located: dict, person: pd.Series, check: Checker, context: Context
) -> pd.Series:
    """Authority from the survey column, else the roster, else the --authority option."""
    if "authority" in located:
        authority = clean_text(table.frame[located["authority"]]).replace("", None)
    else:
        authority = pd.Series(None, index=table.frame.index, dtype=object)
    authority = authority.fillna(person.map(context.person_authority))
    if context.authority:
        authority = authority.fillna(context.authority)
    check.where(
        authority.isna(),
        located.get("authority", ""),
        "an authority: add an authority column, pass --authority, or identify "
        "respondents on the roster",
    )
    return authority
