"""CONSORT flow counted from the data: arms, losses with reasons, exclusions, clusters."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from trials.consort import consort_flow, consort_table
from trials.data import load_data, prepare
from trials.errors import TrialError
from trials.flowchart import plot_consort
from trials.spec import Outcome, Spec, load_spec


def _flow(fixture_path, name):
    return consort_flow(load_data(fixture_path(name), load_spec(name)))


def test_symbolic_awards_flow_adds_up(fixture_path):
    flow = _flow(fixture_path, "symbolic_awards")
    control, treated = flow.arms
    assert flow.randomised == 1969 and flow.unit == "staff"
    assert (control.allocated, treated.allocated) == (985, 984)
    assert (control.responded, treated.responded) == (221, 207)  # 428 analysed, as reported
    assert control.lost == control.allocated - control.responded
    assert (control.analysed, treated.analysed) == (221, 207)
    assert flow.assessed is None


def test_joint_separate_counts_participants_not_decisions(fixture_path):
    flow = _flow(fixture_path, "joint_separate")
    assert flow.unit == "participants" and flow.randomised == 303
    assert sum(a.allocated for a in flow.arms) == 303
    assert "3,030 rows" in flow.note and not flow.follow_up


def _small_trial() -> tuple[pd.DataFrame, Spec]:
    frame = pd.DataFrame(
        {
            "staff_id": range(1, 13),
            "arm": ["control", "coaching"] * 6,
            "responded": [1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1],
            "why_lost": ["", "", "", "left", "opted out", "", "", "left", "on leave", "", "", ""],
            "score": [1.0, 2, np.nan, np.nan, np.nan, 3, 4, np.nan, np.nan, 5, 6, 7],
        }
    )
    spec = Spec(
        name="small",
        title="Small",
        design="two_arm",
        unit="staff_id",
        treatment="arm",
        arms=("control", "coaching"),
        outcomes=(Outcome("score", "Team score"),),
        responded="responded",
        lost_reason="why_lost",
        assessed=20,
        ri_draws=0,
    )
    return frame, spec


def test_reasons_for_loss_and_exclusion_come_from_the_data():
    frame, spec = _small_trial()
    flow = consort_flow(prepare(frame, spec))
    control, coaching = flow.arms
    # control rows 1,3,5,7,9,11: responded 1,1,0,1,0,1; lost: "opted out", "on leave"
    assert control.lost_reasons == {"opted out": 1, "on leave": 1}
    assert control.excluded_reasons == {"outcome missing": 1}  # row 3 responded, no score
    assert (control.allocated, control.responded, control.analysed) == (6, 4, 3)
    assert coaching.lost_reasons == {"left": 2}
    table = consort_table(flow).set_index(["stage", "arm"])
    assert table.loc[("Excluded before randomisation", "all"), "n"] == 8
    assert table.loc[("Lost to follow-up", "control"), "detail"] == "opted out: 1; on leave: 1"


def test_assessed_below_randomised_is_refused():
    frame, spec = _small_trial()
    with pytest.raises(TrialError, match="assessed"):
        consort_flow(prepare(frame, dataclasses.replace(spec, assessed=5)))


def test_diagram_draws_a_box_per_stage_and_arm(tmp_path):
    frame, spec = _small_trial()
    ax = plot_consort(consort_flow(prepare(frame, spec)))
    texts = " ".join(t.get_text() for t in ax.texts).replace("\u00a0", " ").replace("\n", " ")
    for expected in (
        "Assessed for eligibility (n = 20)",
        "Randomised (n = 12 staff)",
        "Allocated to coaching (n = 6)",
        "left (2)",
        "Analysed (n = 3)",
    ):
        assert expected in texts
    assert ["Enrolment", "Allocation", "Follow-up", "Analysis"] == [
        t.get_text() for t in ax.texts if t.get_rotation() == 90
    ]
    ax.figure.savefig(tmp_path / "flow.png")
    assert (tmp_path / "flow.png").stat().st_size > 10_000


def test_labels_from_the_spec_name_the_arms():
    frame, spec = _small_trial()
    spec = dataclasses.replace(spec, labels=(("coaching", "coaching sessions"),))
    table = consort_table(consort_flow(prepare(frame, spec)))
    assert "coaching sessions" in set(table["arm"]) and "coaching" not in set(table["arm"])


def test_labels_must_be_words():
    from trials.spec import parse_spec

    table = {
        "name": "x",
        "unit": "id",
        "treatment": "arm",
        "arms": ["a", "b"],
        "outcomes": [{"name": "y"}],
        "labels": {"a": 1},
    }
    with pytest.raises(TrialError, match="labels must be a table"):
        parse_spec(table)
