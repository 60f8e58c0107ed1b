"""Remove what identifies people from free text before it is stored or written out.

Emails and phone numbers are found by their shape; names and identifiers from
the roster by their keyed hash (the store keeps hashes of roster names, never
the names), so a word or a pair of words is removed when its hash is known.
Extra raw values (the names on the same survey row) are removed as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from usage.pseudonym import normalise_identifier, pseudonym

REMOVED = "[removed]"
EMAIL = re.compile(r"\w[\w.+'’-]*@[\w-]+(?:\.[\w-]+)+")
# A phone number starts with + or 0 (UK); a date or a time never matches (no ':' after).
PHONE = re.compile(r"(?<![\w+])(?:\+\d|\(?0)[\d ()-]{7,}\d(?![\w:])")
TOKEN = re.compile(r"[\w'’.-]*\w")
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
NAME_SPLIT = re.compile(r"[\s,]+")


def name_parts(name: str) -> set[str]:
    """A roster name, its words and each adjacent pair: what free text might mention.
    For an email, its local part too ("ann.lee" of "ann.lee@x.gov.uk")."""
    if "@" in name:
        return {name.strip(), name.strip().split("@")[0]}
    words = [w for w in NAME_SPLIT.split(name.strip()) if len(w) > 1]
    parts = set(words) | {" ".join(words)}
    parts |= {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return {p for p in parts if p}


def scrub(text: str, key: bytes, hashes: frozenset[str], extra: Iterable[str] = ()) -> str:
    """``text`` with emails, phone numbers, roster names/ids and ``extra`` values removed."""
    if not text:
        return text
    text = EMAIL.sub(REMOVED, text)
    text = PHONE.sub(lambda m: REMOVED if _digits(m.group()) >= 10 else m.group(), text)
    raw = {normalise_identifier(v) for value in extra if value for v in name_parts(value)}
    tokens = [(m.start(), m.start() + len(_bare(m.group()))) for m in TOKEN.finditer(text)]
    spans = []
    for i, (start, end) in enumerate(tokens):
        candidates = [(start, end)]
        if i + 1 < len(tokens) and text[end : tokens[i + 1][0]].strip() == "":
            candidates.append((start, tokens[i + 1][1]))
        for span in candidates:
            value = " ".join(text[span[0] : span[1]].split())
            if normalise_identifier(value) in raw or pseudonym(key, value) in hashes:
                spans.append(span)
    return _replace(text, spans)


def _bare(token: str) -> str:
    """A word without a possessive ending: "Amara's" -> "Amara"."""
    return POSSESSIVE.sub("", token)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the union of ``spans`` by REMOVED, each run of overlapping spans once."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            last = max(last, end)
            continue
        out.append(text[last:start])
        out.append(REMOVED)
        last = end
    out.append(text[last:])
    return "".join(out)
