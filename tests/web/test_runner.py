"""The job runner: a worker that dies fails its own job only; the next job still runs."""

from __future__ import annotations

import os
import time

import pytest

from web import jobs
from web.runner import Busy, Runner


def test_a_dead_worker_fails_its_job_and_a_new_pool_takes_the_next():
    runner = Runner(workers=1)
    try:
        dying = runner.submit("plan", os._exit, 1)
        dying.future.exception(timeout=120)
        assert dying.state == "failed" and dying.outcome() is None
        assert runner.get(dying.id) is dying  # kept, so its page can say what went wrong
        after = runner.submit("plan", jobs.blank_template, False)
        assert after.future.result(timeout=120)[:2] == b"PK"
        assert runner.get("no-such-job") is None
    finally:
        runner.shutdown()


def test_a_result_is_forgotten_a_few_minutes_after_it_is_ready():
    from concurrent.futures import Future

    from web.results import Outcome
    from web.runner import Job

    runner = Runner(keep_minutes=10)
    done = Future()
    done.set_result(Outcome("plan", "done"))
    recent, old = Job("recent", "plan", done), Job("old", "plan", done)
    recent.finished, old.finished = time.monotonic(), time.monotonic() - 11 * 60
    runner._jobs.update({"recent": recent, "old": old})
    assert runner.get("recent") is recent
    assert runner.get("old") is None and "old" not in runner._jobs


def test_too_many_waiting_is_busy_not_a_queue_without_end():
    runner = Runner(most_waiting=0)
    with pytest.raises(Busy):
        runner.submit("plan", jobs.blank_template, False)
    assert runner._pool is None  # nothing was started
