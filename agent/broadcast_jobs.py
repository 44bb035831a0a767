"""The broadcasts' task on the job engine (db/jobs.py), every second: sends the approved
broadcasts that are due (crm/broadcasts/delivery.py; the last transaction settles the approval,
agent/broadcasts.py) and attributes the conversions of those sent within their window. Killed
mid-way it is retried, and goes on from the first fan without a delivery."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from procrastinate import Blueprint, JobContext

from agent.broadcasts import settle_sent
from crm.broadcasts import store
from crm.broadcasts.delivery import send
from db.connect import creator_scope
from db.jobs import EVERY_SECOND, periodic, task_deps
from db.pools import SyncPool

blueprint = Blueprint()
WORK = "SELECT fanagent_creators_with_broadcast_work(%s)"


@dataclass(frozen=True)
class BroadcastJobDeps:
    pool: SyncPool  # the application role's, autocommit


@periodic(blueprint, "send_broadcasts", EVERY_SECOND)
async def send_broadcasts(context: JobContext, timestamp: int) -> int:
    """Returns how many broadcasts this run finished sending."""
    deps = task_deps(context, BroadcastJobDeps)
    return await asyncio.to_thread(_send_due, deps.pool)


def _send_due(pool: SyncPool) -> int:
    with pool.connection() as conn:
        return send_due(conn, lambda: datetime.now(UTC))


def send_due(conn: psycopg.Connection[Any], clock: Callable[[], datetime]) -> int:
    """Every creator's due broadcasts sent, conversions attributed; how many were finished."""
    finished = 0
    creators = [row[0] for row in conn.execute(WORK, [clock()])]
    for creator_id in creators:
        with creator_scope(conn, creator_id):
            store.attribute_conversions(conn, clock())
            due = store.due(conn, clock())
        for broadcast_id in due:
            if send(conn, creator_id, broadcast_id, clock, settle_sent) is not None:
                finished += 1
    return finished
