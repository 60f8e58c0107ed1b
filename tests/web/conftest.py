"""Start ``workwell serve`` on a free loopback port and drive it with headless Chromium."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "rota"
TIME_LIMIT = "10"


def start_server(*options: str) -> tuple[subprocess.Popen, str]:
    """Run `workwell serve --port 0 ...`; return the process and the address it prints.
    Its later output is read as it comes (a full pipe would stall the server)."""
    command = [sys.executable, "-c", "import cli; cli.main()", "serve", "--port", "0", *options]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    line = process.stdout.readline().strip()
    assert line.startswith("workwell web page: http://127.0.0.1:"), line
    process.log = []
    process.reader = threading.Thread(target=lambda: process.log.extend(process.stdout))
    process.reader.start()
    return process, line.split(": ", 1)[1].rstrip("/")


def stop_server(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.reader.join(timeout=10)
    return "".join(process.log)


@pytest.fixture(scope="session")
def serve():
    """Start another server with the given options; each is stopped at the end."""
    started = []

    def start(*options: str) -> str:
        process, address = start_server(*options)
        started.append(process)
        return address

    yield start
    for process in started:
        log = stop_server(process)
        assert "Traceback" not in log, log


@pytest.fixture(scope="session")
def server():
    process, address = start_server("--time-limit", TIME_LIMIT, "--workers", "2")
    yield address
    log = stop_server(process)
    assert "Traceback" not in log, log


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the web tests need Debian's chromium: apt-get install -y chromium")
    return found


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield opened
    context.close()
    csp = [e for e in errors if "Content Security Policy" in e]
    assert not csp, csp  # nothing on our pages breaks the policy
    assert not [e for e in errors if "Uncaught" in e], errors


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rebuilt(name: str, change=None, extra: tuple = ()) -> bytes:
    """A copy of a fixture workbook: ``change(part, data)`` returns new bytes (None drops
    the part); ``extra`` adds (part, data) pairs."""
    source = zipfile.ZipFile(FIXTURES / name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            data = change(info.filename, data) if change else data
            if data is not None:
                out.writestr(info.filename, data)
        for part, data in extra:
            out.writestr(part, data)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def rebuild():
    return rebuilt
