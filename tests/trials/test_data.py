"""Data checks: repeated ids, coded arms, file rows and unit ids, problems in words."""

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from trials.analysis import estimate
from trials.commands import trials
from trials.data import load_data, prepare, read_csv
from trials.errors import TrialError
from trials.spec import load_spec, parse_spec


def invoke(*args):
    return CliRunner().invoke(trials, [str(a) for a in args])


def mod_ing(fixture_path) -> pd.DataFrame:
    return pd.read_csv(fixture_path("mod_ing"))


def refused(frame, spec) -> str:
    with pytest.raises(TrialError) as caught:
        prepare(frame, spec)
    return str(caught.value)


def test_repeated_and_missing_unit_ids_are_listed_with_file_rows(tmp_path, fixture_path):
    frame = mod_ing(fixture_path).astype({"staff_id": object})
    frame.loc[9, "staff_id"] = 3  # file row 11 repeats the id on file row 4
    frame.loc[12, "staff_id"] = None  # file row 14 has no id
    frame.to_csv(tmp_path / "ids.csv", index=False)
    with pytest.raises(TrialError) as caught:
        load_data(tmp_path / "ids.csv", load_spec("mod_ing"))
    assert "repeats 1 id(s): '3' on rows 4, 11" in str(caught.value)
    assert "unit id column 'staff_id' is empty at rows 14" in str(caught.value)


def test_every_data_problem_is_reported_at_once_with_rows_and_ids(fixture_path):
    frame = mod_ing(fixture_path)
    frame["arm"] = frame["arm"].astype(object)
    frame.loc[4, "arm"] = "placebo"
    frame.loc[6, "arm"] = np.nan
    frame["wellbeing"] = frame["wellbeing"].astype(object)
    frame.loc[7, "wellbeing"] = "not given"
    frame.loc[8, "responded"] = 2
    message = refused(frame, load_spec("mod_ing"))
    assert "the data have 4 problems" in message
    assert "'placebo', not one of ['control', 'treatment'], at row 6 (staff_id 5)" in message
    assert "is empty at row 8 (staff_id 7)" in message
    assert "found 'not given' at row 9 (staff_id 8)" in message
    assert "0 or 1 for every unit; not at row 10 (staff_id 9)" in message


def test_integer_coded_arms_match_a_column_of_codes(tmp_path, fixture_path):
    frame = mod_ing(fixture_path)
    frame["arm"] = (frame["arm"] == "treatment").astype(int)
    spec = load_spec("mod_ing")
    text = (spec_path := tmp_path / "coded.toml")
    text.write_text(
        'name = "coded"\nunit = "staff_id"\ntreatment = "arm"\narms = [0, 1]\n'
        'responded = "responded"\nri_draws = 0\n'
        '[[outcomes]]\nname = "wellbeing"\nbaseline = "wellbeing_baseline"\n'
    )
    frame.to_csv(tmp_path / "coded.csv", index=False)
    coded = load_data(tmp_path / "coded.csv", load_spec(spec_path))
    from trials.analysis import effects_table

    labelled = effects_table(load_data(fixture_path("mod_ing"), spec)).iloc[0]
    row = effects_table(coded).iloc[0]
    assert row["contrast"] == "1 - 0"
    assert row["estimate"] == pytest.approx(labelled["estimate"], rel=1e-12)


def test_one_arm_only_is_said_in_words():
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, np.nan], "z": ["a", "a", "a", "control"]})
    with pytest.raises(TrialError, match="all 3 analysed units are in arm 'a'"):
        estimate(frame, outcome="y", treatment="z")


def test_strata_aligned_with_arms_is_said_in_words():
    frame = pd.DataFrame(
        {"y": np.arange(8.0), "z": [0, 0, 0, 0, 1, 1, 1, 1], "s": list("aaaabbbb")}
    )
    with pytest.raises(TrialError, match=r"stratum s = 'b' is fully determined by"):
        estimate(frame, outcome="y", treatment="z", block="s", se="HC1")


def test_leverage_one_names_the_file_row_and_unit():
    # With Lin's interactions, unit 8 (file row 9), the only treated unit of stratum b,
    # has a coefficient to itself: leverage 1.
    frame = pd.DataFrame(
        {
            "id": range(1, 9),
            "y": [1.0, 2, 3, 4, 5, 6, 7, 9],
            "z": [0, 1, 0, 1, 0, 0, 0, 1],
            "s": list("aaaabbbb"),
        }
    )
    with pytest.raises(TrialError) as caught:
        estimate(frame, outcome="y", treatment="z", block="s", unit="id", lin=True)
    assert "row 9 (id 8) has leverage 1" in str(caught.value)
    assert "observation" not in str(caught.value)


def test_single_unit_stratum_names_the_row():
    frame = pd.DataFrame({"y": np.arange(7.0), "z": [0, 1, 0, 1, 0, 1, 1], "s": list("aaaaaab")})
    with pytest.raises(TrialError, match=r"s = 'b' has a single analysed unit \(row 8\)"):
        estimate(frame, outcome="y", treatment="z", block="s")


def test_dropped_units_are_counted_by_reason(fixture_path):
    data = load_data(fixture_path("symbolic_awards"), load_spec("symbolic_awards"))
    assert data.dropped("burnout") == {"did not respond": 1541, "outcome missing": 8}


def test_spec_for_data_checks(tmp_path):
    import tomllib

    spec = parse_spec(
        tomllib.loads(
            'name="x"\nunit="u"\ntreatment="arm"\narms=["control","treatment"]\n'
            'strata="s"\nri_draws=0\n[[outcomes]]\nname="y"\n'
        )
    )
    frame = pd.DataFrame({"u": [1, 2], "arm": ["control", "treatment"], "y": [1.0, 2.0]})
    assert "no column 's'" in refused(frame, spec)


def test_labels_are_read_exactly_and_na_is_missing_only_in_numbers(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "id,arm,area,y\n007,None,NA,1.5\n008,usual care,NA,NA\n009,None,nan,2\n"
        "010,usual care,nan,\n011,None,NA,3\n012,usual care,nan,2.5\n"
    )
    frame = read_csv(path, text_columns=("id", "arm", "area"))
    assert list(frame["id"]) == ["007", "008", "009", "010", "011", "012"]
    assert set(frame["area"]) == {"NA", "nan"} and set(frame["arm"]) == {"None", "usual care"}
    assert frame["y"].isna().sum() == 2 and frame["y"].dtype.kind == "f"
    row = estimate(frame, outcome="y", treatment="arm", block="area", se="HC1").iloc[0]
    assert row["contrast"] == "None - usual care" and row["n_arm"] == 3 and row["n_vs"] == 1


def test_empty_factorial_cell_is_said_in_words(tmp_path, fixture_path):
    frame = pd.read_csv(fixture_path("joint_separate"))
    frame = frame[~((frame["condition"] == "joint") & (frame["ethnicity"] == "minority"))]
    path = tmp_path / "cells.csv"
    frame.to_csv(path, index=False)
    result = invoke("run", "joint_separate", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "no analysed rows with condition = 'joint' and ethnicity = 'minority'" in result.output


def test_a_treatment_with_one_value_is_said_in_words():
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0], "z": ["control"] * 3})
    with pytest.raises(TrialError, match="every unit is in one arm"):
        estimate(frame, outcome="y", treatment="z")
