"""Which arm is the reference: given, or inferred only where no one could read it otherwise.

Taking the alphabetically first arm would print ``usual_care - coaching`` for arms
``coaching`` and ``usual_care``: the effect with its sign reversed. So the reference is
inferred only from 0/1 codes or from exactly one arm named like a control condition.
"""

from __future__ import annotations

import re

from trials.errors import TrialError

CONTROL_NAMES = re.compile(
    r"^(control|controls|control group|usual care|treatment as usual|tau|"
    r"wait ?list|wait ?listed|wait ?list control|business as usual|bau)$"
)


def _words(label: str) -> str:
    return re.sub(r"[\s_\-]+", " ", label.strip().lower())


def looks_like_control(label: str) -> bool:
    """'control', 'usual_care', 'Wait-list', 'business as usual', 'BAU' and the like."""
    return bool(CONTROL_NAMES.match(_words(label)))


def reference_arm(arms: list[str], reference: str | None = None) -> str:
    """The given reference (checked), or the one arm that can only be the control."""
    listed = ", ".join(repr(a) for a in arms)
    if reference is not None:
        if reference not in arms:
            raise TrialError(f"--reference {reference!r} is not one of the arms: {listed}")
        return reference
    if sorted(arms) == ["0", "1"]:
        return "0"
    controls = [arm for arm in arms if looks_like_control(arm)]
    if len(controls) == 1:
        return controls[0]
    raise TrialError(
        f"cannot tell which arm is the reference (control) among {listed}; "
        "give --reference ARM, so that effects are printed as arm - reference"
    )


def ordered_arms(arms: list[str], reference=None, column="treatment") -> tuple[str, ...]:
    """The reference first, then the other arms in sorted order."""
    if len(arms) < 2:
        raise TrialError(
            f"{column!r} holds {len(arms)} arm(s) ({', '.join(map(repr, arms))}): every unit "
            "is in one arm, so there is no effect to estimate"
        )
    chosen = reference_arm(arms, reference)
    return (chosen, *sorted(a for a in arms if a != chosen))


def reference_warning(arms: tuple[str, ...]) -> str | None:
    """A spec's reference is its first arm; say so loudly when another arm looks like the
    control and the first does not (effects would print with the sign the user may not mean)."""
    if looks_like_control(arms[0]):
        return None
    controls = [arm for arm in arms[1:] if looks_like_control(arm)]
    if not controls:
        return None
    return (
        f"the reference arm is {arms[0]!r} (the first in arms), but {controls[0]!r} looks like "
        f"the control: effects are printed as arm - {arms[0]}. List {controls[0]!r} first in "
        "arms if it is the reference"
    )
