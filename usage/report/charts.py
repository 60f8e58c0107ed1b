"""Every usage chart written as a PNG: the uptake charts and the licence-decision charts.

:func:`save_charts` draws them in this process; :func:`save_charts_in_two` shares them
with a copy of this process forked once the report is here (it inherits the report and
matplotlib, already loaded, so neither is sent or loaded twice).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import matplotlib

from common.files import CannotWrite
from usage.metrics.build import UsageReport
from usage.report.decision_plots import DECISION_CHARTS
from usage.report.figures import save_png
from usage.report.plots import (
    STYLE,
    plot_funnel,
    plot_minutes_per_person,
    plot_survey_frequency,
    plot_weekly_active_users,
)

CHARTS = {
    "funnel.png": plot_funnel,
    "minutes_per_person.png": plot_minutes_per_person,
    "weekly_active_users.png": plot_weekly_active_users,
    "survey_frequency.png": plot_survey_frequency,
    **DECISION_CHARTS,
}
# The costliest to draw first (on a large store), so two processes taking turns end together.
COSTLIEST_FIRST = (
    "retention.png",
    "active_users.png",
    "minutes_per_person.png",
    "weekly_active_users.png",
    "power_users.png",
    "funnel.png",
    "survey_frequency.png",
    "agreement.png",
)


def save_charts(
    report: UsageReport, out_dir: Path, names: Iterable[str] = tuple(CHARTS)
) -> list[Path]:
    """Write the charts named (every chart by default) as PNGs in ``out_dir``, atomically,
    and return their paths."""
    paths = []
    with matplotlib.rc_context(STYLE):
        for name in names:
            paths.append(save_png(CHARTS[name](report).figure, out_dir / name))
    return paths


def save_charts_in_two(report: UsageReport, out_dir: Path) -> list[Path]:
    """:func:`save_charts`, shared with a copy of this process forked here (it holds the
    report and matplotlib already): each draws the next chart neither has taken, costliest
    first, and the copy exits when none is left. Where the copy dies (killed, out of
    memory), this process draws every chart again; a bug in it is raised here."""
    taken = multiprocessing.get_context("fork").Value("i", 0)
    reader, writer = os.pipe()
    helper = os.fork()
    if helper == 0:
        os.close(reader)
        _help(taken, report, out_dir, writer)
    os.close(writer)
    try:
        refused = [_take_turns(taken, report, out_dir)]
    finally:
        with os.fdopen(reader, "rb") as pipe:
            answer = pipe.read()
        os.waitpid(helper, 0)
    if not answer:
        return save_charts(report, out_dir)
    outcome, detail = pickle.loads(answer)
    if outcome == "failed":
        raise RuntimeError(f"the chart helper process failed:\n{detail}")
    for words in [*refused, detail]:
        if words:
            raise CannotWrite(*words)
    return [out_dir / name for name in CHARTS]


def _help(taken, report: UsageReport, out_dir: Path, writer: int) -> NoReturn:
    """In the forked copy: take turns, send back how it went, and exit (never returning
    into the code of the process it was forked from)."""
    try:
        try:
            answer = ("done", _take_turns(taken, report, out_dir))
        except BaseException:
            answer = ("failed", traceback.format_exc())
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(pickle.dumps(answer))
    finally:
        os._exit(0)


def _take_turns(taken, report: UsageReport, out_dir: Path) -> tuple[str, str] | None:
    """Draw the next chart not yet taken until none is left. A folder the system refuses
    comes back as words (CannotWrite itself does not cross processes)."""
    while True:
        with taken.get_lock():
            turn = taken.value
            taken.value += 1
        if turn >= len(COSTLIEST_FIRST):
            return None
        try:
            save_charts(report, out_dir, [COSTLIEST_FIRST[turn]])
        except CannotWrite as error:
            return str(error).removesuffix(f": {error.strerror}"), error.strerror
