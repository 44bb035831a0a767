"""Worker processes for the job-engine tests: started for real, stopped or killed by the test."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from db.connect import DatabaseTarget

ROOT = Path(__file__).resolve().parents[2]
# Short enough that a killed worker's job is retried within seconds.
FAST = {
    "FANAGENT_JOBS_HEARTBEAT_S": "0.5",
    "FANAGENT_JOBS_STALLED_AFTER_S": "2",
    "FANAGENT_JOBS_POLL_S": "0.5",
}


@contextmanager
def worker(command: Sequence[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A worker process; asked to stop (SIGTERM) after the block, killed if it does not."""
    process = subprocess.Popen(list(command), cwd=ROOT, env={**os.environ, **FAST, **env})
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def probe_worker(target: DatabaseTarget) -> list[str]:
    """The probe worker's command line (imported, not run as __main__: its tasks keep their
    module's name)."""
    start = "import sys; from tests.jobs.probe_worker import main; main(*sys.argv[1:])"
    return [sys.executable, "-c", start, target.admin_url, target.app_url]


def wait_for(
    what: str, check: Callable[[], bool], timeout_s: float = 30.0, poll_s: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(poll_s)


def query(target: DatabaseTarget, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows as the admin, who sees the engine's schema and every creator."""
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        conn.execute("SET search_path = procrastinate, public")
        return conn.execute(sql.encode(), params).fetchall()


def live_workers(target: DatabaseTarget) -> int:
    return int(query(target, "SELECT count(*) FROM procrastinate_workers")[0][0])
