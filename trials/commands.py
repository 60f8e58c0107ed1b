"""``workwell trials``: re-run the trial analyses. Each command is a thin call into the library."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click
import pandas as pd

from trials.errors import TrialError

SE_CHOICES = click.Choice(["HC0", "HC1", "HC2", "HC3", "CR1", "CR2"], case_sensitive=False)


def clean_errors(command):
    """Turn a library error into a one-line message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except TrialError as err:
            click.echo(f"Error: {err}", err=True)
            raise SystemExit(2) from None

    return wrapper


def _show(table: pd.DataFrame) -> None:
    with pd.option_context("display.width", 160, "display.max_columns", 30):
        click.echo(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


@click.group()
def trials() -> None:
    """Trial estimators: ITT, robust and clustered errors, power, attrition.

    Example: workwell trials run symbolic_awards fixtures/trials/symbolic_awards.csv --out out/
    """


@trials.command()
@click.argument("spec")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder for the workbook, Markdown table and PNG figures.",
)
@clean_errors
def run(spec: str, data: str, out_dir: str) -> None:
    """Run every pre-specified and exploratory analysis of one experiment.

    SPEC is a TOML file or the name of a shipped spec (symbolic_awards, swing, mod_ing,
    joint_separate, blinding).

    Example: workwell trials run swing fixtures/trials/swing.csv --out out/swing
    """
    from trials.pipeline import run_experiment

    paths, results = run_experiment(spec, data, Path(out_dir))
    columns = ["label", "contrast", "estimate", "ci_low", "ci_high", "p", "p_holm", "p_ri"]
    columns += [c for c in ("p_wild", "ci_low_wild", "ci_high_wild") if c in results.effects]
    _show(results.effects[columns])
    for path in paths:
        click.echo(f"wrote {path}")


@trials.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--outcome", required=True, help="Outcome column.")
@click.option("--treatment", required=True, help="Treatment column (arm labels or 0/1).")
@click.option("--block", help="Randomisation stratum column (fixed effects; RI within it).")
@click.option("--cluster", help="Cluster column (for CR1/CR2 and cluster RI).")
@click.option("--covariate", "covariates", multiple=True, help="Baseline covariate; repeat.")
@click.option("--se", default="HC2", type=SE_CHOICES, show_default=True)
@click.option("--lin", is_flag=True, help="Lin (2013): centred covariates x treatment.")
@click.option("--ri", "ri_draws", default=0, show_default=True, help="RI draws (0 = none).")
@click.option("--seed", default=2021, show_default=True)
@click.option(
    "--wild-bootstrap",
    "wild_draws",
    default=0,
    show_default=True,
    help="Wild cluster bootstrap draws (restricted; needs --cluster; 0 = none).",
)
@click.option(
    "--weights",
    "wild_weights",
    default="rademacher",
    show_default=True,
    type=click.Choice(["rademacher", "webb"]),
    help="Wild bootstrap weights (Webb for fewer than about 12 clusters).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON records instead of a table.")
@clean_errors
def estimate(
    data,
    outcome,
    treatment,
    block,
    cluster,
    covariates,
    se,
    lin,
    ri_draws,
    seed,
    wild_draws,
    wild_weights,
    as_json,
) -> None:
    """Estimate the treatment effect on any CSV and print a tidy table.

    Example: workwell trials estimate fixtures/trials/swing.csv --outcome wellbeing
    --treatment arm --block cohort --covariate wellbeing_baseline --ri 2000
    """
    from trials.analysis import estimate as run_estimate
    from trials.data import read_csv

    table = run_estimate(
        read_csv(data),
        outcome=outcome,
        treatment=treatment,
        block=block,
        cluster=cluster,
        covariates=covariates,
        se=se.upper(),
        lin=lin,
        ri_draws=ri_draws,
        seed=seed,
        wild_bootstrap=wild_draws,
        wild_weights=wild_weights,
    )
    columns = [
        "contrast",
        "n_arm",
        "n_vs",
        "estimate",
        "se",
        "df",
        "p",
        "ci_low",
        "ci_high",
        "hedges_g",
        "p_ri",
        "se_type",
        "missing",
    ]
    columns += [c for c in ("p_wild", "ci_low_wild", "ci_high_wild") if c in table]
    if as_json:
        click.echo(json.dumps(json.loads(table[columns].to_json(orient="records")), indent=2))
    else:
        _show(table[columns])


@trials.command()
@click.argument("pairs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="PNG file for the forest plot.",
)
@clean_errors
def forest(pairs, out_path) -> None:
    """Forest plot of every outcome of several experiments: SPEC DATA [SPEC DATA ...].

    Example: workwell trials forest symbolic_awards fixtures/trials/symbolic_awards.csv
    swing fixtures/trials/swing.csv --out forest.png
    """
    from trials.forest import forest_of

    if len(pairs) % 2:
        raise TrialError("give a SPEC and a DATA file for each experiment (pairs)")
    click.echo(f"wrote {forest_of(list(zip(pairs[::2], pairs[1::2], strict=True)), out_path)}")


@trials.command()
@click.option("--n", "n", type=int, required=True, help="Analysed sample size.")
@click.option("--r2", default=0.0, show_default=True, help="Outcome variance explained.")
@click.option("--p-treat", default=0.5, show_default=True, help="Proportion treated.")
@click.option("--alpha", default=0.05, show_default=True, help="Two-sided significance level.")
@click.option("--power", default=0.80, show_default=True)
@click.option("--icc", type=float, help="Intra-cluster correlation (clustered designs).")
@click.option("--cluster-size", type=float, help="Mean units per cluster (with --icc).")
@click.option("--normal", is_flag=True, help="Normal rather than t multipliers.")
@clean_errors
def mdes(n, r2, p_treat, alpha, power, icc, cluster_size, normal) -> None:
    """Minimum detectable effect size in SD units (Bloom).

    Example: workwell trials mdes --n 419   (prints 0.27, as in the report)
    """
    from trials.power import PowerSpec
    from trials.power import mdes as compute

    spec = PowerSpec(
        n=n,
        r2=r2,
        p_treat=p_treat,
        alpha=alpha,
        power=power,
        icc=icc,
        cluster_size=cluster_size,
        distribution="normal" if normal else "t",
    )
    click.echo(
        f"MDES = {compute(spec):.3f} SD (n = {n}, R2 = {r2}, P = {p_treat}, "
        f"alpha = {alpha}, power = {power})"
    )


@trials.command()
@click.argument("roster", type=click.Path(dir_okay=False))
@click.option("--spec", "spec_path", required=True, help="Spec giving arms and strata.")
@click.option("--seed", type=int, required=True, help="Random seed (record it).")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    help="CSV to write the allocation to (default: ROSTER with _allocated).",
)
@clean_errors
def randomise(roster, spec_path, seed, out_path) -> None:
    """Stratified allocation: half of each stratum per arm, odd units at random.

    Example: workwell trials randomise fixtures/trials/symbolic_awards_roster.csv
    --spec symbolic_awards --seed 1969
    """
    from trials.pipeline import randomise_roster

    path, balance = randomise_roster(roster, spec_path, seed, out_path)
    _show(balance)
    click.echo(f"wrote {path}")
