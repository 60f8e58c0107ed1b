"""The suite runs on every core (pytest-xdist, ``-n auto`` in pyproject.toml). Each test
file stays on one worker, so its module fixtures are built once; the web tests share one
worker, so their servers and the twenty-plans load test do not run beside one another."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        web = item.path.parent.name == "web"
        item.add_marker(pytest.mark.xdist_group("web" if web else str(item.path)))
