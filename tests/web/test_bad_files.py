"""Each kind of bad file is refused with a message, on the page and in the quick check."""

from __future__ import annotations

import http.client
import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        out.writestr("xl/workbook.xml", "<workbook/>")
        out.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def _huge_sheet(rebuild) -> bytes:
    def change(part, data):
        if part == "xl/worksheets/sheet2.xml":
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
        return data

    return rebuild("team.xlsx", change)


def _entities(rebuild) -> bytes:
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'

    def change(part, data):
        return laughs + data if part == "xl/workbook.xml" else data

    return rebuild("team.xlsx", change)


def _damaged(rebuild) -> bytes:
    return rebuild(
        "team.xlsx",
        lambda part, data: b"<workbook><sheets" if part == "xl/workbook.xml" else data,
    )


CASES = {  # name -> (file name, bytes or builder, words the message must hold)
    "empty": ("team.xlsx", lambda r: b"", "the file is empty"),
    "text": ("team.csv", lambda r: b"ID,Name\nSW01,Ann\n", "upload the Excel workbook"),
    "old excel": ("team.xls", lambda r: b"\xd0\xcf\x11\xe0" + b"\0" * 600, "old-style Excel"),
    "not a workbook": ("team.xlsx", lambda r: b"%PDF-1.4 not a workbook", "not an Excel .xlsx"),
    "too large": ("big.xlsx", lambda r: b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "10 MB"),
    "zip bomb": ("bomb.xlsx", lambda r: _zip_bomb(), "zip bomb"),
    "huge sheet": ("huge.xlsx", _huge_sheet, "1,048,576 rows"),
    "external links": (
        "linked.xlsx",
        lambda r: r("team.xlsx", extra=[("xl/externalLinks/externalLink1.xml", b"<x/>")]),
        "external links",
    ),
    "macros": (
        "macro.xlsx",
        lambda r: r("team.xlsx", extra=[("xl/vbaProject.bin", b"\0" * 10)]),
        "macros",
    ),
    "entities": ("lol.xlsx", _entities, "declares XML entities"),
    "damaged": ("damaged.xlsx", _damaged, "damaged"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_with_its_message(case, page, server, rebuild, tmp_path):
    name, build, words = CASES[case]
    path = tmp_path / name
    path.write_bytes(build(rebuild))
    page.goto(f"{server}/plan")
    page.set_input_files("#workbook", path)
    page.locator("#check-report .problems").wait_for(timeout=60_000)  # the quick check
    assert words in page.locator("#check-report").inner_text()
    page.click("button[type=submit]")
    page.wait_for_selector("section.problems", timeout=60_000)
    assert words in page.locator("section.problems").inner_text()
    assert "Traceback" not in page.content()
    assert page.url.endswith("/plan")  # refused before any job started


def test_an_upload_over_the_request_limit_gets_a_page_not_a_reset(server):
    boundary = "workwell-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; '
            f'filename="vast.xlsx"\r\nContent-Type: {XLSX}\r\n\r\n'
        ).encode()
        + b"\0" * (25 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    address = urlsplit(server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    connection.request(
        "POST", "/plan", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    response = connection.getresponse()
    assert response.status == 413
    assert "at most 10 MB" in response.read().decode()


def test_a_missing_page_and_an_expired_result_say_so(page, server):
    response = page.goto(f"{server}/jobs/not-a-job")
    assert response.status == 404
    assert "expired" in page.locator("main").inner_text()


def test_both_files_of_the_gaps_form_are_checked_in_one_pass(page, server, tmp_path):
    rota, rules = tmp_path / "rota.csv", tmp_path / "rules.xls"
    rota.write_text("ID,Mon\nSW01,W\n")
    rules.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    page.goto(f"{server}/gaps")
    page.set_input_files("#rota", rota)
    page.set_input_files("#rules", rules)
    page.click("button[type=submit]")
    problems = page.locator("section.problems li").all_inner_texts()
    assert len(problems) == 2
    assert problems[0].startswith("rota.csv:") and problems[1].startswith("rules.xls:")
