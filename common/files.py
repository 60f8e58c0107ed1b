"""Writing output files so a failure never leaves half a file, with the permissions a
plain ``open()`` would give (not the 0600 of :func:`tempfile.mkstemp`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from common.errors import InputError


class CannotWrite(InputError):
    """An output the system will not let us write (a read-only place, a file where a folder
    should be): the user's to put right. ``strerror`` is the system's reason."""

    def __init__(self, message: str, strerror: str):
        super().__init__(f"{message}: {strerror}")
        self.strerror = strerror


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; renamed onto ``path`` only if the block
    finishes, and removed if it fails."""
    path = Path(path)
    folder(path.parent)
    try:
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
        )
    except OSError as error:
        raise CannotWrite(f"cannot write {path}", error.strerror or str(error)) from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def folder(path: str | Path) -> Path:
    """Make an output folder (and its parents) if missing; a path that cannot be one (a
    file, a read-only place) is the user's mistake, said in one line."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CannotWrite(f"cannot make the folder {path}", error.strerror or str(error)) from error
    return path


def folder_problem(path: str | Path) -> str | None:
    """Why ``path`` could not be made into an output folder, found without making it (so a
    command can refuse before its work, and leave nothing behind); None if it looks fine.
    A write can still fail later (a full disk): that is :class:`CannotWrite`."""
    path = Path(path)
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        return f"cannot make the folder {path}: {existing} is a file"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot make the folder {path}: {existing} is not writable"
    return None


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place."""
    with atomic_path(path) as temporary:
        write(temporary)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or else what the user's umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
