"""Run jobs off the request thread and keep their results in memory for a few minutes.

Jobs run in a small pool of worker processes, so a long solve never blocks a page and a
workbook that makes openpyxl work hard cannot slow the server's own threads. Each job is
known only by a random id; its result (file bytes included) is dropped a few minutes
after it finishes, and nothing is written to disk outside the job's temporary folder.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from web.jobs import Outcome, warm_up

log = logging.getLogger("workwell.web")


def _leave_with_parent(parent: int) -> None:
    """In a worker: give way to the server's page threads (solving is background work),
    and exit if the server dies without shutting the pool down (kill -9)."""
    os.nice(WORKER_NICENESS)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


WORKER_NICENESS = 5


class Busy(Exception):
    """Too many jobs waiting: the page asks the user to try again in a minute."""


@dataclass
class Job:
    id: str
    kind: str
    future: Future
    created: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def state(self) -> str:
        if self.future.done():
            return "failed" if self.future.exception() else "done"
        return "running" if self.future.running() else "waiting"

    def outcome(self) -> Outcome | None:
        if not self.future.done() or self.future.exception():
            return None
        return self.future.result()


class Runner:
    """A pool of worker processes and the jobs it holds, by id."""

    def __init__(self, workers: int = 2, keep_minutes: float = 10, most_waiting: int = 60):
        self.workers = workers
        self.keep_seconds = keep_minutes * 60
        self.most_waiting = most_waiting
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._quick: ProcessPoolExecutor | None = None  # checks never wait behind solves

    def _executor(self, quick: bool = False) -> ProcessPoolExecutor:
        """The pool for solves, or the one-worker pool for quick jobs; call under the lock."""
        context = multiprocessing.get_context("spawn")  # never fork a threaded server
        if quick:
            if self._quick is None:
                self._quick = ProcessPoolExecutor(
                    1, mp_context=context, initializer=_leave_with_parent, initargs=(os.getpid(),)
                )
            return self._quick
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_leave_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def submit(self, kind: str, function: Callable[..., Outcome], *args) -> Job:
        """Start ``function(*args)`` in a worker; raise Busy when too many are waiting."""
        with self._lock:
            self._forget_old()
            waiting = sum(not j.future.done() for j in self._jobs.values())
            if waiting >= self.most_waiting:
                raise Busy()
            job = Job(secrets.token_urlsafe(18), kind, self._submit(False, function, *args))
            self._jobs[job.id] = job
        job.future.add_done_callback(lambda future: self._finished(job))
        return job

    def run(self, function: Callable[..., Outcome], *args, timeout: float = 120) -> Outcome:
        """Run a quick job in a worker and wait for it (the server thread only waits)."""
        with self._lock:
            future = self._submit(True, function, *args)
        return future.result(timeout=timeout)

    def _submit(self, quick: bool, function, *args) -> Future:
        """Submit to a pool; a pool broken by a worker that died (say, out of memory) is
        replaced, so one bad job cannot stop every later one. Call under the lock."""
        try:
            return self._executor(quick).submit(function, *args)
        except BrokenProcessPool:
            log.error("a worker died; starting a new pool")
            if quick:
                self._quick = None
            else:
                self._pool = None
            return self._executor(quick).submit(function, *args)

    def warm(self) -> None:
        """Start every worker now and load the planner in it, rather than on first use."""
        with self._lock:
            pools = [(self._executor(), self.workers), (self._executor(quick=True), 1)]
        for pool, count in pools:
            for _ in range(count):
                pool.submit(warm_up)

    def _finished(self, job: Job) -> None:
        job.finished = time.monotonic()
        error = job.future.exception()
        if error is not None:
            log.error("job %s (%s) failed", job.id[:6], job.kind, exc_info=error)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            self._forget_old()
            return self._jobs.get(job_id)

    def ahead_of(self, job: Job) -> int:
        """How many jobs started before this one are still waiting for a worker."""
        with self._lock:
            return sum(
                j.state == "waiting" and j.created < job.created for j in self._jobs.values()
            )

    def _forget_old(self) -> None:
        now = time.monotonic()
        old = [
            i
            for i, j in self._jobs.items()
            if j.finished is not None and now - j.finished > self.keep_seconds
        ]
        for job_id in old:
            del self._jobs[job_id]

    def shutdown(self) -> None:
        for pool in (self._pool, self._quick):
            if pool is not None:
                pool.shutdown(cancel_futures=True)
