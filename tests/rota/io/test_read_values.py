"""read_rota parses only the sheets it reads (the Rota, and the rules a rota carries), in
openpyxl's read-only mode: it must read exactly what a full load of the workbook reads,
and refuse a damaged or mis-sized sheet as before."""

import random
import re
import zipfile
from pathlib import Path

import pytest

from rota.domain.synthetic import synthetic_service
from rota.io import rotaread
from rota.io.cells import WorkbookError, open_workbook
from rota.io.excel import write_service_rota
from rota.io.rotaread import read_rota

from ..domain.random_rotas import random_plan

HANDMADE = Path(__file__).parents[3] / "fixtures" / "rota" / "handmade_rota.xlsx"


def _fully_loaded(path: Path, rules: bool):
    """read_rota as it was: every sheet loaded by openpyxl in full."""
    saved = rotaread._open
    rotaread._open = lambda p, r: open_workbook(p)
    try:
        return read_rota(path, rules=rules)
    finally:
        rotaread._open = saved


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """Two teams' drawn rotas, written with the rules they carry."""
    rng = random.Random(5)
    service = synthetic_service(2, team_size=6, weeks=4)
    path = tmp_path_factory.mktemp("values") / "rota.xlsx"
    teams = [(p, random_plan(rng, p)) for p in service.teams]
    write_service_rota(path, teams, rules=service)
    return path


@pytest.mark.parametrize("rules", [False, True])
def test_a_written_rota_reads_as_a_full_load_reads_it(written, rules):
    rota = read_rota(written, rules=rules)
    assert rota == _fully_loaded(written, rules)
    assert len(rota.staff) == 12 and (rota.rules is not None) == rules


@pytest.mark.parametrize("rules", [False, True])
def test_a_handmade_rota_reads_as_a_full_load_reads_it(rules):
    assert read_rota(HANDMADE, rules=rules) == _fully_loaded(HANDMADE, rules)


def _rewritten(path: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, change(item.filename, source.read(item.filename)))
    return out


def test_a_sheet_saved_with_too_small_a_size_is_read_whole(written, tmp_path):
    """Some programs save a sheet's size wrong; read-only mode would trust it and stop."""

    def shrink(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        start = data.index(b"<dimension ref=")
        end = data.index(b"/>", start)
        return data[:start] + b'<dimension ref="A1:B2"' + data[end:]

    shrunk = _rewritten(written, tmp_path / "rota.xlsx", shrink)
    assert b'<dimension ref="A1:B2"' in zipfile.ZipFile(shrunk).read("xl/worksheets/sheet1.xml")
    assert read_rota(shrunk) == read_rota(written)


def test_a_cell_openpyxl_cannot_read_is_a_damaged_workbook_as_before(written, tmp_path):
    def spoil(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        cell = re.search(rb'<c r="B10" t="inlineStr">.*?</c>', data)
        return data.replace(cell.group(0), b'<c r="B10" t="s"><v>not a number</v></c>')

    spoiled = _rewritten(written, tmp_path / "rota.xlsx", spoil)
    assert b"not a number" in zipfile.ZipFile(spoiled).read("xl/worksheets/sheet1.xml")
    with pytest.raises(WorkbookError) as read:
        read_rota(spoiled)
    with pytest.raises(WorkbookError) as loaded:
        _fully_loaded(spoiled, False)
    assert read.value.problems == loaded.value.problems
    assert "damaged and cannot be read" in read.value.problems[0]


def test_a_chart_sheet_before_a_hand_made_rota_is_passed_over(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    book = load_workbook(HANDMADE)
    book.worksheets[0].title = "May"  # not 'Rota': the first worksheet is the rota
    chart = BarChart()
    chart.add_data(Reference(book.worksheets[0], min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    path = tmp_path / "charted.xlsx"
    book.save(path)
    read, handmade = read_rota(path), read_rota(HANDMADE)
    assert (read.staff, read.days, read.statuses) == (
        handmade.staff,
        handmade.days,
        handmade.statuses,
    )
