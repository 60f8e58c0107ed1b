"""The import graph of the whole project, read from the source (nothing is imported): no
cycles anywhere, and the rota domain stays pure (no openpyxl, OR-Tools or click).

Every import counts, including those inside functions: a lazy import still ties two
modules together. A package's ``__init__`` importing its own modules is not a cycle with
them (Python runs a package's ``__init__`` before its modules by design)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("common", "rota", "usage", "trials", "web")
PURE = "rota.domain"
NOT_IN_DOMAIN = ("openpyxl", "ortools", "click")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {"cli": ROOT / "cli.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name ``path`` imports, made absolute; ``from a import b`` gives ``a.b``
    as well as ``a`` (which of the two is a module is settled by the caller)."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path):
            if imported in modules and imported != name:
                if not (name and imported.startswith(name + ".")):  # a package's own module
                    targets.add(imported)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_modules_and_their_imports():
    edges = graph()
    assert {"cli", "rota.domain.problem", "rota.io.template", "common.errors"} <= set(edges)
    assert "rota.io.layout" in edges["rota.io.template"]
    assert {"rota.domain.problem", "rota.io.cells"} <= edges["rota.io.tables"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    "package",
    ["cli", "common", "rota", "web", "trials", "usage"],
)  # fmt: skip
def test_no_import_cycles(package):
    found = [cycle for cycle in cycles(graph()) if any(m.split(".")[0] == package for m in cycle)]
    assert found == []


@pytest.mark.parametrize("name", sorted(n for n in project_modules() if n.startswith(PURE)))
def test_the_rota_domain_imports_no_files_solver_or_cli(name):
    path = project_modules()[name]
    outside = {
        imported
        for imported in imported_names(name, path)
        if imported.split(".")[0] in NOT_IN_DOMAIN
        or (imported.startswith("rota.") and not imported.startswith(PURE))
    }
    assert not outside, f"{name} imports {sorted(outside)}"
