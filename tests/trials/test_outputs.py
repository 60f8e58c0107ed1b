"""What reaches the reader: exact labels, p-values, full-precision JSON, the MDES table,
the model echo, RI at the level of assignment, and the balance table without ids."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from trials.analysis import analyse, estimate, mdes_table
from trials.commands import trials
from trials.data import load_data
from trials.errors import TrialError
from trials.formatting import format_p
from trials.spec import load_spec


def invoke(*args):
    return CliRunner().invoke(trials, [str(a) for a in args])


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0002, "< 0.001"),
        (0.001, "0.00100"),
        (0.01234, "0.0123"),
        (0.5, "0.500"),
        (1.0, "1.00"),
        (float("nan"), ""),
    ],
)
def test_p_values_are_written_one_way(p, text):
    assert format_p(p) == text


def test_json_has_full_precision_and_no_nan(fixture_path):
    result = invoke(
        "estimate",
        fixture_path("mod_ing"),
        "--outcome",
        "wellbeing",
        "--treatment",
        "arm",
        "--covariate",
        "wellbeing_baseline",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.output
    record = json.loads(result.output)["effects"][0]
    frame = pd.read_csv(fixture_path("mod_ing"))
    expected = estimate(
        frame, outcome="wellbeing", treatment="arm", covariates=("wellbeing_baseline",)
    ).iloc[0]
    assert record["estimate"] == expected["estimate"]  # exact: the repr round-trips
    assert record["se"] == expected["se"] and record["p"] == expected["p"]


def test_markdown_keeps_labels_exactly_and_writes_small_p(tmp_path, fixture_path):
    spec = tmp_path / "finance.toml"
    spec.write_text(
        'name = "finance"\nunit = "staff_id"\ntreatment = "arm"\n'
        'arms = ["control", "treatment"]\nresponded = "responded"\nri_draws = 0\n'
        '[[outcomes]]\nname = "wellbeing"\nlabel = "Finance staff well-being (nan-free)"\n'
        'baseline = "wellbeing_baseline"\n'
    )
    frame = pd.read_csv(fixture_path("mod_ing"))
    frame["wellbeing"] = frame["wellbeing"] + 3 * (frame["arm"] == "treatment")
    frame.to_csv(tmp_path / "finance.csv", index=False)
    result = invoke("run", spec, tmp_path / "finance.csv", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "finance_results.md").read_text()
    assert "Finance staff well-being (nan-free)" in text
    assert "| < 0.001 |" in text
    assert "< 0.001" in result.output  # the console uses the same rule
    assert "p_ri" not in text  # no RI asked for: no column of blanks


def test_run_overrides_ri_draws_and_seed(tmp_path, fixture_path):
    result = invoke(
        "run",
        "mod_ing",
        fixture_path("mod_ing"),
        "--out",
        tmp_path,
        "--ri-draws",
        99,
        "--seed",
        7,
    )
    assert result.exit_code == 0, result.output
    assert "99 draws, seed 7" in result.output
    model = pd.read_excel(tmp_path / "mod_ing_results.xlsx", sheet_name="model")
    assert (model["ri_draws"] == 99).all() and (model["seed"] == 7).all()
    assert (model["reference"] == "control").all()
    assert model.loc[0, "dropped_why"] == "178 did not respond"


@pytest.mark.parametrize(
    ("name", "rounded"), [("symbolic_awards", [0.18, 0.27]), ("swing", [0.34]), ("mod_ing", [0.57])]
)
def test_mdes_table_reproduces_the_report(fixture_path, name, rounded):
    table = mdes_table(load_data(fixture_path(name), load_spec(name)))
    assert sorted(set(table["mdes"].round(2))) == rounded
    assert {"P", "R2", "alpha", "power", "df", "basis"} <= set(table.columns)


def test_mdes_table_uses_the_analysed_n(fixture_path):
    table = mdes_table(load_data(fixture_path("symbolic_awards"), load_spec("symbolic_awards")))
    by_outcome = table.set_index("outcome")["n"]
    assert by_outcome[""] == 944 and by_outcome["motivation"] == 419
    assert by_outcome["wellbeing"] == 428
    blinding = mdes_table(load_data(fixture_path("blinding"), load_spec("blinding")))
    assert dict(zip(blinding["contrast"], blinding["n"], strict=True)) == {
        "white_british - blinded": 198,
        "minority - blinded": 209,
        "minority - white_british": 199,
    }


def _mixed_clusters(fixture_path) -> pd.DataFrame:
    frame = pd.read_csv(fixture_path("joint_separate"))
    first = frame.index[frame["participant"] == 1]
    frame.loc[first[:5], "condition"] = "separate"
    frame.loc[first[5:], "condition"] = "joint"
    return frame


def test_factorial_ri_refuses_an_arm_varying_within_a_cluster(tmp_path, fixture_path):
    path = tmp_path / "mixed.csv"
    _mixed_clusters(fixture_path).to_csv(path, index=False)
    run = invoke("run", "joint_separate", path, "--out", tmp_path / "out", "--ri-draws", 50)
    adhoc = invoke(
        "estimate",
        path,
        "--outcome",
        "progressed",
        "--treatment",
        "condition",
        "--reference",
        "separate",
        "--cluster",
        "participant",
        "--ri",
        50,
    )
    assert run.exit_code == adhoc.exit_code == 2
    message = "varies within cluster 'participant' (e.g. participant = 1)"
    assert message in run.output and message in adhoc.output
    assert run.output.split("RI off")[1] == adhoc.output.split("RI off")[1]


def test_factorial_ri_moves_whole_participants(fixture_path):
    spec = load_spec("joint_separate")
    effects = analyse(load_data(fixture_path("joint_separate"), spec)).effects
    arm_contrasts = effects[effects["contrast"].str.contains("joint - separate")]
    assert arm_contrasts["p_ri"].between(0, 1).all()


def test_clustered_ri_with_constant_arms_runs():
    rng = np.random.default_rng(4)
    cluster = np.repeat(np.arange(12), 5)
    arm = np.repeat(rng.permutation([0, 1] * 6), 5)
    frame = pd.DataFrame({"c": cluster, "z": arm, "y": rng.normal(size=60) + arm})
    row = estimate(frame, outcome="y", treatment="z", cluster="c", ri_draws=200).iloc[0]
    assert row["se_type"] == "CR2" and 0 < row["p_ri"] <= 1


def test_no_ri_means_no_p_ri_column():
    frame = pd.DataFrame({"z": [0, 1] * 5, "y": np.arange(10.0)})
    assert "p_ri" not in estimate(frame, outcome="y", treatment="z").columns


def test_randomise_balance_leaves_identifiers_out(tmp_path, fixture_path):
    result = invoke(
        "randomise",
        fixture_path("symbolic_awards_roster"),
        "--spec",
        "symbolic_awards",
        "--seed",
        5,
        "--out",
        tmp_path / "a.csv",
    )
    assert result.exit_code == 0, result.output
    assert "staff_id" not in result.output and "wellbeing_baseline" in result.output


def test_cluster_with_individual_se_is_refused():
    frame = pd.DataFrame({"c": [1, 1, 2, 2], "z": [0, 0, 1, 1], "y": [1.0, 2, 3, 4]})
    with pytest.raises(TrialError, match="ignore the clustering"):
        estimate(frame, outcome="y", treatment="z", cluster="c", se="HC2")


def test_randomise_writes_the_roster_back_exactly_and_refuses_a_missing_stratum(tmp_path):
    roster = tmp_path / "roster.csv"
    rows = [f"00{i},LA{i % 2},{i}.50,NA" for i in range(1, 9)]
    roster.write_text("staff_id,la,wellbeing_baseline,note\n" + "\n".join(rows) + "\n")
    out = tmp_path / "alloc.csv"
    result = invoke("randomise", roster, "--spec", "symbolic_awards", "--seed", 1, "--out", out)
    assert result.exit_code == 0, result.output
    written = out.read_text().splitlines()
    assert written[0] == "staff_id,la,wellbeing_baseline,note,arm"
    assert [line.rsplit(",", 1)[0] for line in written[1:]] == rows
    roster.write_text(roster.read_text().replace("003,LA1", "003,"))
    result = invoke("randomise", roster, "--spec", "symbolic_awards", "--seed", 1, "--out", out)
    assert result.exit_code == 2
    assert "'la' (a stratum) is empty at row 4 (staff_id 003)" in result.output
