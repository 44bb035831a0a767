"""The CRM's background tasks on the job engine (db/jobs.py): every second, the refresh of the fans
webhook events queued (crm/intelligence/refresh_queue.py) and the fan messages webhooks
delivered (crm/episodes.py: their vectors and the facts they state); every minute, the segments'
stored membership (fan_segment_members, crm/intelligence/segments/store.py). Each works a
creator at a time in its scope as the application role; run again after a crash, it takes up
what is still queued."""

import asyncio
import functools
from dataclasses import dataclass

from procrastinate import Blueprint, JobContext

from crm.episodes import ingest_new_messages
from crm.intelligence.refresh_queue import drain
from crm.intelligence.segments.store import materialise_all
from db.jobs import EVERY_MINUTE, EVERY_SECOND, periodic, task_deps
from db.lanes import Lane, in_lanes
from db.pools import SyncPool
from memory.embedders import Embedder

blueprint = Blueprint()
INGEST_LANES = 2  # a backlog of messages is taken in on both cores (db/lanes.py)


@dataclass(frozen=True)
class CrmJobDeps:
    pool: SyncPool  # the application role's, autocommit, pgvector's types registered
    embedder: Embedder


@periodic(blueprint, "refresh_queued_fans", EVERY_SECOND)
async def refresh_queued_fans(context: JobContext, timestamp: int) -> int:
    """Recomputes the figures of the fans queued since the last run; returns how many."""
    deps = task_deps(context, CrmJobDeps)
    return await asyncio.to_thread(_drain, deps)


@periodic(blueprint, "ingest_new_messages", EVERY_SECOND)
async def ingest_messages(context: JobContext, timestamp: int) -> int:
    """Takes in the inbound messages still without a vector; returns how many."""
    deps = task_deps(context, CrmJobDeps)
    return await asyncio.to_thread(_ingest, deps)


@periodic(blueprint, "materialise_segments", EVERY_MINUTE)
async def materialise_segments(context: JobContext, timestamp: int) -> int:
    """Stores every segment's members as they are now; returns how many segments."""
    deps = task_deps(context, CrmJobDeps)
    return await asyncio.to_thread(_materialise, deps)


def _materialise(deps: CrmJobDeps) -> int:
    with deps.pool.connection() as conn:
        return materialise_all(conn)


def _drain(deps: CrmJobDeps) -> int:
    with deps.pool.connection() as conn:
        return drain(conn)


def _ingest(deps: CrmJobDeps) -> int:
    return in_lanes(functools.partial(_ingest_lane, deps), INGEST_LANES)


def _ingest_lane(deps: CrmJobDeps, lane: Lane) -> int:
    with deps.pool.connection() as conn:
        return ingest_new_messages(conn, deps.embedder, lane=lane)
