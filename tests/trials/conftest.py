"""Shared fixtures: the shipped synthetic data sets and their planted true effects."""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "trials"


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((FIXTURES / "truth.json").read_text())


@pytest.fixture(scope="session")
def fixture_path():
    return lambda name: FIXTURES / f"{name}.csv"
