"""The model each analysis fitted, echoed beside its numbers: nothing left to guess."""

from __future__ import annotations

import pandas as pd

from trials.data import TrialData
from trials.spec import Outcome, Spec


def _terms(spec: Spec, outcome: Outcome) -> str:
    if spec.design == "joint_separate":
        factor = spec.crossed
        return (
            f"linear probability model: {spec.treatment} x {factor.column} "
            f"(reference {spec.arms[0]} / {factor.levels[0]}), rates in percent"
        )
    terms = [f"arm dummies ({spec.treatment})"]
    if spec.strata:
        terms.append(f"strata fixed effects ({', '.join(spec.strata)})")
    covariates = [c for c in (outcome.baseline, *spec.covariates) if c]
    if covariates:
        terms.append(f"covariates ({', '.join(covariates)})")
    how = " centred and interacted with the arms (Lin 2013)" if spec.lin and covariates else ""
    return f"OLS of {outcome.name} on " + ", ".join(terms) + how


def model_row(data: TrialData, outcome: Outcome) -> dict:
    """What was fitted for one outcome and on how many units."""
    spec = data.spec
    dropped = data.dropped(outcome.name)
    used = data.analysed(outcome.name)
    row = {
        "outcome": outcome.name,
        "model": _terms(spec, outcome),
        "treatment": spec.treatment,
        "reference": spec.arms[0],
        "arms": ", ".join(spec.arms),
        "strata": ", ".join(spec.strata),
        "covariates": ", ".join(c for c in (outcome.baseline, *spec.covariates) if c),
        "lin": spec.lin,
        "se_type": spec.se,
        "cluster": spec.cluster or "",
        "n_clusters": int(used[spec.cluster].nunique()) if spec.cluster else None,
        "ri_draws": spec.ri_draws,
        "wild_bootstrap": spec.wild_bootstrap,
        "wild_weights": spec.wild_weights if spec.wild_bootstrap else None,
        "seed": spec.seed if spec.ri_draws or spec.wild_bootstrap else None,
        "n_used": len(used),
        "n_dropped": sum(dropped.values()),
        "dropped_why": "; ".join(f"{n} {why}" for why, n in dropped.items()),
    }
    return row


def model_table(data: TrialData) -> pd.DataFrame:
    """One row per outcome: the model, SE type, clusters, RI, n used and dropped (why)."""
    return pd.DataFrame([model_row(data, outcome) for outcome in data.spec.outcomes])


def model_lines(row: dict) -> list[str]:
    """The echo as a few lines of text for the console and the Markdown report."""
    lines = [
        f"{row['outcome']}: {row['model']}",
        f"  reference arm {row['reference']} (arms: {row['arms']}); each contrast reads a - b",
        f"  standard errors {row['se_type']}"
        + (
            f", clustered by {row['cluster']} ({row['n_clusters']} clusters)"
            if row["cluster"]
            else ""
        ),
        "  randomisation inference: "
        + (f"{row['ri_draws']} draws, seed {row['seed']}" if row["ri_draws"] else "not asked for"),
    ]
    if row.get("wild_bootstrap"):
        lines.append(
            f"  wild cluster bootstrap: {row['wild_bootstrap']} draws, "
            f"{row['wild_weights']} weights, seed {row['seed']}"
        )
    lines += [
        f"  n used {row['n_used']}, dropped {row['n_dropped']}"
        + (f" ({row['dropped_why']})" if row["dropped_why"] else ""),
    ]
    return lines
