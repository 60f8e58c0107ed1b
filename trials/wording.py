"""How names and counts are written for readers: labels in words, counts with separators.
(Numbers and p-values follow :mod:`trials.formatting`.)"""

from __future__ import annotations


def words(name: str, labels: dict[str, str] | None = None) -> str:
    """A column or arm name as words: the spec's label for it, else 'usual_care' ->
    'usual care'."""
    if labels and str(name) in labels:
        return labels[str(name)]
    return str(name).replace("_", " ").strip()


def contrast_words(contrast: str, labels: dict[str, str] | None = None) -> str:
    """'a - b' or 'level: a - b' in words: 'a vs b', 'level: a vs b'."""
    prefix, _, rest = str(contrast).rpartition(": ")
    sides = " vs ".join(words(side.strip(), labels) for side in rest.split(" - "))
    return f"{words(prefix, labels)}: {sides}" if prefix else sides


def count(n: int | None) -> str:
    """A count with thousands separators, or 'not recorded'."""
    return "not recorded" if n is None else f"{n:,}"
