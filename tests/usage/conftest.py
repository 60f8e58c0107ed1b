"""Shared fixtures for the usage tests: the shipped pilot files and small stores built from them."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from usage.ingest import ingest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "usage"
NOW = pd.Timestamp("2021-06-01", tz="UTC")


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def write_csv():
    """``write_csv(path, rows)`` writes rows (header first) and returns the path."""
    return _write_csv


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped fixtures (rejects CSVs are written beside inputs)."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "fixtures"))


@pytest.fixture
def roster_db(tmp_path: Path, fixture_dir: Path) -> Path:
    """A store holding only the 52-person roster."""
    db = tmp_path / "usage.db"
    ingest(db, "roster", fixture_dir / "roster.csv", now=NOW)
    return db


@pytest.fixture
def pilot_db(roster_db: Path, fixture_dir: Path) -> Path:
    """A store holding every shipped fixture: roster, Brent logs and totals, Coventry survey."""
    for kind, name in (
        ("sessions", "brent_sessions.csv"),
        ("totals", "brent_totals.csv"),
        ("survey", "coventry_survey.csv"),
    ):
        ingest(roster_db, kind, fixture_dir / name, now=NOW)
    return roster_db


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def dump():
    """``dump(db)``: every schema statement and row of a store, for before/after comparisons."""
    return _dump
