"""`fanagent worker`, the real command in a process of its own over the session's database: it
defers every periodic task, refreshes the fans webhooks queued, embeds the messages they
delivered, and stops cleanly on SIGTERM."""

import signal
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from auth.operator import app_connection
from crm.intelligence.refresh_queue import queue_refresh
from db import migrate
from db.connect import DatabaseTarget
from tests.intelligence.world import ago, new_creator
from tests.jobs.workers import ROOT, query, wait_for, worker
from tests.pg import fresh_database

PERIODIC = {
    "agent:sweep_gate",
    "broadcasts:send_broadcasts",
    "agent:evaluate_rules",
    "crm:materialise_segments",
    "crm:refresh_queued_fans",
    "crm:embed_new_messages",
    "jobs:retry_stalled_jobs",
}


@pytest.fixture
def database() -> Iterator[DatabaseTarget]:
    """A database of the worker's own: on the session's, the worker would also do what other
    tests left due (their rules, broadcasts and segments), and SIGTERM lets running jobs finish."""
    with fresh_database("worker") as target:
        migrate.migrate(target.admin_url)
        yield target


@pytest.fixture
def conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with app_connection(database) as conn:
        yield conn


def test_the_worker_runs_the_background_jobs(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    world = new_creator(conn)
    fan = world.fan("Quinn", joined=ago(30))
    world.tx(fan, "tip", "9.00", ago(1))
    message = world.message(fan, "inbound", ago(hours=1))
    with world.scope():
        queue_refresh(conn, fan)
    command = [str(ROOT / ".venv/bin/fanagent"), "worker"]
    with worker(command, {"DATABASE_URL": database.admin_url}) as process:
        wait_for(
            "the queued fan refreshed",
            lambda: (
                world.query("SELECT purchase_count FROM fan_profiles WHERE id = %s", fan) == [(1,)]
            ),
            timeout_s=90,  # the first run waits for the worker to load its models
        )
        assert world.query("SELECT fan_id FROM fan_refresh_queue") == []
        wait_for(
            "the message embedded",
            lambda: (
                world.query("SELECT embedding IS NOT NULL FROM fan_messages WHERE id = %s", message)
                == [(True,)]
            ),
        )
        deferred = query(database, "SELECT DISTINCT task_name FROM procrastinate_periodic_defers")
        assert {row[0] for row in deferred} == PERIODIC
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
