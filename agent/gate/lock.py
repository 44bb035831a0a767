"""One resumer per thread: a session-level advisory lock held while a thread is resumed.

LangGraph's saver gives no single-writer guarantee, so two resumes of one thread (two approvals,
or an approval and the recovery sweep) would run the post-approval nodes twice; execution is
idempotent anyway, and this lock keeps the checkpoints from forking.

Rules: the lock lives on a connection of its own small pool, never the app pool, because a
resume needs app-pool connections for its nodes (holding one per resume let 8 concurrent
resumes starve the pool and every route). Waits are asynchronous: no worker thread is held.
Limits: at most LOCK_POOL_SIZE threads resume at once per process (each adds one connection of
the app role); the others wait up to LOCK_WAIT_S for a lock connection, then fail with
PoolTimeout. A connection goes back to its pool holding no lock (reset), whatever happened.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

THREAD_LOCK_SPACE = 0x74687264  # "thrd"
LOCK_POOL_SIZE = 8
LOCK_WAIT_S = 30.0
LOCK = "SELECT pg_advisory_lock(%s, hashtext(%s))"
UNLOCK_ALL = "SELECT pg_advisory_unlock_all()"

LockPool = AsyncConnectionPool[psycopg.AsyncConnection[Any]]


def lock_pool(app_url: str, max_size: int = LOCK_POOL_SIZE) -> LockPool:
    """The lock connections (autocommit, application role); open it with `async with`."""
    return AsyncConnectionPool(
        app_url,
        min_size=1,
        max_size=max_size,
        timeout=LOCK_WAIT_S,
        kwargs={"autocommit": True},
        reset=_unlock_all,
        check=AsyncConnectionPool.check_connection,  # a database restart leaves none dead
        open=False,
    )


@asynccontextmanager
async def thread_lock(pool: LockPool, thread_id: str) -> AsyncIterator[None]:
    """Holds the thread's lock for the block; released when the connection returns."""
    async with pool.connection() as conn:
        await conn.execute(LOCK, [THREAD_LOCK_SPACE, thread_id])
        yield


async def _unlock_all(conn: psycopg.AsyncConnection[Any]) -> None:
    await conn.execute(UNLOCK_ALL)
