"""One resumer per thread: a session-level advisory lock held while a thread is resumed.

LangGraph's saver gives no single-writer guarantee, so two resumes of one thread (two approvals,
or an approval and the recovery sweep) would run the post-approval nodes twice; execution is
idempotent anyway, and this lock keeps the checkpoints from forking.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

THREAD_LOCK_SPACE = 0x74687264  # "thrd"
LOCK = "SELECT pg_advisory_lock(%s, hashtext(%s))"
UNLOCK = "SELECT pg_advisory_unlock(%s, hashtext(%s))"


@asynccontextmanager
async def thread_lock(
    pool: ConnectionPool[psycopg.Connection[Any]], thread_id: str
) -> AsyncIterator[None]:
    conn = await asyncio.to_thread(pool.getconn)
    try:
        await asyncio.to_thread(conn.execute, LOCK, [THREAD_LOCK_SPACE, thread_id])
        try:
            yield
        finally:
            await asyncio.to_thread(conn.execute, UNLOCK, [THREAD_LOCK_SPACE, thread_id])
    finally:
        pool.putconn(conn)
