"""The job engine with real worker processes on the real PostgreSQL: a job runs once however
many workers there are, and a job whose worker is killed mid-run is run again, not lost."""

import asyncio
import signal
from collections.abc import Iterator

import psycopg
import pytest

from db import jobs as engine
from db import migrate
from db.connect import DatabaseTarget
from tests.jobs import probe_worker
from tests.jobs.workers import live_workers, query, wait_for, worker
from tests.jobs.workers import probe_worker as probe_command
from tests.pg import fresh_database


@pytest.fixture(scope="module")
def target() -> Iterator[DatabaseTarget]:
    """A database of its own: the probe's table is no product table."""
    with fresh_database("jobs") as target:
        migrate.migrate(target.admin_url)
        with psycopg.connect(target.admin_url, autocommit=True) as admin:
            admin.execute("CREATE TABLE probe_runs (key text, pid int, attempt int)")
        yield target


def defer(target: DatabaseTarget, *jobs: tuple[str, float]) -> list[int]:
    """Defers a probe job per (key, hold_s) through the engine's own connector; their ids."""

    async def run() -> list[int]:
        with probe_worker.app.replace_connector(engine.connector(target)):
            async with probe_worker.app.open_async():
                return [
                    await probe_worker.record.defer_async(key=key, hold_s=hold_s)
                    for key, hold_s in jobs
                ]

    return asyncio.run(run())


def runs(target: DatabaseTarget, key: str) -> list[tuple[int, int]]:
    return [
        (r[0], r[1])
        for r in query(target, "SELECT pid, attempt FROM probe_runs WHERE key = %s", [key])
    ]


def test_each_job_runs_once_with_two_workers(target: DatabaseTarget) -> None:
    keys = [f"once-{n}" for n in range(40)]
    command = probe_command(target)
    with worker(command, {}) as first, worker(command, {}) as second:
        wait_for("two workers", lambda: live_workers(target) == 2)
        defer(target, *[(key, 0.1) for key in keys])
        wait_for(
            "every job run",
            lambda: (
                query(target, "SELECT count(*) FROM probe_runs WHERE starts_with(key, 'once-')")[0][
                    0
                ]
                >= len(keys)
            ),
        )
        # Let a second run of any job, if there were one, land before counting.
        wait_for(
            "the queue empty",
            lambda: (
                not query(
                    target,
                    "SELECT id FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
                    " AND task_name = 'probe:record'",
                )
            ),
        )
    rows = query(
        target, "SELECT key, count(*) FROM probe_runs WHERE starts_with(key, 'once-') GROUP BY key"
    )
    assert dict(rows) == dict.fromkeys(keys, 1)
    pids = {
        r[0]
        for r in query(
            target, "SELECT DISTINCT pid FROM probe_runs WHERE starts_with(key, 'once-')"
        )
    }
    assert pids == {first.pid, second.pid}  # both took jobs: the once is not one worker's doing


def test_a_job_whose_worker_is_killed_is_run_again(target: DatabaseTarget) -> None:
    command = probe_command(target)
    with worker(command, {}) as doomed:
        wait_for("a worker", lambda: live_workers(target) == 1)
        (job_id,) = defer(target, ("held", 600.0))
        wait_for(
            "the job running",
            lambda: (
                query(target, "SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
                == [("doing",)]
            ),
        )
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
    assert query(target, "SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id]) == [
        ("doing",)
    ]  # nobody finished it: without the retry it would stay so, lost
    assert runs(target, "held") == []
    with worker(command, {}) as rescuer:
        wait_for("the job run again", lambda: bool(runs(target, "held")))
        assert runs(target, "held") == [(rescuer.pid, 1)]  # its second attempt, by the other
    assert query(target, "SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id]) == []
