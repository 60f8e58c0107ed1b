"""CONSORT 2010 participant flow, counted from the data: assessed, randomised, allocated,
followed up (lost, with reasons where the data has them) and analysed, per arm.

Units are those randomised: the cluster when assignment was by cluster (the participants
of the joint vs separate experiment), otherwise the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trials.data import TrialData
from trials.errors import TrialError
from trials.wording import words


@dataclass(frozen=True)
class ArmFlow:
    """One arm's column of the diagram."""

    arm: str
    label: str
    allocated: int
    lost: int
    lost_reasons: dict[str, int]
    responded: int
    excluded: int
    excluded_reasons: dict[str, int]
    analysed: int


@dataclass(frozen=True)
class Flow:
    """The whole diagram; ``assessed`` is None when the data do not record it."""

    unit: str
    assessed: int | None
    randomised: int
    arms: tuple[ArmFlow, ...]
    outcome: str
    follow_up: bool
    note: str = ""

    def __post_init__(self) -> None:
        if self.randomised != sum(a.allocated for a in self.arms):
            raise TrialError("CONSORT: the arms' allocations do not add up to those randomised")
        if self.assessed is not None and self.assessed < self.randomised:
            raise TrialError(
                f"assessed ({self.assessed}) is smaller than the number randomised "
                f"({self.randomised})"
            )


def primary_outcome(spec):
    return next((o for o in spec.outcomes if o.role == "primary"), spec.outcomes[0])


def _exclusion_reason(frame: pd.DataFrame, spec, outcome) -> pd.Series:
    """Why each responder is left out of the primary analysis ('' when analysed)."""
    reason = pd.Series("", index=frame.index)
    checks = [(c, f"{words(c, spec.label_map)} missing") for c in spec.covariates]
    if outcome.baseline:
        checks.insert(0, (outcome.baseline, "baseline measure missing"))
    checks.insert(0, (outcome.name, "outcome missing"))
    for column, text in reversed(checks):
        reason = reason.mask(frame[column].isna(), text)
    return reason


def _per_unit(data: TrialData, outcome) -> pd.DataFrame:
    """One row per randomised unit: arm, responded, why lost, why excluded."""
    spec = data.spec
    frame = data.frame.assign(
        _responded=data.responded,
        _lost=data.frame[spec.lost_reason].astype("string") if spec.lost_reason else pd.NA,
    )
    frame["_excluded"] = _exclusion_reason(frame, spec, outcome).where(frame["_responded"], "")
    if not spec.cluster:
        return frame
    varies = frame.groupby(spec.cluster)[spec.treatment].nunique() > 1
    if varies.any():
        return frame  # assignment was not by cluster: count rows
    grouped = frame.groupby(spec.cluster, sort=False)
    return pd.DataFrame(
        {
            spec.treatment: grouped[spec.treatment].first(),
            "_responded": grouped["_responded"].any(),
            "_lost": grouped["_lost"].first(),
            "_excluded": grouped["_excluded"].agg(_cluster_reason),
        }
    )


def _cluster_reason(reasons: pd.Series) -> str:
    """A cluster is analysed if any of its rows is; otherwise its first row's reason."""
    return "" if (reasons == "").any() else reasons.iloc[0]


def _counts(values: pd.Series) -> dict[str, int]:
    values = values.dropna().astype(str)
    values = values[values.str.strip() != ""]
    return {str(k): int(v) for k, v in values.value_counts().items()}


def consort_flow(data: TrialData) -> Flow:
    """Count every stage of the flow from the data and the spec."""
    spec = data.spec
    outcome = primary_outcome(spec)
    units = _per_unit(data, outcome)
    by_cluster = spec.cluster is not None and len(units) < len(data.frame)
    arms = []
    for arm in spec.arms:
        part = units[units[spec.treatment] == arm]
        lost = part[~part["_responded"]]
        responders = part[part["_responded"]]
        excluded = responders[responders["_excluded"] != ""]
        arms.append(
            ArmFlow(
                arm=arm,
                label=words(arm, spec.label_map),
                allocated=len(part),
                lost=len(lost),
                lost_reasons=_counts(lost["_lost"]) if spec.lost_reason else {},
                responded=len(responders),
                excluded=len(excluded),
                excluded_reasons=_counts(excluded["_excluded"]),
                analysed=len(responders) - len(excluded),
            )
        )
    column = spec.cluster if by_cluster and spec.cluster else spec.unit
    unit = spec.label_map.get(column) or unit_words(column)
    note = (
        f"counted in {unit}, the unit of assignment; the data hold {len(data.frame):,} "
        f"rows (one per {words(spec.unit)})"
        if by_cluster
        else ""
    )
    return Flow(
        unit=unit,
        assessed=spec.assessed,
        randomised=len(units),
        arms=tuple(arms),
        outcome=outcome.label,
        follow_up=spec.responded is not None,
        note=note,
    )


def unit_words(column: str) -> str:
    """'staff_id' -> 'staff', 'participant' -> 'participants': what was randomised."""
    name = words(column)
    for suffix in (" id", " ids", " number"):
        name = name.removesuffix(suffix)
    return name if name.endswith(("s", "staff")) else name + "s"


def _reasons(reasons: dict[str, int]) -> str:
    return "; ".join(f"{k}: {v:,}" for k, v in reasons.items())


def consort_table(flow: Flow) -> pd.DataFrame:
    """The flow as a table: one row per stage and arm, with reasons in words."""
    rows = [
        {
            "stage": "Assessed for eligibility",
            "arm": "all",
            "n": flow.assessed,
            "detail": "" if flow.assessed is not None else "not recorded in the data or spec",
        },
        {
            "stage": "Excluded before randomisation",
            "arm": "all",
            "n": None if flow.assessed is None else flow.assessed - flow.randomised,
            "detail": "" if flow.assessed is not None else "not recorded",
        },
        {"stage": "Randomised", "arm": "all", "n": flow.randomised, "detail": flow.note},
    ]
    for a in flow.arms:
        arm = a.label
        rows.append({"stage": "Allocated", "arm": arm, "n": a.allocated, "detail": ""})
        if flow.follow_up:
            reasons = _reasons(a.lost_reasons) or "reasons not recorded in the data"
            rows.append({"stage": "Lost to follow-up", "arm": arm, "n": a.lost, "detail": reasons})
            rows.append({"stage": "Responded", "arm": arm, "n": a.responded, "detail": ""})
        excluded = _reasons(a.excluded_reasons)
        rows.append(
            {"stage": "Excluded from analysis", "arm": arm, "n": a.excluded, "detail": excluded}
        )
        rows.append(
            {"stage": "Analysed", "arm": arm, "n": a.analysed, "detail": f"for {flow.outcome}"}
        )
    table = pd.DataFrame(rows)
    table["n"] = table["n"].astype("Int64")
    return table
