"""``analyse(data) -> Results``: every pre-specified and exploratory analysis of one experiment."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from trials.attenuation import attenuation_table
from trials.attrition import balance_table, response_model, response_rates
from trials.consort import Flow, consort_flow, consort_table
from trials.data import TrialData
from trials.effects import adjust_pvalues
from trials.factorial import cell_rates, factorial_rows
from trials.itt import outcome_rows
from trials.lee import lee_table
from trials.power import PowerSpec, mdes
from trials.spec import Spec


@dataclass
class Results:
    """Tidy tables, one per analysis, keyed by sheet name."""

    spec: Spec
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    flow: Flow | None = None

    @property
    def effects(self) -> pd.DataFrame:
        return self.tables["effects"]


def effects_table(data: TrialData) -> pd.DataFrame:
    """Every outcome's contrasts with Holm and BH p-values across the family."""
    spec = data.spec
    rows_for = factorial_rows if spec.design == "joint_separate" else outcome_rows
    table = pd.DataFrame([row for o in spec.outcomes for row in rows_for(data, o)])
    adjusted = adjust_pvalues(table["p"].tolist())
    table["p_holm"], table["p_bh"] = adjusted["holm"], adjusted["bh"]
    table["analysis"] = "pre-specified"
    table["flag"] = table["role"].map({"primary": "", "secondary": "secondary outcome"})
    return table


def mdes_table(data: TrialData) -> pd.DataFrame:
    """Planned and achieved MDES (P = share treated among responders, R2 = 0)."""
    spec = data.spec
    n = int(data.responded.sum())
    treated = (data.frame.loc[data.responded, spec.treatment] != spec.control).mean()
    rows = [{"sample": "achieved", "n": n, "mdes": mdes(PowerSpec(n=n))}]
    if spec.planned_n:
        rows.insert(
            0, {"sample": "planned", "n": spec.planned_n, "mdes": mdes(PowerSpec(n=spec.planned_n))}
        )
    table = pd.DataFrame(rows)
    table["p_treat_achieved"] = treated
    return table


def analyse(data: TrialData) -> Results:
    """Run the design's analyses; attrition only where units could fail to respond."""
    spec = data.spec
    results = Results(spec, flow=consort_flow(data))
    results.tables["consort"] = consort_table(results.flow)
    results.tables["effects"] = effects_table(data)
    if spec.design == "joint_separate":
        rates = [dict(r, outcome=o.name) for o in spec.outcomes for r in cell_rates(data, o)]
        results.tables["cell_rates"] = pd.DataFrame(rates)
    if spec.design != "joint_separate":
        results.tables["response"] = response_rates(data)
        if spec.responded:
            results.tables["response_model"] = response_model(data)
            results.tables["balance"] = balance_table(data)
            results.tables["lee_bounds"] = lee_table(data)
        results.tables["mdes"] = mdes_table(data)
    if spec.attenuation:
        results.tables["attenuation"] = attenuation_table(data)
    return results


def quick_spec(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str,
    block: str | None = None,
    cluster: str | None = None,
    covariates: tuple[str, ...] = (),
    se: str = "HC2",
    lin: bool = False,
    ri_draws: int = 0,
    seed: int = 2021,
    wild_bootstrap: int = 0,
    wild_weights: str = "rademacher",
) -> Spec:
    """A spec for an ad-hoc CSV: arms are the treatment's values, lowest (or 'control') first."""
    from trials.data import require_columns
    from trials.spec import Outcome

    require_columns(frame, [outcome, treatment, *(c for c in (block, cluster) if c), *covariates])
    values = sorted(frame[treatment].dropna().astype(str).unique())
    if "control" in values:
        values.insert(0, values.pop(values.index("control")))
    return Spec(
        name="estimate",
        title=f"{outcome} by {treatment}",
        design="two_arm" if len(values) == 2 else "multi_arm",
        unit=treatment,
        treatment=treatment,
        arms=tuple(values),
        outcomes=(Outcome(outcome, outcome),),
        strata=(block,) if block else (),
        cluster=cluster,
        se=se,
        lin=lin,
        covariates=tuple(covariates),
        ri_draws=ri_draws,
        seed=seed,
        wild_bootstrap=wild_bootstrap,
        wild_weights=wild_weights,
    )


def estimate(frame: pd.DataFrame, **options) -> pd.DataFrame:
    """Run the ITT estimator on any data frame; see :func:`quick_spec` for the options."""
    from trials.data import prepare

    frame = frame.copy()
    treatment = options["treatment"]
    if treatment in frame:
        frame[treatment] = frame[treatment].astype(str).where(frame[treatment].notna())
    spec = quick_spec(frame, **options)
    return effects_table(prepare(frame, spec))
