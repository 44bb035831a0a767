"""The refresh queue (migration 0012): an event queues its fan in the event's own transaction;
`drain` recomputes the queued fans in batches, a creator at a time in its scope and under its
recompute lock (a job worker runs it every second: crm/jobs.py).

Queueing updates the fan's row when it is already queued, which locks it: a batch taking the
fan then waits for the event's commit and its recompute (a statement after the take) sees the
event; a batch that took the fan first makes the event queue it again. Either way no event is
left out of its fan's figures.
"""

import logging
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from crm.intelligence.refresh import lock_creator, refresh_fans
from db.connect import creator_scope

log = logging.getLogger("fanagent.intelligence")
QUEUE = """
INSERT INTO fan_refresh_queue (creator_id, fan_id) VALUES (app_current_creator(), %s)
ON CONFLICT (creator_id, fan_id) DO UPDATE SET queued_at = fan_refresh_queue.queued_at
"""
TAKE = """
DELETE FROM fan_refresh_queue
WHERE fan_id IN (SELECT fan_id FROM fan_refresh_queue ORDER BY queued_at LIMIT %s)
RETURNING fan_id
"""
CREATORS = "SELECT fanagent_creators_with_queued_refreshes()"
BATCH = 500


def queue_refresh(conn: psycopg.Connection[Any], fan_id: UUID) -> None:
    """Queues the fan's figures for a refresh (in the caller's scope and transaction)."""
    conn.execute(QUEUE, [fan_id])


def drain(
    conn: psycopg.Connection[Any], *, batch: int = BATCH, as_of: datetime | None = None
) -> int:
    """Refreshes the fans queued now, every creator's; returns how many. `conn` is the
    application role's, in autocommit (each batch is a transaction of its own)."""
    creators = [UUID(str(row[0])) for row in conn.execute(CREATORS)]
    refreshed = 0
    for creator in creators:
        while True:
            taken = _refresh_batch(conn, creator, batch, as_of)
            refreshed += taken
            if taken < batch:
                break
    return refreshed


def _refresh_batch(
    conn: psycopg.Connection[Any], creator: UUID, batch: int, as_of: datetime | None
) -> int:
    """Takes up to `batch` of the creator's queued fans and refreshes them. Should the batch
    fail, each fan is tried alone; a fan that fails alone leaves the queue, logged (its
    figures wait for `fanagent scores recompute --full`), so it cannot block the others."""
    with creator_scope(conn, creator):
        lock_creator(conn, creator)
        fans = [UUID(str(row[0])) for row in conn.execute(TAKE, [batch])]
        if not fans:
            return 0
        try:
            with conn.transaction():
                refresh_fans(conn, fans, as_of=as_of)
        except Exception:
            log.exception("refreshing %d queued fans failed; trying them one by one", len(fans))
            for fan in fans:
                try:
                    with conn.transaction():
                        refresh_fans(conn, [fan], as_of=as_of)
                except Exception:
                    log.exception("refreshing fan %s failed; its figures are stale", fan)
    return len(fans)
