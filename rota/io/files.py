"""Write outputs safely: never over an input, never half-written, readable by colleagues.

``output_problems`` is the one check every writing command makes before it starts: an
output that is an input (after links, and case on case-insensitive file systems), two
outputs that are one file, a folder where a file is wanted, a missing or read-only folder.
The writing itself is ``common.files.write_atomically`` (temporary file, rename, umask).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CASE_PROBES = 20  # entries of a folder tried when telling a case-insensitive file system


@dataclass(frozen=True)
class Place:
    """A path the user named, with the words that name it: '--out', 'the team workbook'."""

    label: str
    path: Path

    def __str__(self) -> str:
        return f"{self.label} {self.path}"


def output_problems(
    files: list[Place],
    inputs: list[Place],
    folder: Place | None = None,
    overwrite: bool = True,
) -> list[str]:
    """Every reason the ``files`` (written into ``folder``, if given) cannot be written."""
    problems = _unusable(folder, _folder_problems, folder) if folder else []
    for i, place in enumerate(files):
        problems += _unusable(place, _file_problems, place, folder, overwrite)
        problems += _unusable(place, _clashes, place, inputs, files[i + 1 :])
    return list(dict.fromkeys(problems))


def _unusable(place: Place, check, *args) -> list[str]:
    """``check(*args)``; a path the system refuses even to look at (a name too long, a
    drive that answers with an error) is itself the problem."""
    try:
        return check(*args)
    except OSError as error:
        return [f"{place}: cannot use this path ({error.strerror or error})"]


def _clashes(place: Place, inputs: list[Place], later: list[Place]) -> list[str]:
    found = [
        f"{place} is the same file as {other}; choose another name"
        for other in inputs
        if same_file(place.path, other.path)
    ]
    return found + [
        f"{place} and {other} are the same file; give each its own name"
        for other in later
        if same_file(place.path, other.path)
    ]


def _folder_problems(folder: Place) -> list[str]:
    path = folder.path
    if path.exists() and not path.is_dir():
        return [f"{folder}: is a file, not a folder; give a folder"]
    if path.is_dir():
        return [] if _writable(path) else [f"{folder}: cannot write in this folder"]
    return _parent_problems(folder, path.parent)


def _file_problems(place: Place, folder: Place | None, overwrite: bool) -> list[str]:
    path = place.path
    if path.is_dir():
        return [f"{place}: is a folder; give a file name, e.g. {path / 'rota.xlsx'}"]
    if path.exists() and not overwrite:
        return [f"{place}: already exists; use --force to replace it"]
    if path.exists() and not os.access(path, os.W_OK):
        return [f"{place}: the file is read-only"]
    if folder is not None and path.parent == folder.path:
        return []  # the folder's own check covers it; it is created if missing
    return _parent_problems(place, path.parent)


def _parent_problems(place: Place, parent: Path) -> list[str]:
    parent = parent if str(parent) else Path(".")
    if not parent.exists():
        return [f"{place}: the folder {parent} does not exist (or its drive is not there)"]
    if not parent.is_dir():
        return [f"{place}: {parent} is a file, not a folder"]
    if not _writable(parent):
        return [f"{place}: cannot write in the folder {parent}"]
    return []


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: through links, and ignoring case where the file
    system does. Two paths that do not exist yet are compared as text."""
    a_exists, b_exists = os.path.exists(a), os.path.exists(b)
    if a_exists and b_exists:
        return os.path.samefile(a, b)
    if a_exists or b_exists:
        return False
    return path_key(a) == path_key(b)


def path_key(path: Path, case_insensitive: bool | None = None) -> str:
    """The path resolved (links followed as far as it exists), case-folded where the file
    system ignores case: equal keys, one file."""
    resolved = os.path.normcase(os.path.realpath(path))
    if case_insensitive is None:
        case_insensitive = ignores_case(_existing_parent(Path(resolved)))
    return resolved.casefold() if case_insensitive else resolved


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def ignores_case(folder: Path) -> bool:
    """Whether the file system holding ``folder`` ignores case (Windows, macOS by default):
    some entry found again under its name with the case swapped."""
    if os.name == "nt":
        return True
    try:
        names = [e.name for _, e in zip(range(CASE_PROBES), os.scandir(folder), strict=False)]
    except OSError:
        names = []
    for name in names:
        if name.swapcase() != name:
            swapped = folder / name.swapcase()
            return swapped.exists() and os.path.samefile(folder / name, swapped)
    if folder.name.swapcase() != folder.name:
        swapped = folder.parent / folder.name.swapcase()
        return swapped.exists() and os.path.samefile(folder, swapped)
    return False
