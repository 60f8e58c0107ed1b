"""``analyse(data) -> Results``: every pre-specified and exploratory analysis of one experiment."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from trials.attenuation import attenuation_table
from trials.attrition import balance_table, response_model, response_rates
from trials.consort import Flow, consort_flow, consort_table
from trials.data import TrialData
from trials.echo import model_table
from trials.effects import adjust_pvalues
from trials.errors import TrialError
from trials.factorial import cell_rates, factorial_rows
from trials.itt import outcome_rows
from trials.lee import lee_table
from trials.power import PowerSpec, assumptions, mdes
from trials.spec import Spec
from trials.vcov import CLUSTERED


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


def _mdes_row(sample, n, basis, outcome="", contrast="", share=None) -> dict:
    """One MDES with its assumptions beside it: P = 0.5 and R2 = 0, as the report held."""
    power = PowerSpec(n=n)
    row = {"sample": sample, "outcome": outcome, "contrast": contrast, "n": n}
    row |= {"share_in_arm": share, "mdes": mdes(power), **assumptions(power), "basis": basis}
    return row


def mdes_table(data: TrialData) -> pd.DataFrame:
    """Planned MDES and the achieved MDES for each outcome (and each pairwise contrast),
    from the N each analysis actually used."""
    spec = data.spec
    rows = []
    if spec.planned_n:
        rows.append(
            _mdes_row(
                "planned", spec.planned_n, "protocol's planned sample", outcome="", contrast=""
            )
        )
    for outcome in spec.outcomes:
        arms = data.analysed(outcome.name)[spec.treatment]
        pairs = [(a, spec.arms[0]) for a in spec.arms[1:]]
        if len(spec.arms) > 2:
            pairs = [(b, a) for a, b in combinations(spec.arms, 2)]
        for arm, vs in pairs:
            n_arm, n_vs = int((arms == arm).sum()), int((arms == vs).sum())
            if n_arm + n_vs < 3:
                continue
            rows.append(
                _mdes_row(
                    "achieved",
                    n_arm + n_vs,
                    f"units analysed for {outcome.name} in {arm} and {vs}",
                    outcome.name,
                    f"{arm} - {vs}",
                    n_arm / (n_arm + n_vs),
                )
            )
    return pd.DataFrame(rows)


def analyse(data: TrialData) -> Results:
    """Run the design's analyses; attrition only where units could fail to respond."""
    spec = data.spec
    flow = consort_flow(data)
    results = Results(spec, flow=flow)
    results.tables["consort"] = consort_table(flow)
    results.tables["effects"] = effects_table(data)
    results.tables["model"] = model_table(data)
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
    se: str | None = None,
    lin: bool = False,
    ri_draws: int = 0,
    seed: int = 2021,
    reference: str | None = None,
    unit: str | None = None,
    wild_bootstrap: int = 0,
    wild_weights: str = "rademacher",
) -> Spec:
    """A spec for an ad-hoc CSV. The reference arm is ``reference``, or inferred only where
    unambiguous (0/1, or one arm named like a control); see :mod:`trials.arms`."""
    from trials.arms import ordered_arms
    from trials.data import missing_columns
    from trials.spec import Outcome

    wanted = [outcome, treatment, *(c for c in (block, cluster, unit) if c), *covariates]
    problems = missing_columns(frame, wanted) + _option_problems(se, cluster, wild_bootstrap)
    if problems:
        raise TrialError("; ".join(problems))
    arms = ordered_arms(sorted(frame[treatment].dropna().unique()), reference, treatment)
    return Spec(
        name="estimate",
        title=f"{outcome} by {treatment}",
        design="two_arm" if len(arms) == 2 else "multi_arm",
        unit=unit or "",
        treatment=treatment,
        arms=arms,
        outcomes=(Outcome(outcome, outcome),),
        strata=(block,) if block else (),
        cluster=cluster,
        se=se or ("CR2" if cluster else "HC2"),
        lin=lin,
        covariates=tuple(covariates),
        ri_draws=ri_draws,
        seed=seed,
        wild_bootstrap=wild_bootstrap,
        wild_weights=wild_weights,
    )


def _option_problems(se: str | None, cluster: str | None, wild_bootstrap: int) -> list[str]:
    """Clustered errors and the wild cluster bootstrap need clusters, and clusters need
    clustered errors: said in CLI terms."""
    problems = []
    if se in CLUSTERED and not cluster:
        problems.append(
            f"--se {se} is a cluster-robust standard error: name the column identifying "
            "clusters with --cluster COLUMN, or use --se HC2 for individually randomised data"
        )
    if cluster and se and se not in CLUSTERED:
        problems.append(
            f"--cluster {cluster} with --se {se} would ignore the clustering in the standard "
            "errors: use --se CR2 (the default with --cluster) or CR1"
        )
    if wild_bootstrap and not cluster:
        problems.append(
            "--wild-bootstrap is a wild cluster bootstrap: name the column identifying "
            "clusters with --cluster COLUMN"
        )
    return problems


def adhoc_data(frame: pd.DataFrame, **options) -> TrialData:
    """Validated data and spec for an ad-hoc CSV; see :func:`quick_spec` for the options."""
    from trials.data import as_labels, prepare

    frame = frame.reset_index(drop=True)
    treatment = options["treatment"]
    if treatment in frame:
        given = frame[treatment].dropna()
        codes = bool(pd.to_numeric(given, errors="coerce").notna().all())
        frame[treatment] = as_labels(frame[treatment], codes=codes)
    return prepare(frame, quick_spec(frame, **options))


def estimate(frame: pd.DataFrame, **options) -> pd.DataFrame:
    """Run the ITT estimator on any data frame; see :func:`quick_spec` for the options."""
    return effects_table(adhoc_data(frame, **options))
