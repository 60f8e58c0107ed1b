"""Trial specifications: plain dataclasses read from TOML, each validating itself."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from trials.errors import TrialError
from trials.vcov import CLUSTERED, SE_TYPES
from trials.wildboot import WEIGHTS

DESIGNS = ("two_arm", "multi_arm", "joint_separate")
ROLES = ("primary", "secondary")
DIRECTIONS = ("increase", "decrease")


def _need(table: dict, key: str, where: str):
    if key not in table or table[key] in ("", None):
        raise TrialError(f"{where}: missing key {key!r}")
    return table[key]


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
    opened: date
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
    columns: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise TrialError(f"spec {self.name!r}: " + "; ".join(problems))
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
            out.append(f"se {self.se} needs a cluster column")
        if self.design == "joint_separate" and self.factor is None:
            out.append("design joint_separate needs a [factor] table")
        if not self.outcomes:
            out.append("at least one [[outcomes]] entry is needed")
        names = [o.name for o in self.outcomes]
        if len(set(names)) != len(names):
            out.append(f"outcome names repeat: {names}")
        if self.ri_draws < 0:
            out.append(f"ri_draws must be >= 0, got {self.ri_draws}")
        if self.wild_bootstrap and not self.cluster:
            out.append("wild_bootstrap needs a cluster column")
        if self.wild_weights not in WEIGHTS:
            out.append(f"wild_weights must be one of {WEIGHTS}, got {self.wild_weights!r}")
        if self.assessed is not None and (type(self.assessed) is not int or self.assessed < 0):
            out.append(f"assessed must be a whole number, got {self.assessed!r}")
        return out

    def _columns(self) -> tuple[str, ...]:
        cols = [self.unit, self.treatment, *self.strata, *self.covariates]
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


def _outcome(table: dict, index: int) -> Outcome:
    where = f"outcomes[{index}]"
    known = {"name", "label", "role", "direction", "scale", "baseline"}
    _reject_unknown(table, known, where)
    name = _need(table, "name", where)
    return Outcome(
        name=name,
        label=table.get("label", name),
        role=table.get("role", "primary"),
        direction=table.get("direction", "increase"),
        scale=table.get("scale", ""),
        baseline=table.get("baseline") or None,
    )


def _reject_unknown(table: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise TrialError(f"{where}: unknown key {unknown[0]!r}")


def _attenuation(table: dict) -> Attenuation:
    opened = _need(table, "opened", "attenuation")
    if isinstance(opened, str):
        try:
            opened = date.fromisoformat(opened)
        except ValueError as err:
            raise TrialError(f"attenuation.opened must be a date, got {opened!r}") from err
    return Attenuation(
        date=_need(table, "date", "attenuation"),
        opened=opened,
        min_responses=int(table.get("min_responses", 10)),
        prespecified=bool(table.get("prespecified", False)),
    )


SCALARS = {
    "name",
    "title",
    "design",
    "unit",
    "treatment",
    "arms",
    "strata",
    "cluster",
    "se",
    "lin",
    "covariates",
    "responded",
    "ri_draws",
    "seed",
    "planned_n",
    "notes",
    "assessed",
    "lost_reason",
    "wild_bootstrap",
    "wild_weights",
    "labels",
}


def _labels(table) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise TrialError('labels must be a table of names and words, e.g. la = "local authority"')
    return tuple((str(k), v) for k, v in table.items())


def parse_spec(table: dict) -> Spec:
    """Build a :class:`Spec` from a parsed TOML table, naming any bad key."""
    _reject_unknown(table, SCALARS | {"outcomes", "attenuation", "factor"}, "spec")
    outcomes = tuple(_outcome(t, i) for i, t in enumerate(table.get("outcomes", [])))
    factor = table.get("factor")
    return Spec(
        name=_need(table, "name", "spec"),
        title=table.get("title", table["name"]),
        design=table.get("design", "two_arm"),
        unit=_need(table, "unit", "spec"),
        treatment=_need(table, "treatment", "spec"),
        arms=tuple(_need(table, "arms", "spec")),
        outcomes=outcomes,
        strata=tuple(table.get("strata", ())),
        cluster=table.get("cluster") or None,
        se=table.get("se", "HC2"),
        lin=bool(table.get("lin", False)),
        covariates=tuple(table.get("covariates", ())),
        responded=table.get("responded") or None,
        ri_draws=int(table.get("ri_draws", 2000)),
        seed=int(table.get("seed", 2021)),
        planned_n=table.get("planned_n"),
        attenuation=_attenuation(table["attenuation"]) if "attenuation" in table else None,
        factor=Factor(factor["column"], tuple(factor["levels"])) if factor else None,
        notes=table.get("notes", ""),
        assessed=table.get("assessed"),
        lost_reason=table.get("lost_reason") or None,
        wild_bootstrap=int(table.get("wild_bootstrap", 0)),
        wild_weights=table.get("wild_weights", "rademacher"),
        labels=_labels(table.get("labels", {})),
    )


def load_spec(path: str | Path) -> Spec:
    """Read a spec file; a bare name such as ``swing`` means the shipped spec."""
    path = Path(path)
    if not path.exists() and path.suffix == "" and (shipped := bundled(path.name)) is not None:
        path = shipped
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError as err:
        raise TrialError(f"spec file not found: {path}") from err
    except tomllib.TOMLDecodeError as err:
        raise TrialError(f"spec {path}: not valid TOML: {err}") from err
    return parse_spec(table)


def bundled(name: str) -> Path | None:
    """Path of a spec shipped in ``trials/specs``, or None."""
    candidate = resources.files("trials") / "specs" / f"{name}.toml"
    return Path(str(candidate)) if candidate.is_file() else None
