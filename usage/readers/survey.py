"""Self-report survey ingest: Qualtrics exports (three-row and legacy two-row headers),
workbooks in the same layouts, and plain one-header CSVs.

Question mapping (documented in :data:`QUESTIONS`): each answer field is found
by the column map, its field id or header (e.g. ``frequency``) or, failing
that, by words in the question text (e.g. "how often"). Answers may be choice
text or recode numbers; the labels come from ``answer_scales.toml`` (shipped,
documented) plus the column map's ``[answers]``. Preview and test responses
(``Status`` or ``DistributionChannel``) are skipped and counted. Unfinished
responses (``Finished`` false, or ``Progress`` under 100) are stored flagged
``finished = 0`` and counted apart. Free text is stored only when asked, and
then scrubbed (:mod:`usage.readers.scrub`). Names, emails and IP addresses are never
stored.
"""

from __future__ import annotations

import sqlite3
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from usage.model import ANSWER_CATEGORIES, FREQUENCIES, INTENTIONS
from usage.pseudonym import pseudonym
from usage.readers.checks import Checker, Context, Parsed, file_clock, not_future, person_ids
from usage.readers.columns import ColumnMap
from usage.readers.columns import normalise_header as norm
from usage.readers.parse import clean_text, parse_datetimes, parse_numbers
from usage.readers.scrub import scrub
from usage.readers.tables import Grid, Table
from usage.store.database import insert_rows

SCALES_FILE = Path(__file__).parent.parent / "answer_scales.toml"


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
    Question("finished", ("finished",)),
    Question("progress", ("progress",)),
    Question("first_name", ("recipientfirstname", "firstname")),
    Question("last_name", ("recipientlastname", "lastname")),
)
CATEGORIES = {"frequency": FREQUENCIES, "intention": INTENTIONS}
FALSE_WORDS = {"false", "0", "no", "n"}


@cache
def shipped_scales() -> dict[str, dict[str, str]]:
    """The documented label -> category table shipped in ``answer_scales.toml``."""
    with SCALES_FILE.open("rb") as handle:
        return tomllib.load(handle)


def answer_table(question: str, extra: dict[str, str]) -> dict[str, str]:
    """Normalised label -> category: our names, the numbers of our own scale, the shipped
    scale, the map."""
    categories = CATEGORIES[question]
    labels = shipped_scales()[question] | extra
    return (
        {norm(text): text for text in ANSWER_CATEGORIES[question]}
        | {str(i): text for i, text in enumerate(categories, start=1)}
        | {norm(label): category for label, category in labels.items()}
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


def locate(table: Table, labels: list[str], column_map: ColumnMap) -> dict[str, str]:
    """Field name -> table column, by header, then second header row, then question text."""
    located: dict[str, str] = {}
    for question in QUESTIONS:
        for column, label in zip(table.headers, labels, strict=True):
            names = {norm(column), norm(label)}
            text = label.lower()
            mapped = set(column_map.variants(question.name))
            if names & mapped:
                located[question.name] = column
                break
            if mapped:
                continue
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
        located = locate(table, labels, context.column_map)
        keep = ~_preview_or_test(table, located)
        skipped = int((~keep).sum())
        skipped_what = f"{skipped} preview or test response(s)"
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
            return check.parsed(pd.DataFrame(), skipped, skipped_what)
        clock = file_clock(check, [located["responded"]] if "responded" in located else [], context)
        if check.fatal_found():
            return check.parsed(pd.DataFrame(), skipped, skipped_what)
        rows = _answers(table, located, check, context, clock)
        rows["finished"] = _finished(table, located)
        rows["response_key"] = _response_keys(table, located, context)
        check.where(
            rows["response_key"].duplicated(),
            located.get("response_id", ""),
            "each response once (duplicate response)",
        )
        rows["person_id"] = _people(table, located, check, context, rows["finished"] == 1)
        rows["authority"] = _authority(table, located, rows["person_id"], check, context)
        partial = int((rows["finished"] == 0).sum())
        return check.parsed(rows, skipped, skipped_what, partial=partial)

    def store(self, conn: sqlite3.Connection, rows: pd.DataFrame, ingest_id: int) -> int:
        frame = rows[[*RESPONSE_COLUMNS, "finished"]].astype(object)
        frame = frame.where(frame.notna(), None)
        frame["person_id"] = [None if p is None else int(p) for p in frame["person_id"]]
        records = [(*r, ingest_id) for r in frame.itertuples(index=False, name=None)]
        columns = (*RESPONSE_COLUMNS, "finished", "ingest_id")
        return insert_rows(conn, "survey_responses", columns, records)


def _finished(table: Table, located: dict[str, str]) -> pd.Series:
    """1 for a finished response, 0 for a partial one (``Finished`` false, or ``Progress``
    under 100 when there is no ``Finished`` column)."""
    frame = table.frame
    if "finished" in located:
        text = clean_text(frame[located["finished"]]).str.lower()
        return pd.Series(np.where(text.isin(FALSE_WORDS), 0, 1), index=frame.index)
    if "progress" in located:
        progress = pd.to_numeric(clean_text(frame[located["progress"]]), errors="coerce")
        return pd.Series(np.where(progress < 100, 0, 1), index=frame.index)
    return pd.Series(1, index=frame.index)


def _preview_or_test(table: Table, located: dict[str, str]) -> pd.Series:
    dropped = pd.Series(False, index=table.frame.index)
    for name in ("status", "channel"):
        if name in located:
            dropped |= clean_text(table.frame[located[name]]).map(norm).isin(DROPPED_STATUS)
    return dropped


def _choice(table: Table, column: str | None, question: str, check: Checker, context) -> pd.Series:
    if column is None:
        return pd.Series(None, index=table.frame.index, dtype=object)
    answers = answer_table(question, context.column_map.answers.get(question, {}))
    text = clean_text(table.frame[column]).map(norm)
    mapped = text.map(answers)
    choices = list(ANSWER_CATEGORIES[question])
    error = pd.Series(None, index=text.index, dtype=object)
    error[mapped.isna() & (text != "")] = (
        f"one of {choices}, the number 1-{len(CATEGORIES[question])} of one of the first "
        f"{len(CATEGORIES[question])}, or a label in the answer scales "
        f"(usage/answer_scales.toml; add others under [answers.{question}] in a --columns map)"
    )
    check.add(error, column)
    return mapped.astype(object).where(mapped.notna(), None)


def _answers(
    table: Table, located: dict[str, str], check: Checker, context: Context, clock
) -> pd.DataFrame:
    frame = table.frame
    rows = pd.DataFrame(index=frame.index)
    rows["frequency"] = _choice(table, located.get("frequency"), "frequency", check, context)
    rows["intention"] = _choice(table, located.get("intention"), "intention", check, context)
    rows["hours_saved"] = None
    if "hours_saved" in located:
        column = located["hours_saved"]
        hours, error = parse_numbers(
            frame[column], "hours saved per week", False, decimal_comma=table.decimal_comma
        )
        check.add(error, column)
        check.where((hours < 0) | (hours > 168), column, "hours saved per week between 0 and 168")
        rows["hours_saved"] = hours
    rows["free_text"] = _free_text(table, located, context)
    rows["responded_on"] = None
    if "responded" in located:
        column = located["responded"]
        utc, error = parse_datetimes(frame[column], clock, required=False, day_only=True)
        check.add(error, column)
        check.where(not_future(utc, context), column, "a date not in the future")
        day = utc.dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
        rows["responded_on"] = day.where(utc.notna(), None)
    return rows


def _free_text(table: Table, located: dict[str, str], context: Context) -> pd.Series:
    """None unless --keep-free-text; then scrubbed of emails, phones, names and identifiers."""
    frame = table.frame
    if "free_text" not in located or not context.keep_free_text:
        return pd.Series(None, index=frame.index, dtype=object)
    hashes = context.name_hashes | frozenset(context.identifiers)
    own = [located[n] for n in ("identifier", "first_name", "last_name") if n in located]
    texts = clean_text(frame[located["free_text"]])
    scrubbed = [
        scrub(text, context.key, hashes, frame.loc[i, own].tolist()) or None
        for i, text in texts.items()
    ]
    return pd.Series(scrubbed, index=frame.index, dtype=object)


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


def _people(
    table: Table, located: dict, check: Checker, context: Context, finished: pd.Series
) -> pd.Series:
    """Roster person per response (None for anonymous); unknown people and repeated finished
    responses flagged (a partial response beside a finished one is kept, flagged partial)."""
    if "identifier" not in located:
        return pd.Series(None, index=table.frame.index, dtype=object)
    column = located["identifier"]
    raw = clean_text(table.frame[column])
    ids, error = person_ids(raw, context)
    error[raw == ""] = None
    check.add(error, column)
    ids = ids.astype(object).where(ids.notna(), None)
    named = ids.notna() & finished
    repeated = ids.where(named).duplicated() & named
    check.where(repeated, column, "one response per person (duplicate response)")
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
