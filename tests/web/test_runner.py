"""The job runner: a worker that dies fails its own job only; the next job still runs."""

from __future__ import annotations

import os

from web import jobs
from web.runner import Runner


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
