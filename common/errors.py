"""One error type for a user's mistake, in all three packages.

An :class:`InputError` means the input (a file, a cell, an option) is wrong and the user
can put it right; its ``problems`` list every mistake found in one pass, each located.
It is deliberately not a ``ValueError``: a ``ValueError`` escaping from our own code is a
bug, and must never be shown to the user as if it were their mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake, located well enough to find and fix by hand."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # the row or line number the user sees (1 = first)
    column: str | None = None  # as the user sees it: a letter, a header, or both

    def __str__(self) -> str:
        where = [
            part
            for part in (
                self.sheet,
                f"row {self.row}" if self.row is not None else None,
                f"column {self.column}" if self.column else None,
            )
            if part
        ]
        place = ", ".join(where)
        prefix = ": ".join(part for part in (self.file, place) if part)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(Exception):
    """Bad input: ``problems`` (strings or :class:`Problem`) are every mistake found, and
    ``warnings`` what was doubtful in what could be read. ``str()`` is one per line."""

    def __init__(
        self,
        problems: str | Problem | Iterable[str | Problem],
        warnings: Iterable[str | Problem] = (),
    ):
        if isinstance(problems, str | Problem):
            problems = [problems]
        self.problems = list(problems)
        self.warnings = list(warnings)
        super().__init__("\n".join(str(problem) for problem in self.problems))
