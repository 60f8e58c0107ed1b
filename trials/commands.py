"""``workwell trials``: re-run the trial analyses. Each command is a thin call into the library.

pandas, statsmodels and the estimators are imported inside the commands that use them,
so ``trials mdes`` and ``--help`` start quickly.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from common.errors import InputError
from trials.errors import TrialError

SE_CHOICES = click.Choice(["HC0", "HC1", "HC2", "HC3", "CR1", "CR2"], case_sensitive=False)


def clean_errors(command):
    """Turn a library error into a one-line message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as err:
            click.echo(f"Error: {err}", err=True)
            raise SystemExit(2) from None

    return wrapper


def _show(table) -> None:
    """Print a table with the shared number rules (p-values as '< 0.001' or 3 s.f.)."""
    from trials.formatting import format_cell

    shown = table.copy().astype(object)
    for column in shown.columns:
        shown[column] = [format_cell(column, v, 4) for v in table[column]]
    click.echo(shown.to_string(index=False))


def _echo_models(models) -> None:
    from trials.echo import model_lines

    for row in models.to_dict(orient="records"):
        click.echo("\n".join(model_lines(row)))
    click.echo("")


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
@click.option("--ri-draws", type=int, help="RI draws, overriding the spec's ri_draws (0 = none).")
@click.option("--seed", type=int, help="RI seed, overriding the spec's seed.")
@clean_errors
def run(spec: str, data: str, out_dir: str, ri_draws: int | None, seed: int | None) -> None:
    """Run every pre-specified and exploratory analysis of one experiment.

    SPEC is a TOML file or the name of a shipped spec (symbolic_awards, swing, mod_ing,
    joint_separate, blinding).

    Example: workwell trials run swing fixtures/trials/swing.csv --out out/swing --ri-draws 500
    """
    from common.errors import InputError
    from common.files import folder_problem
    from trials.arms import reference_warning
    from trials.pipeline import run_experiment

    if problem := folder_problem(out_dir):  # before the analyses, so it fails at once
        raise InputError(problem)
    paths, results = run_experiment(spec, data, Path(out_dir), ri_draws=ri_draws, seed=seed)
    warning = reference_warning(results.spec.arms)
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    if "model" in results.tables:
        _echo_models(results.tables["model"])
    columns = ["label", "contrast", "estimate", "ci_low", "ci_high", "p", "p_holm", "p_ri"]
    columns += WILD_COLUMNS
    _show(results.effects[[c for c in columns if c in results.effects]])
    _echo_wild(results.effects)
    for path in paths:
        click.echo(f"wrote {path}")


ESTIMATE_COLUMNS = [
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
WILD_COLUMNS = ["p_wild", "ci_low_wild", "ci_high_wild"]


def _echo_wild(table) -> None:
    """How the wild bootstrap was drawn (e.g. every sign pattern), under its columns."""
    if "wild" in table:
        click.echo(f"wild cluster bootstrap: {table['wild'].iloc[0]}")


@trials.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--outcome", required=True, help="Outcome column.")
@click.option("--treatment", required=True, help="Treatment column (arm labels or 0/1).")
@click.option(
    "--reference",
    help="The control arm; effects are arm - reference. Needed unless the arms are 0/1 "
    "or exactly one is named like control, usual care, wait-list or business as usual.",
)
@click.option("--block", help="Randomisation stratum column (fixed effects; RI within it).")
@click.option("--cluster", help="Cluster column (CR2 standard errors; RI moves whole clusters).")
@click.option("--covariate", "covariates", multiple=True, help="Baseline covariate; repeat.")
@click.option("--id", "unit", help="Unit id column: checked for repeats, named in messages.")
@click.option("--se", type=SE_CHOICES, help="Standard errors [default: HC2; CR2 with --cluster].")
@click.option("--lin", is_flag=True, help="Lin (2013): centred covariates x treatment.")
@click.option("--ri", "ri_draws", default=0, show_default=True, help="RI draws (0 = none).")
@click.option("--seed", default=2021, show_default=True, help="Seed of the RI and bootstrap draws.")
@click.option(
    "--wild-bootstrap",
    "wild_bootstrap",
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON (model and effects).")
@clean_errors
def estimate(data, as_json, se, **options) -> None:
    """Estimate the treatment effect on any CSV and print the model and a tidy table.

    DATA is your own CSV; the example's file ships with workwell.

    Example: workwell trials estimate fixtures/trials/swing.csv --outcome wellbeing
    --treatment arm --reference control --block cohort --covariate wellbeing_baseline --ri 2000
    """
    from trials.analysis import adhoc_data, effects_table
    from trials.data import read_csv
    from trials.echo import model_table
    from trials.formatting import json_records

    labels = [options[k] for k in ("unit", "treatment", "block", "cluster") if options[k]]
    trial = adhoc_data(read_csv(data, labels), se=se.upper() if se else None, **options)
    table, models = effects_table(trial), model_table(trial)
    columns = [c for c in ESTIMATE_COLUMNS + WILD_COLUMNS if c in table]
    if as_json:
        wild = ["wild"] if "wild" in table else []
        effects = json_records(table[columns + wild])
        click.echo(json.dumps({"model": json_records(models)[0], "effects": effects}, indent=2))
    else:
        _echo_models(models)
        _show(table[columns])
        _echo_wild(table)


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
    from trials.power import PowerSpec, describe

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
    click.echo(describe(spec))


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
@click.option("--force", is_flag=True, help="Replace an allocation file that already exists.")
@clean_errors
def randomise(roster, spec_path, seed, out_path, force) -> None:
    """Stratified allocation: half of each stratum per arm, odd units at random.

    Example: workwell trials randomise fixtures/trials/symbolic_awards_roster.csv
    --spec symbolic_awards --seed 1969
    """
    from trials.pipeline import randomise_roster

    path, balance = randomise_roster(roster, spec_path, seed, out_path, force)
    _show(balance)
    click.echo(f"wrote {path}")


@trials.command("spec-template")
def spec_template() -> None:
    """Print a commented spec: every key with its meaning, type and default.

    Example: workwell trials spec-template > my_trial.toml
    """
    from trials.schema import template

    click.echo(template(), nl=False)
