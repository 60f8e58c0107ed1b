"""``fixtures/generate.py`` is byte-for-byte deterministic, and the committed fixtures are
what it writes: two runs (with different string-hash seeds, so set order cannot hide) into
two folders give the same bytes, and the same content as the files in ``fixtures/``."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_generate_writes_the_same_bytes_every_time_and_they_are_committed(tmp_path):
    folders = [tmp_path / "first", tmp_path / "second"]
    runs = [
        subprocess.Popen(
            [sys.executable, str(FIXTURES / "generate.py"), str(folder)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for seed, folder in enumerate(folders, start=1)
    ]
    for run in runs:
        _, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors.decode()
    first, second = (_files(folder) for folder in folders)
    assert {"rota/team.xlsx", "usage/roster.csv", "trials/truth.json"} <= set(first)
    assert first.keys() == second.keys()
    differ = sorted(name for name in first if first[name] != second[name])
    assert not differ, f"two runs of generate.py differ in {differ}"
    stale = sorted(
        name
        for name, data in first.items()
        if not (FIXTURES / name).is_file()
        or _content((FIXTURES / name).read_bytes()) != _content(data)
    )
    assert not stale, f"committed fixtures differ from generate.py's: {stale} (run it)"


def _content(data: bytes) -> object:
    """What a file holds: for a workbook, each part's uncompressed bytes, less the part that
    records the openpyxl version (so a new openpyxl or zlib alone does not fail the test)."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/app.xml"}
