"""The CLI: run writes its files; bad input gives a named, one-line error and exit code 2."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from trials.commands import trials


def invoke(*args):
    return CliRunner().invoke(trials, [str(a) for a in args])


def test_run_writes_workbook_markdown_and_figures(shipped_run):
    result, tmp_path = shipped_run("mod_ing")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "mod_ing_results.xlsx")
    assert {"effects", "response", "balance", "mdes"} <= set(book.sheetnames)
    assert "Subjective well-being" in (tmp_path / "mod_ing_results.md").read_text()
    assert (tmp_path / "mod_ing_means_wellbeing.png").stat().st_size > 0


def test_run_joint_separate_draws_progression(shipped_run):
    result, tmp_path = shipped_run("joint_separate")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "joint_separate_progression.png").exists()


def test_estimate_json(fixture_path):
    result = invoke(
        "estimate",
        fixture_path("swing"),
        "--outcome",
        "wellbeing",
        "--treatment",
        "arm",
        "--block",
        "cohort",
        "--json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    record = document["effects"][0]
    assert record["n_arm"] == 130 and record["missing"] == 881
    assert "p_ri" not in record  # no RI asked for: absent, not NaN
    assert document["model"]["reference"] == "control"
    assert document["model"]["strata"] == "cohort"


def test_mdes_reproduces_report():
    result = invoke("mdes", "--n", 98)
    assert result.exit_code == 0 and "0.57" in result.output


def test_randomise_writes_allocation(tmp_path, fixture_path):
    out = tmp_path / "alloc.csv"
    result = invoke(
        "randomise",
        fixture_path("symbolic_awards_roster"),
        "--spec",
        "symbolic_awards",
        "--seed",
        5,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    allocated = pd.read_csv(out)
    counts = allocated.groupby("la")["arm"].value_counts().unstack()
    assert ((counts["treatment"] - counts["control"]).abs() <= 1).all()
    again = invoke(
        "randomise",
        fixture_path("symbolic_awards_roster"),
        "--spec",
        "symbolic_awards",
        "--seed",
        5,
        "--out",
        tmp_path / "again.csv",
    )
    assert again.exit_code == 0
    assert pd.read_csv(tmp_path / "again.csv").equals(allocated)


def _broken(tmp_path, fixture_path, change):
    frame = pd.read_csv(fixture_path("mod_ing"))
    change(frame)
    path = tmp_path / "broken.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda f: f.pop("commitment"), "'commitment'"),
        (lambda f: f.__setitem__("arm", f["arm"].replace("treatment", "placebo")), "'placebo'"),
        (
            lambda f: f.__setitem__("wellbeing", f["wellbeing"].astype(object).fillna("not given")),
            "'wellbeing'",
        ),
    ],
)
def test_bad_data_is_named_with_exit_code_2(tmp_path, fixture_path, change, named):
    result = invoke("run", "mod_ing", _broken(tmp_path, fixture_path, change), "--out", tmp_path)
    assert result.exit_code == 2
    assert named in result.output and "Traceback" not in result.output


def test_single_unit_stratum_is_an_error(tmp_path, fixture_path):
    frame = pd.read_csv(fixture_path("swing"))
    frame["cohort"] = frame["cohort"].astype(object)
    frame.loc[frame.index[frame["responded"] == 1][0], "cohort"] = "lonely"
    path = tmp_path / "s.csv"
    frame.to_csv(path, index=False)
    result = invoke("run", "swing", path, "--out", tmp_path)
    assert result.exit_code == 2 and "lonely" in result.output


def test_bad_spec_names_the_key(tmp_path, fixture_path):
    spec = tmp_path / "bad.toml"
    spec.write_text(
        'name = "x"\nunit = "staff_id"\ntreatment = "arm"\narms = ["control", '
        '"treatment"]\n[[outcomes]]\nname = "not_there"\n'
    )
    result = invoke("run", spec, fixture_path("mod_ing"), "--out", tmp_path)
    assert result.exit_code == 2 and "'not_there'" in result.output
    spec.write_text('name = "x"\nunit = "u"\ntreatment = "arm"\narms = ["a", "b"]\ncolour = 1\n')
    result = invoke("run", spec, fixture_path("mod_ing"), "--out", tmp_path)
    assert result.exit_code == 2 and "'colour'" in result.output


def test_every_command_has_an_example():
    for name, command in trials.commands.items():
        assert "Example:" in command.help, name


def test_randomise_never_writes_over_the_roster_or_an_earlier_allocation(tmp_path, fixture_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(fixture_path("symbolic_awards_roster").read_bytes())
    before = roster.read_bytes()
    common = ("--spec", "symbolic_awards", "--seed", 5)
    same = invoke("randomise", roster, *common, "--out", roster)
    assert same.exit_code == 2 and "is the roster itself" in same.output
    assert roster.read_bytes() == before
    first = invoke("randomise", roster, *common)
    assert first.exit_code == 0, first.output
    allocation = tmp_path / "roster_allocated.csv"
    made = allocation.read_bytes()
    again = invoke("randomise", roster, "--spec", "symbolic_awards", "--seed", 6)
    assert again.exit_code == 2 and "already exists" in again.output
    assert allocation.read_bytes() == made
    forced = invoke("randomise", roster, "--spec", "symbolic_awards", "--seed", 6, "--force")
    assert forced.exit_code == 0 and allocation.read_bytes() != made


def test_an_output_folder_that_cannot_be_made_is_refused_before_the_analyses(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = invoke("run", "swing", "no-such.csv", "--out", blocker / "out")
    assert result.exit_code == 2 and "cannot make the folder" in result.output
    assert "Traceback" not in result.output
