"""Never a silent sign flip: the reference arm is given, or inferred only when unambiguous."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from trials.analysis import estimate
from trials.arms import looks_like_control, reference_arm
from trials.commands import trials
from trials.errors import TrialError


def invoke(*args):
    return CliRunner().invoke(trials, [str(a) for a in args])


@pytest.mark.parametrize(
    "label",
    [
        "control",
        "Control",
        "usual_care",
        "Usual care",
        "wait-list",
        "waitlist",
        "BAU",
        "business_as_usual",
        "treatment as usual",
    ],
)
def test_control_like_names(label):
    assert looks_like_control(label)


@pytest.mark.parametrize("label", ["coaching", "treatment", "controlled_breathing", "video"])
def test_not_control_like(label):
    assert not looks_like_control(label)


def test_reference_inference():
    assert reference_arm(["0", "1"]) == "0"
    assert reference_arm(["coaching", "usual_care"]) == "usual_care"
    assert reference_arm(["coaching", "usual_care"], "coaching") == "coaching"
    with pytest.raises(TrialError, match="'coaching', 'mentoring'"):
        reference_arm(["coaching", "mentoring"])
    with pytest.raises(TrialError, match="cannot tell"):
        reference_arm(["control", "wait_list", "video"])
    with pytest.raises(TrialError, match="not one of the arms"):
        reference_arm(["a", "b"], "c")


@pytest.fixture
def coaching_csv(tmp_path):
    rng = np.random.default_rng(3)
    arm = np.repeat(["coaching", "usual_care"], 40)
    y = rng.normal(size=80) + np.where(arm == "coaching", 1.0, 0.0)
    path = tmp_path / "coaching.csv"
    pd.DataFrame({"arm": arm, "y": y}).to_csv(path, index=False)
    return path


def test_usual_care_is_the_reference_not_the_alphabetically_first(coaching_csv):
    frame = pd.read_csv(coaching_csv)
    row = estimate(frame, outcome="y", treatment="arm").iloc[0]
    assert row["contrast"] == "coaching - usual_care" and row["estimate"] > 0.5


def test_cli_reference_flips_the_contrast_and_says_so(coaching_csv):
    result = invoke("estimate", coaching_csv, "--outcome", "y", "--treatment", "arm", "--json")
    flipped = invoke(
        "estimate",
        coaching_csv,
        "--outcome",
        "y",
        "--treatment",
        "arm",
        "--json",
        "--reference",
        "coaching",
    )
    first, second = json.loads(result.output), json.loads(flipped.output)
    assert first["model"]["reference"] == "usual_care"
    assert second["model"]["reference"] == "coaching"
    assert second["effects"][0]["estimate"] == pytest.approx(-first["effects"][0]["estimate"])


def test_cli_refuses_ambiguous_arms(tmp_path):
    path = tmp_path / "two.csv"
    pd.DataFrame({"arm": ["coaching", "mentoring"] * 5, "y": range(10)}).to_csv(path, index=False)
    result = invoke("estimate", path, "--outcome", "y", "--treatment", "arm")
    assert result.exit_code == 2
    assert "'coaching', 'mentoring'" in result.output and "--reference" in result.output


def test_cr2_without_cluster_is_said_in_cli_terms(coaching_csv):
    result = invoke("estimate", coaching_csv, "--outcome", "y", "--treatment", "arm", "--se", "CR2")
    assert result.exit_code == 2 and "--cluster COLUMN" in result.output
    assert "Traceback" not in result.output


def test_a_spec_whose_first_arm_is_not_the_control_is_warned_about(
    tmp_path, fixture_path, shipped_run
):
    spec = tmp_path / "flipped.toml"
    spec.write_text(
        'name = "flipped"\nunit = "staff_id"\ntreatment = "arm"\n'
        'arms = ["treatment", "control"]\nresponded = "responded"\nri_draws = 0\n'
        '[[outcomes]]\nname = "wellbeing"\n'
    )
    result = invoke("run", spec, fixture_path("mod_ing"), "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Warning: the reference arm is 'treatment'" in result.output
    assert "control - treatment" in result.output
    shipped, _ = shipped_run("mod_ing")
    assert shipped.exit_code == 0 and "Warning" not in shipped.output


def test_cli_zero_one_codes_take_zero_as_reference(tmp_path):
    path = tmp_path / "coded.csv"
    frame = pd.DataFrame({"z": [0, 1] * 10, "y": np.arange(20.0) + np.tile([0.0, 5.0], 10)})
    frame.to_csv(path, index=False)
    result = invoke("estimate", path, "--outcome", "y", "--treatment", "z", "--json")
    document = json.loads(result.output)
    assert document["model"]["reference"] == "0"
    assert document["effects"][0]["contrast"] == "1 - 0"
    assert document["effects"][0]["estimate"] == pytest.approx(6.0)
