"""Write output files atomically and readable by colleagues.

Each file is written to a temporary name beside its target and renamed into
place only when complete, so a failure never leaves half a report. The file then
gets the permissions a plain ``open()`` would give (0666 less the user's umask),
not the 0600 that :func:`tempfile.mkstemp` uses.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def user_mode() -> int:
    """0666 less the process umask: what a file created with ``open()`` would get."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write; renamed onto ``path`` if the block finishes."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, user_mode())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> Path:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path
