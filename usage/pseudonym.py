"""Keyed pseudonyms: raw identifiers never reach the database.

An identifier (email, login, staff number) is trimmed and lower-cased, then
replaced by HMAC-SHA256 under a secret key. The key lives in a file beside the
database (``usage.db`` -> ``usage.db.key``), created on first use with
permissions 0600. Without the key nobody can test a guessed email against the
stored pseudonyms; with it the licence holder can look a person up.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from usage.model import UsageError

KEY_BYTES = 32
SHOWN_CHARS = 10


def key_path_for(db_path: Path) -> Path:
    """The key file that belongs to a database file."""
    return db_path.with_name(db_path.name + ".key")


def load_or_create_key(db_path: Path) -> bytes:
    """Read the key beside ``db_path``, creating it (mode 0600) if it does not exist."""
    path = key_path_for(db_path)
    if path.exists():
        try:
            key = bytes.fromhex(path.read_text().strip())
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise UsageError(
                f"key file {path} is damaged: expected {KEY_BYTES} bytes written as hex;"
                " restore it from your backup"
            )
        return key
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
    return key


def normalise_identifier(raw: object) -> str:
    """Trim and lower-case an identifier so ``' Ann@X.gov.uk'`` and ``'ann@x.gov.uk'`` agree."""
    return str(raw).strip().lower()


def pseudonym(key: bytes, raw: object) -> str:
    """The full keyed hash (64 hex characters) of one identifier."""
    message = normalise_identifier(raw).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def display_id(full: str) -> str:
    """A short, readable form of a pseudonym for reports: ``P-1a2b3c4d5e``."""
    return "P-" + full[:SHOWN_CHARS]


def pseudonyms(key: bytes, values: list[object]) -> dict[object, str]:
    """Hash each distinct value once; logs repeat the same few users many times."""
    return {value: pseudonym(key, value) for value in set(values)}
