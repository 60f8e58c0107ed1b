"""End-to-end entry points used by the CLI and the benchmark: read, analyse, write."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from common.files import write_atomically
from trials.analysis import Results, analyse
from trials.data import load_data, read_csv, typed
from trials.errors import TrialError
from trials.plots import save_figures
from trials.randomise import allocation_balance, randomise
from trials.report import write_markdown, write_workbook
from trials.spec import load_spec


def run_experiment(
    spec_path: str,
    data_path: str,
    out_dir: Path,
    ri_draws: int | None = None,
    seed: int | None = None,
) -> tuple[list[Path], Results]:
    """Analyse one experiment and write its workbook, Markdown table and figures.

    ``ri_draws`` and ``seed``, when given, override the spec's."""
    spec = load_spec(spec_path)
    if ri_draws is not None:
        spec = replace(spec, ri_draws=ri_draws)
    if seed is not None:
        spec = replace(spec, seed=seed)
    results = analyse(load_data(data_path, spec))
    out_dir = Path(out_dir)
    figures = save_figures(results, out_dir)
    paths = [
        write_workbook(results, out_dir / f"{spec.name}_results.xlsx"),
        write_markdown(results, out_dir / f"{spec.name}_results.md", figures),
    ]
    return paths + figures, results


def randomise_roster(
    roster_path: str, spec_path: str, seed: int, out_path: str | None, force: bool = False
):
    """Allocate a roster with the spec's arms and strata; write it; return the balance."""
    path = (
        Path(out_path)
        if out_path
        else Path(roster_path).with_name(Path(roster_path).stem + "_allocated.csv")
    )
    spec = load_spec(spec_path)
    roster = read_csv(roster_path, all_text=True)  # written back exactly as it came
    allocated = randomise(
        roster, spec.strata, spec.arms, seed, column=spec.treatment, unit=spec.unit
    )
    if path.exists() and Path(roster_path).exists() and path.samefile(roster_path):
        raise TrialError(f"--out {path} is the roster itself; the roster is never written over")
    if path.exists() and not force:
        raise TrialError(
            f"{path} already exists: an allocation already made is not replaced; "
            "choose another --out, or add --force"
        )
    write_atomically(path, lambda tmp: allocated.to_csv(tmp, index=False))
    labels = (spec.unit, *spec.strata, spec.treatment)
    return path, allocation_balance(typed(allocated, labels), spec.treatment, (spec.unit,))
