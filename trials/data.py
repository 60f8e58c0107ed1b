"""Reading and checking a trial's data against its spec, before any estimation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trials.errors import TrialError
from trials.spec import Spec


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV file, turning IO problems into a :class:`TrialError`."""
    try:
        return pd.read_csv(path)
    except FileNotFoundError as err:
        raise TrialError(f"data file not found: {path}") from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise TrialError(f"cannot read {path} as CSV: {err}") from err


def require_columns(frame: pd.DataFrame, columns, what: str = "data") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TrialError(
            f"{what} has no column {missing[0]!r} (columns: {', '.join(map(str, frame.columns))})"
        )


def require_numeric(frame: pd.DataFrame, column: str) -> None:
    """Replace ``column`` with floats or name the first value that is not a number."""
    converted = pd.to_numeric(frame[column], errors="coerce")
    bad = converted.isna() & frame[column].notna()
    if bad.any():
        value = frame.loc[bad, column].iloc[0]
        raise TrialError(f"column {column!r} must be numeric; found {value!r}")
    frame[column] = converted.astype(float)


def require_arms(frame: pd.DataFrame, column: str, arms) -> None:
    values = frame[column].astype(str)
    if frame[column].isna().any():
        raise TrialError(f"treatment column {column!r} has missing values")
    unknown = sorted(set(values) - set(arms))
    if unknown:
        raise TrialError(
            f"treatment column {column!r} has value {unknown[0]!r}, not one of the arms "
            f"{list(arms)}"
        )
    frame[column] = values


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
    """Check columns, arms and types against the spec; return the validated data."""
    frame = frame.copy()
    require_columns(frame, spec.columns)
    require_arms(frame, spec.treatment, spec.arms)
    numeric = [o.name for o in spec.outcomes] + [o.baseline for o in spec.outcomes if o.baseline]
    for column in [*numeric, *spec.covariates]:
        require_numeric(frame, column)
    if spec.responded:
        require_numeric(frame, spec.responded)
        if not frame[spec.responded].isin([0, 1]).all():
            raise TrialError(f"column {spec.responded!r} must hold 0 or 1 for every unit")
    for column in spec.strata:
        if frame[column].isna().any():
            raise TrialError(f"stratum column {column!r} has missing values")
    if spec.factor:
        require_arms(frame, spec.factor.column, spec.factor.levels)
    if len(frame) == 0:
        raise TrialError("the data set has no rows")
    return TrialData(frame, spec)


def load_data(path: str | Path, spec: Spec) -> TrialData:
    return prepare(read_csv(path), spec)


def strata_codes(frame: pd.DataFrame, strata) -> np.ndarray:
    """One integer code per combination of the strata columns (0 when there are none)."""
    if not strata:
        return np.zeros(len(frame), dtype=int)
    return frame[list(strata)].astype(str).agg("|".join, axis=1).factorize()[0]


def check_strata(frame: pd.DataFrame, strata) -> None:
    """Strata fixed effects with HC2/HC3 need at least two units in every stratum."""
    if not strata:
        return
    sizes = frame.groupby(list(strata)).size()
    single = sizes[sizes < 2]
    if len(single):
        raise TrialError(
            f"stratum {', '.join(strata)} = {single.index[0]!r} has a single analysed unit; "
            "merge it with another stratum"
        )
