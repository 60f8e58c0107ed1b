"""Trial specifications: plain dataclasses read from TOML, each validating itself."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from trials.errors import TrialError
from trials.schema import (
    ATTENUATION_KEYS,
    DESIGNS,
    DIRECTIONS,
    FREE_TABLES,
    LABEL_KEYS,
    OUTCOME_KEYS,
    ROLES,
    SPEC_KEYS,
    TABLES,
    check_free_table,
    check_table,
    usable_keys,
    value,
)
from trials.vcov import CLUSTERED, SE_TYPES
from trials.wildboot import WEIGHTS


@dataclass(frozen=True)
class Outcome:
    """One outcome: its column, role, the direction that counts as benefit, scale."""

    name: str
    label: str
    role: str = "primary"
    direction: str = "increase"
    scale: str = ""
    baseline: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise TrialError(
                f"outcome {self.name!r}: role must be one of {ROLES}, got {self.role!r}"
            )
        if self.direction not in DIRECTIONS:
            raise TrialError(
                f"outcome {self.name!r}: direction must be one of {DIRECTIONS}, "
                f"got {self.direction!r}"
            )

    @property
    def sign(self) -> int:
        """+1 when a higher value is a benefit, -1 when lower is better (e.g. burnout)."""
        return 1 if self.direction == "increase" else -1


@dataclass(frozen=True)
class Attenuation:
    """Exploratory: treatment effect by working week of response after the survey opened."""

    date: str
    opened: dt.date  # not `date`: the field above shadows the type in this class
    min_responses: int = 10
    prespecified: bool = False

    def __post_init__(self) -> None:
        if self.min_responses < 2:
            raise TrialError(f"attenuation.min_responses must be >= 2, got {self.min_responses}")


@dataclass(frozen=True)
class Factor:
    """A second, within-participant factor crossed with the arms (joint vs separate)."""

    column: str
    levels: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.levels) != 2:
            raise TrialError(f"factor.levels must name exactly 2 levels, got {list(self.levels)}")


@dataclass(frozen=True)
class Spec:
    """Everything needed to re-run one experiment's analyses."""

    name: str
    title: str
    design: str
    unit: str
    treatment: str
    arms: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    strata: tuple[str, ...] = ()
    cluster: str | None = None
    se: str = "HC2"
    lin: bool = False
    covariates: tuple[str, ...] = ()
    responded: str | None = None
    ri_draws: int = 2000
    seed: int = 2021
    planned_n: int | None = None
    attenuation: Attenuation | None = None
    factor: Factor | None = None
    notes: str = ""
    assessed: int | None = None  # CONSORT: number assessed for eligibility, if known
    lost_reason: str | None = None  # column saying why a unit did not respond
    wild_bootstrap: int = 0  # wild cluster bootstrap draws (0 = none)
    wild_weights: str = "rademacher"
    labels: tuple[tuple[str, str], ...] = ()  # arm, level or column name -> words
    arm_codes: bool = False
    columns: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise TrialError("; ".join(problems))
        object.__setattr__(self, "columns", self._columns())

    def problems(self) -> list[str]:
        """Every cross-field problem, not just the first."""
        out = []
        if self.design not in DESIGNS:
            out.append(f"design must be one of {DESIGNS}, got {self.design!r}")
        if len(self.arms) < 2 or len(set(self.arms)) != len(self.arms):
            out.append(f"arms must list at least 2 distinct labels, got {list(self.arms)}")
        if self.design in ("two_arm", "joint_separate") and len(self.arms) != 2:
            out.append(f"design {self.design} needs exactly 2 arms, got {list(self.arms)}")
        if self.se not in SE_TYPES:
            out.append(f"se must be one of {SE_TYPES}, got {self.se!r}")
        if self.se in CLUSTERED and not self.cluster:
            out.append(
                f"se {self.se} is a cluster-robust standard error: add cluster = "
                '"COLUMN" (the column identifying clusters), or use se = "HC2"'
            )
        if self.design == "joint_separate" and self.factor is None:
            out.append("design joint_separate needs a [factor] table")
        if self.design == "joint_separate" and not self.cluster:
            out.append(
                "design joint_separate needs cluster = the column of the participant who "
                "made the decisions (arms were assigned to participants, not decisions)"
            )
        if not self.outcomes:
            out.append("at least one [[outcomes]] entry is needed")
        names = [o.name for o in self.outcomes]
        if len(set(names)) != len(names):
            out.append(f"outcome names repeat: {names}")
        if self.ri_draws < 0:
            out.append(f"ri_draws must be 0 (no RI) or more, got {self.ri_draws}")
        if self.planned_n is not None and self.planned_n < 3:
            out.append(f"planned_n must be at least 3, got {self.planned_n}")
        if self.cluster and self.se not in CLUSTERED:
            out.append(f"cluster {self.cluster!r} is given but se is {self.se}: use CR1 or CR2")
        return out + self._report_problems()

    def _report_problems(self) -> list[str]:
        """The CONSORT count and the wild cluster bootstrap's settings."""
        out = []
        if self.wild_bootstrap < 0:
            out.append(f"wild_bootstrap must be 0 (none) or more draws, got {self.wild_bootstrap}")
        if self.wild_bootstrap and not self.cluster:
            out.append(
                "wild_bootstrap is a wild cluster bootstrap: it needs cluster = the column "
                "identifying clusters"
            )
        if self.wild_weights not in WEIGHTS:
            out.append(f"wild_weights must be one of {WEIGHTS}, got {self.wild_weights!r}")
        if self.assessed is not None and (type(self.assessed) is not int or self.assessed < 0):
            out.append(f"assessed must be a whole number, got {self.assessed!r}")
        return out

    @property
    def crossed(self) -> Factor:
        """The [factor] of a joint_separate design (asking for it elsewhere is a bug)."""
        if self.factor is None:
            raise AssertionError(f"spec {self.name!r} has no [factor]")
        return self.factor

    @property
    def timing(self) -> Attenuation:
        """The [attenuation] table (asking for it when there is none is a bug)."""
        if self.attenuation is None:
            raise AssertionError(f"spec {self.name!r} has no [attenuation]")
        return self.attenuation

    def _columns(self) -> tuple[str, ...]:
        cols: list[str | None] = [self.unit, self.treatment, *self.strata, *self.covariates]
        cols += [self.cluster, self.responded, self.lost_reason]
        for outcome in self.outcomes:
            cols += [outcome.name, outcome.baseline]
        if self.attenuation:
            cols.append(self.attenuation.date)
        if self.factor:
            cols.append(self.factor.column)
        return tuple(dict.fromkeys(c for c in cols if c))

    @property
    def label_map(self) -> dict[str, str]:
        return dict(self.labels)

    @property
    def control(self) -> str:
        return self.arms[0]


def _problems_of(table: dict) -> list[str]:
    """Every key-level problem of a parsed spec, at every level, in one list."""
    problems = check_table(table, SPEC_KEYS, "spec", extra=TABLES)
    outcomes = table.get("outcomes")
    if outcomes is None:
        problems.append("spec: no [[outcomes]] entry; at least one outcome is needed")
    elif not (isinstance(outcomes, list) and all(isinstance(t, dict) for t in outcomes)):
        problems.append("spec: outcomes must be [[outcomes]] tables, one per outcome")
    else:
        for index, entry in enumerate(outcomes, start=1):
            where = f"[[outcomes]] #{index}" + (f" ({entry['name']})" if "name" in entry else "")
            problems += check_table(entry, OUTCOME_KEYS, where)
    for name in ("attenuation", "factor", "labels"):
        if name in table:
            title, keys, _ = TABLES[name]
            if not isinstance(table[name], dict):
                problems.append(f"spec: {name} must be a table, written {title}")
            elif name in FREE_TABLES:
                problems += check_free_table(table[name], LABEL_KEYS[0], title)
            else:
                problems += check_table(table[name], keys, title)
    return problems


def _outcome(entry: dict) -> Outcome:
    values = {key.name: value(entry, key) for key in OUTCOME_KEYS}
    values["label"] = values["label"] or values["name"]
    return Outcome(**values)


def _attenuation(entry: dict) -> Attenuation:
    values = {key.name: value(entry, key) for key in ATTENUATION_KEYS}
    if isinstance(values["opened"], str):
        values["opened"] = date.fromisoformat(values["opened"])
    return Attenuation(**values)


def _factor(entry: dict) -> Factor:
    return Factor(entry["column"], tuple(entry["levels"]))


def parse_spec(table: dict, source: str = "spec") -> Spec:
    """Build a :class:`Spec` from a parsed TOML table; every problem is reported at once."""
    problems = _problems_of(table)
    if problems:
        raise TrialError(_listing(source, problems + _cross_problems(table)))
    try:
        return _build(table)
    except TrialError as err:
        raise TrialError(_listing(source, str(err).split("; "))) from None


def _build(table: dict) -> Spec:
    """A Spec from a table whose keys have passed their checks (raises on cross-field ones)."""
    values = {key.name: value(table, key) for key in SPEC_KEYS}
    values["title"] = values["title"] or values["name"]
    strata = values["strata"]
    values["strata"] = (strata,) if isinstance(strata, str) else tuple(strata)
    values["arms"] = tuple(str(arm) for arm in values["arms"])
    values["arm_codes"] = all(isinstance(arm, int) for arm in table["arms"])
    values["covariates"] = tuple(values["covariates"])
    values["outcomes"] = tuple(_outcome(entry) for entry in table["outcomes"])
    values["attenuation"] = _attenuation(table["attenuation"]) if "attenuation" in table else None
    values["factor"] = _factor(table["factor"]) if "factor" in table else None
    values["labels"] = tuple((str(k), v) for k, v in table.get("labels", {}).items())
    return Spec(**values)


def _cross_problems(table: dict) -> list[str]:
    """Cross-field problems of the keys that did pass, so that one pass reports them too."""
    usable = usable_keys(table, SPEC_KEYS)
    entries = table.get("outcomes")
    entries = entries if isinstance(entries, list) else []
    outcomes = [usable_keys(e, OUTCOME_KEYS) for e in entries if isinstance(e, dict)]
    outcomes = [o for o in outcomes if "name" in o]
    if not ({"name", "unit", "treatment", "arms"} <= set(usable) and outcomes):
        return []  # too little is usable to judge; the key problems come first
    repaired = {**usable, "outcomes": outcomes}
    if "factor" in table:  # present but perhaps broken: stand in a valid one
        repaired["factor"] = {"column": "factor", "levels": ["a", "b"]}
    try:
        _build(repaired)
    except TrialError as err:
        return [f"spec: {problem}" for problem in str(err).split("; ")]
    return []


def _listing(source: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    return f"{source} has {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)


def load_spec(path: str | Path) -> Spec:
    """Read a spec file; a bare name such as ``swing`` means the shipped spec."""
    path = Path(path)
    if not path.exists() and path.suffix == "" and (shipped := bundled(path.name)) is not None:
        path = shipped
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError as err:
        names = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml")))
        raise TrialError(f"spec file not found: {path} (shipped specs by name: {names})") from err
    except OSError as err:
        raise TrialError(f"cannot read spec {path}: {err.strerror}") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise TrialError(f"spec {path}: not valid TOML: {err}") from err
    return parse_spec(table, f"spec {path}")


SHIPPED = Path(str(resources.files("trials") / "specs"))


def bundled(name: str) -> Path | None:
    """Path of a spec shipped in ``trials/specs``, or None."""
    candidate = SHIPPED / f"{name}.toml"
    return candidate if candidate.is_file() else None
