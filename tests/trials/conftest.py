"""Shared fixtures: the shipped synthetic data sets, their planted true effects, and the
expensive set-up (analyses, CLI runs) computed once per session for the tests that only
read it."""

import dataclasses
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "trials"
EXPERIMENTS = ("symbolic_awards", "swing", "mod_ing", "joint_separate", "blinding")


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((FIXTURES / "truth.json").read_text())


@pytest.fixture(scope="session")
def fixture_path():
    return lambda name: FIXTURES / f"{name}.csv"


@pytest.fixture(scope="session")
def quick_results(fixture_path) -> dict:
    """Every shipped experiment analysed as its spec says but without RI (the slow part).
    Shared: tests must not change them."""
    from trials.analysis import analyse
    from trials.data import load_data
    from trials.spec import load_spec

    out = {}
    for name in EXPERIMENTS:
        spec = dataclasses.replace(load_spec(name), ri_draws=0)
        out[name] = analyse(load_data(fixture_path(name), spec))
    return out


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory, fixture_path):
    """``shipped_run(name)``: ``workwell trials run NAME`` on the shipped spec and data set,
    run once per session under umask 022; returns (the CliRunner result, the output folder).
    Shared: tests must only read the folder."""
    from trials.commands import trials

    runs = {}

    def run(name: str):
        if name not in runs:
            folder = tmp_path_factory.mktemp(f"run_{name}")
            old = os.umask(0o022)
            try:
                args = ["run", name, str(fixture_path(name)), "--out", str(folder)]
                runs[name] = (CliRunner().invoke(trials, args), folder)
            finally:
                os.umask(old)
        return runs[name]

    return run
