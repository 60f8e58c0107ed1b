"""Plain, self-validating values shared by the readers, the store and the report."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from common.errors import InputError

KINDS = ("roster", "sessions", "totals", "activity", "survey")

FREQUENCIES = (
    "most days",
    "several times a week",
    "once a week",
    "less than once a week",
    "never",
)
INTENTIONS = ("yes", "not sure", "no")
# The pilot's own three-point scale ends in one band for the rest of our scale.
ONCE_A_WEEK_OR_LESS = "once a week or less"
LOW_FREQUENCIES = ("once a week", "less than once a week", "never")
COARSE_FREQUENCIES = ("most days", "several times a week", ONCE_A_WEEK_OR_LESS)
ANSWER_CATEGORIES = {"frequency": (*FREQUENCIES, ONCE_A_WEEK_OR_LESS), "intention": INTENTIONS}


def frequency_scale(answers) -> tuple[str, ...]:
    """The scale to count frequency answers on: ours, or the three-point scale where any
    answer is "once a week or less" (then the low end of every answer is read as that
    band, so no answer is split into categories its scale did not ask about)."""
    return COARSE_FREQUENCIES if ONCE_A_WEEK_OR_LESS in set(answers) else FREQUENCIES


def on_scale(answers, scale: tuple[str, ...]):
    """Frequency answers (a Series) read on ``scale``."""
    if scale is COARSE_FREQUENCIES:
        return answers.replace(dict.fromkeys(LOW_FREQUENCIES, ONCE_A_WEEK_OR_LESS))
    return answers


class UsageError(InputError):
    """A user mistake (bad option, bad file): shown as a message, never a traceback."""


class IngestRejected(UsageError):
    """A file failed validation; ``problems`` lists every problem found in one pass.

    Its message is the one-line headline; the command prints the problems below it.
    """

    def __init__(self, path: str, problems: list[Problem]):
        super().__init__(problems)
        self.path = path
        self.args = (f"{path}: {len(problems)} problem(s); nothing was written",)

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located well enough to fix by hand.

    ``line`` is the physical line of a CSV file, or the row number of a sheet
    (``sheet`` is then set); ``line`` 0 means the problem concerns the whole file.
    """

    file: str
    line: int
    column: str
    found: str
    expected: str
    sheet: str | None = None

    def __post_init__(self) -> None:
        if self.line < 0:
            raise ValueError(f"Problem.line must be >= 0, got {self.line}")

    @property
    def where(self) -> str:
        place = f"sheet {self.sheet!r} row {self.line}" if self.sheet else f"line {self.line}"
        if self.line == 0:
            place = "whole file"
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.file} {place}{column}"

    def __str__(self) -> str:
        return f"{self.where}: found {self.found}; expected {self.expected}"


@dataclass(frozen=True)
class IngestReport:
    """What one ingest of one file did."""

    file: str
    kind: str
    rows_read: int
    rows_accepted: int
    rows_new: int
    rows_rejected: int
    already_ingested: bool = False
    rejects_path: str | None = None
    rows_skipped: int = 0
    skipped_what: str = ""
    partial: int = 0
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"IngestReport.kind must be one of {KINDS}, got {self.kind!r}")
        counts = ("rows_read", "rows_accepted", "rows_new", "rows_rejected", "rows_skipped")
        for name in (*counts, "partial"):
            if getattr(self, name) < 0:
                raise ValueError(f"IngestReport.{name} must be >= 0, got {getattr(self, name)}")
        accounted = self.rows_accepted + self.rows_rejected + self.rows_skipped
        if not self.already_ingested and self.rows_read != accounted:
            raise ValueError(
                f"IngestReport: {self.rows_read} rows read but {accounted} accounted for"
            )

    def summary(self) -> str:
        """Every row accounted for: read = accepted + rejected + skipped, then any notes."""
        if self.already_ingested:
            return f"{self.file}: already ingested (same content); nothing changed"
        text = (
            f"{self.file}: {self.kind}, {self.rows_read} rows read = "
            f"{self.rows_accepted} accepted ({self.rows_new} new) + {self.rows_rejected} rejected"
            f" + {self.rows_skipped} skipped"
        )
        if self.rows_skipped:
            text += f" ({self.skipped_what})"
        if self.partial:
            text += (
                f"; {self.partial} of the accepted are partial (unfinished) responses, "
                "stored flagged and not counted as responses"
            )
        if self.rejects_path:
            text += f"; rejects written to {self.rejects_path}"
        return "\n".join([text, *(f"  note: {note}" for note in self.notes)])


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days (Europe/London) that a report covers."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Period.end {self.end} is before Period.start {self.start}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> int:
        return math.ceil(self.days / 7)


@dataclass(frozen=True)
class ReportOptions:
    """Thresholds of the uptake report; the defaults follow the pilot's wording.

    ``licence_cost``: cost of one licence for the period (None: no cost table).
    ``suppress_cells``: also hide every count of people below ``min_group`` (and those
    that would give one away), for publication.
    """

    period: Period | None = None
    min_sessions: int = 5
    regular_share: float = 0.75
    review_minutes: float = 10.0
    min_group: int = 5
    show_free_text: bool = False
    group_by: tuple[str, ...] = field(default=("authority", "team", "role"))
    licence_cost: float | None = None
    suppress_cells: bool = False

    def __post_init__(self) -> None:
        if self.min_sessions < 0:
            raise ValueError(f"ReportOptions.min_sessions must be >= 0, got {self.min_sessions}")
        if not 0 < self.regular_share <= 1:
            raise ValueError(
                f"ReportOptions.regular_share must be in (0, 1], got {self.regular_share}"
            )
        if self.review_minutes < 0:
            raise ValueError(
                f"ReportOptions.review_minutes must be >= 0, got {self.review_minutes}"
            )
        if self.min_group < 1:
            raise ValueError(f"ReportOptions.min_group must be >= 1, got {self.min_group}")
        unknown = set(self.group_by) - {"authority", "team", "role"}
        if unknown:
            raise ValueError(f"ReportOptions.group_by has unknown groupings {sorted(unknown)}")
        cost = self.licence_cost
        if cost is not None and not (math.isfinite(cost) and cost >= 0):
            raise ValueError(f"ReportOptions.licence_cost must be a cost >= 0, got {cost}")

    def regular_weeks(self, period: Period) -> int:
        """Active weeks needed to count as regular: 3 of 4 with the default share."""
        return max(1, math.ceil(self.regular_share * period.weeks - 1e-9))
