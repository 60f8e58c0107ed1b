"""The upload checks on their own: what passes, what is refused and in which words."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from web.uploads import UploadError, accept_workbook, safe_name

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rota"


@pytest.mark.parametrize("name", ["team.xlsx", "service.xlsx", "handmade_rota.xlsx"])
def test_the_shipped_workbooks_pass(name):
    upload = accept_workbook(name, (FIXTURES / name).read_bytes())
    assert upload.name == name


def test_folders_and_odd_characters_are_taken_out_of_the_name():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\tm\\Team <rota>.xlsx") == "Team _rota_.xlsx"
    assert safe_name("") == "workbook.xlsx"


def test_a_part_that_packs_too_well_is_a_zip_bomb_before_anything_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        out.writestr("xl/workbook.xml", "<workbook/>")
        out.writestr("xl/sharedStrings.xml", b" " * (5 * 1024 * 1024))
    with pytest.raises(UploadError) as refused:
        accept_workbook("bomb.xlsx", buffer.getvalue())
    assert "zip bomb" in refused.value.problems[0]
    assert "xl/sharedStrings.xml" in refused.value.problems[0]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("word/document.xml", "<w/>")
    with pytest.raises(UploadError, match="no workbook inside"):
        accept_workbook("letter.xlsx", buffer.getvalue())


def test_serve_listens_on_this_machine_unless_told_otherwise():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--port" in result.output
    assert "serve" in CliRunner().invoke(main, ["--help"]).output


def test_a_port_in_use_is_a_message_not_a_traceback():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
