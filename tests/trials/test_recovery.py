"""Estimates on the synthetic fixtures cover the planted true effects."""

import pytest


@pytest.fixture
def results(quick_results):
    """The estimates checked here (intervals, counts, Holm p) do not depend on RI draws,
    which only add p_ri; the analyses without them are shared with other tests."""
    return quick_results


@pytest.mark.parametrize("name", ["symbolic_awards", "swing", "mod_ing"])
def test_itt_intervals_cover_the_truth(results, truth, name):
    effects = results[name].effects.set_index("outcome")
    for outcome, true_effect in truth[name].items():
        row = effects.loc[outcome]
        assert row.ci_low <= true_effect <= row.ci_high, outcome


@pytest.mark.parametrize("name", ["joint_separate", "blinding"])
def test_contrast_intervals_cover_the_truth(results, truth, name):
    effects = results[name].effects.set_index("contrast")
    for contrast, true_effect in next(iter(truth[name].values())).items():
        row = effects.loc[contrast]
        assert row.ci_low <= true_effect <= row.ci_high, contrast


def effects_missing(tables, outcome: str) -> int:
    return int(tables["effects"].set_index("outcome").loc[outcome, "missing"])


def test_symbolic_awards_tables(results):
    tables = results["symbolic_awards"].tables
    response = tables["response"].set_index("arm")
    assert response.loc["treatment", "randomised"] == 984
    assert response.loc["overall", "responded"] == 428
    assert set(tables["attenuation"]["period"]) == {1, 2, 3, 4, 5}
    assert (tables["attenuation"]["analysis"] == "exploratory").all()
    counted = tables["attenuation"][tables["attenuation"]["outcome"] == "wellbeing"]
    # every analysed responder is either in a period's regression or counted as dropped
    analysed = 428 - effects_missing(tables, "wellbeing")
    assert (counted["n"] + counted["dropped_single_stratum"]).sum() == analysed
    effects = tables["effects"].set_index("outcome")
    assert effects.loc["burnout", "missing"] == 8
    assert effects.loc["burnout", "flag"] == "secondary outcome"
    assert (effects["p_holm"] >= effects["p"]).all()


def test_joint_separate_uses_clusters(results):
    effects = results["joint_separate"].effects
    assert (effects["se_type"] == "CR2").all()
    assert effects["df"].max() < 303
