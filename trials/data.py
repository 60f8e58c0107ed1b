"""Reading and checking a trial's data against its spec, before any estimation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trials.errors import TrialError
from trials.spec import Spec

# Cells that mean "no value" in a numeric column (Excel, R, SPSS and Stata exports).
MISSING_MARKERS = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "#N/A", "."})


def read_csv(path: str | Path, text_columns=(), all_text: bool = False) -> pd.DataFrame:
    """Read a CSV as written. ``text_columns`` (ids, arms, strata, clusters), or every
    column with ``all_text``, keep their text exactly, so an arm "None" or a stratum "NA"
    stays itself and only an empty cell is missing; any other column becomes numbers when
    every cell is a number or a missing marker (NA, N/A, nan, null, ...)."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    except FileNotFoundError as err:
        raise TrialError(f"data file not found: {path}") from err
    except IsADirectoryError as err:
        raise TrialError(f"{path} is a folder, not a CSV file") from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise TrialError(f"cannot read {path} as CSV: {err}") from err
    return typed(raw, raw.columns if all_text else text_columns)


def typed(frame: pd.DataFrame, text_columns=()) -> pd.DataFrame:
    """Columns of text as numbers where every cell is a number or missing (see read_csv)."""
    return pd.DataFrame({c: _typed(frame[c], c in text_columns) for c in frame.columns})


def _typed(text: pd.Series, keep_text: bool) -> pd.Series:
    blank = text.isna() | (text.astype(str) == "")
    if keep_text:
        return text.where(~blank)
    missing = blank | text.astype(str).str.strip().isin(MISSING_MARKERS)
    numbers = pd.to_numeric(text.astype(str).str.strip().where(~missing), errors="coerce")
    if (numbers.notna() | missing).all():
        return numbers
    return text.where(~(blank | (text.astype(str).str.strip() == "")))


def text_columns(spec: Spec) -> list[str]:
    """The spec's label columns, read as text exactly as written."""
    factor = spec.factor.column if spec.factor else None
    columns = [spec.unit, spec.treatment, *spec.strata, spec.cluster, factor]
    return [c for c in columns if c]


def require_columns(frame: pd.DataFrame, columns, what: str = "data") -> None:
    problems = missing_columns(frame, columns, what)
    if problems:
        raise TrialError(problems[0])


def missing_columns(frame: pd.DataFrame, columns, what: str = "data") -> list[str]:
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if not missing:
        return []
    names = ", ".join(repr(c) for c in missing)
    return [f"{what} has no column {names} (columns: {', '.join(map(str, frame.columns))})"]


def file_row(index) -> int:
    """The row a person sees in a spreadsheet: the header is row 1, data start at row 2."""
    return int(index) + 2


def where(frame: pd.DataFrame, rows, unit: str | None, limit: int = 3) -> str:
    """'row 5 (unit 17), row 9 (unit 23) and 4 more' for the first few of ``rows``."""
    rows = list(rows)
    parts = []
    for index in rows[:limit]:
        part = f"row {file_row(index)}"
        if unit and unit in frame.columns:
            part += f" ({unit} {frame.at[index, unit]})"
        parts.append(part)
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return ", ".join(parts) + more


def numeric_problems(frame: pd.DataFrame, column: str, unit: str | None = None) -> list[str]:
    """Replace ``column`` with floats, or say which rows hold something else."""
    values = frame[column]
    if not pd.api.types.is_numeric_dtype(values):
        values = values.where(~values.astype(str).str.strip().isin(MISSING_MARKERS))
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        first = frame.loc[bad, column].iloc[0]
        return [
            f"column {column!r} must be numeric; found {first!r} at "
            f"{where(frame, frame.index[bad], unit)}"
        ]
    frame[column] = converted.astype(float)
    return []


def as_labels(series: pd.Series, codes: bool) -> pd.Series:
    """Arm labels as text; integer codes (0/1, or 1.0 read from a CSV) as '0', '1'."""
    if not codes:
        return series.astype(str).where(series.notna())
    numbers = pd.to_numeric(series, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    text = series.astype(str).where(series.notna())
    return text.where(~whole, numbers.where(whole).astype("Int64").astype(str))


def arm_problems(frame, column, arms, unit=None, codes=False, what="treatment") -> list[str]:
    """Check every unit has one of ``arms``; store the column as text labels."""
    labels = as_labels(frame[column], codes)
    problems = []
    if labels.isna().any():
        rows = frame.index[labels.isna()]
        problems.append(f"{what} column {column!r} is empty at {where(frame, rows, unit)}")
    unknown = labels.notna() & ~labels.isin(arms)
    if unknown.any():
        values = ", ".join(repr(v) for v in dict.fromkeys(labels[unknown]))
        problems.append(
            f"{what} column {column!r} holds {values}, not one of {list(arms)}, at "
            f"{where(frame, frame.index[unknown], unit)}"
        )
    frame[column] = labels
    return problems


def _rows(indices, limit: int = 5) -> str:
    numbers = [str(file_row(i)) for i in list(indices)[:limit]]
    more = f" and {len(indices) - limit} more" if len(indices) > limit else ""
    return "rows " + ", ".join(numbers) + more


def id_problems(frame: pd.DataFrame, unit: str) -> list[str]:
    """Every unit needs an id and no id may repeat: the first few, with their file rows."""
    problems = []
    if frame[unit].isna().any():
        rows = frame.index[frame[unit].isna()]
        problems.append(f"unit id column {unit!r} is empty at {_rows(rows)}")
    repeated = frame[unit].duplicated(keep=False) & frame[unit].notna()
    if not repeated.any():
        return problems
    groups = frame.index[repeated].to_series().groupby(frame.loc[repeated, unit], sort=False)
    shown = [f"{value!r} on {_rows(rows)}" for value, rows in list(groups)[:3]]
    count = groups.ngroups
    more = f" and {count - 3} more" if count > 3 else ""
    return problems + [f"unit id column {unit!r} repeats {count} id(s): {'; '.join(shown)}{more}"]


@dataclass(frozen=True)
class TrialData:
    """A validated data set: every randomised unit, responders flagged."""

    frame: pd.DataFrame
    spec: Spec

    @property
    def responded(self) -> pd.Series:
        if self.spec.responded:
            return self.frame[self.spec.responded] == 1
        outcomes = [o.name for o in self.spec.outcomes]
        return self.frame[outcomes].notna().any(axis=1)

    def analysed(self, outcome: str) -> pd.DataFrame:
        """Endline responders with this outcome (and its baseline) observed."""
        spec_outcome = next(o for o in self.spec.outcomes if o.name == outcome)
        keep = self.responded & self.frame[outcome].notna()
        if spec_outcome.baseline:
            keep &= self.frame[spec_outcome.baseline].notna()
        for covariate in self.spec.covariates:
            keep &= self.frame[covariate].notna()
        return self.frame[keep]

    def dropped(self, outcome: str) -> dict[str, int]:
        """Units left out of this outcome's analysis, by the first reason that applies."""
        spec_outcome = next(o for o in self.spec.outcomes if o.name == outcome)
        frame = self.frame
        first = "did not respond" if self.spec.responded else "no outcome recorded"
        steps = [(first, ~self.responded), ("outcome missing", frame[outcome].isna())]
        if spec_outcome.baseline:
            steps.append(("baseline missing", frame[spec_outcome.baseline].isna()))
        steps += [(f"{c} missing", frame[c].isna()) for c in self.spec.covariates]
        left = pd.Series(True, index=frame.index)
        counts = {}
        for reason, mask in steps:
            hit = int((left & mask).sum())
            if hit:
                counts[reason] = hit
            left &= ~mask
        return counts

    def missing_counts(self, outcome: str) -> dict[str, int]:
        """Units dropped from this outcome's analysis (item non-response, or any missing
        outcome when there is no response flag), by arm: never dropped silently."""
        responders = self.frame[self.responded] if self.spec.responded else self.frame
        kept = self.analysed(outcome)
        arm = self.spec.treatment
        before = responders[arm].value_counts()
        after = kept[arm].value_counts()
        return {a: int(before.get(a, 0) - after.get(a, 0)) for a in self.spec.arms}


def prepare(frame: pd.DataFrame, spec: Spec) -> TrialData:
    """Check columns, ids, arms and types against the spec; report every problem at once."""
    frame = frame.reset_index(drop=True)
    problems = missing_columns(frame, spec.columns)
    present = set(frame.columns)
    unit = spec.unit if spec.unit in present else None
    if len(frame) == 0:
        problems.append("the data set has no rows")
    if unit:
        problems += id_problems(frame, unit)
    if spec.treatment in present:
        codes = spec.arm_codes or all(arm.lstrip("-").isdigit() for arm in spec.arms)
        problems += arm_problems(frame, spec.treatment, spec.arms, unit, codes)
    numeric = [o.name for o in spec.outcomes] + [o.baseline for o in spec.outcomes if o.baseline]
    for column in dict.fromkeys([*numeric, *spec.covariates]):
        if column in present:
            problems += numeric_problems(frame, column, unit)
    if spec.responded and spec.responded in present:
        problems += _response_problems(frame, spec.responded, unit)
    for column in spec.strata:
        if column in present and frame[column].isna().any():
            rows = frame.index[frame[column].isna()]
            problems.append(f"stratum column {column!r} is empty at {where(frame, rows, unit)}")
    if spec.factor and spec.factor.column in present:
        problems += arm_problems(frame, spec.factor.column, spec.factor.levels, unit, what="factor")
    if problems:
        raise TrialError(_listing(problems))
    return TrialData(frame, spec)


def _response_problems(frame: pd.DataFrame, column: str, unit) -> list[str]:
    problems = numeric_problems(frame, column, unit)
    if not problems and not frame[column].isin([0, 1]).all():
        rows = frame.index[~frame[column].isin([0, 1])]
        problems.append(
            f"column {column!r} must hold 0 or 1 for every unit; not at {where(frame, rows, unit)}"
        )
    return problems


def _listing(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"the data have {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)


def load_data(path: str | Path, spec: Spec) -> TrialData:
    return prepare(read_csv(path, text_columns(spec)), spec)


def strata_codes(frame: pd.DataFrame, strata) -> np.ndarray:
    """One integer code per combination of the strata columns (0 when there are none)."""
    if not strata:
        return np.zeros(len(frame), dtype=int)
    return frame[list(strata)].astype(str).agg("|".join, axis=1).factorize()[0]


def check_strata(frame: pd.DataFrame, strata, unit: str | None = None) -> None:
    """Strata fixed effects with HC2/HC3 need at least two units in every stratum."""
    if not strata:
        return
    sizes = frame.groupby(list(strata)).size()
    single = sizes[sizes < 2]
    if len(single):
        value = single.index[0]
        rows = frame.index[(frame[list(strata)].astype(str) == _as_tuple(value)).all(axis=1)]
        raise TrialError(
            f"stratum {', '.join(strata)} = {value!r} has a single analysed unit "
            f"({where(frame, rows, unit)}); merge it with another stratum"
        )


def _as_tuple(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, tuple) else [str(value)]
