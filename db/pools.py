"""The service's connection pools, built here so that every one follows the same rules.

Rules: a connection is checked with a round trip as it leaves its pool, and one that fails the
check drains the pool: a restart of PostgreSQL broke every connection made before it, so they
are all replaced, none is handed out. A checkout waits at most
`DatabaseSettings.pool_timeout_s` (every connection busy, or the database down), then fails
with PoolTimeout, an OperationalError like every other sign of an unreachable database: the
API answers those 503 with Retry-After. A pool stops reconnecting in the background after the
same time, so a later checkout tries again at once: once the database is back, requests are
served again within about one timeout.
Limits: the check costs one round trip per checkout, and a failed one about a second (the
pool's back-off before it tries again); a connection that breaks while in use still fails its
statement (503), and a LangGraph run it breaks still writes its checkpoint as it fails, each
write waiting its own timeout behind the saver's one lock; a server that stops answering
without closing its connections (a network partition) can hold a check until TCP gives up.
"""

from collections.abc import Callable
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from db.settings import DatabaseSettings

SyncPool = ConnectionPool[psycopg.Connection[Any]]
AsyncPool = AsyncConnectionPool[psycopg.AsyncConnection[Any]]
UNAVAILABLE = "database_unavailable"  # the API's error code for an OperationalError
UNAVAILABLE_MESSAGE = "the database is unreachable or busy: try again shortly"


def sync_pool(
    url: str,
    *,
    name: str,
    max_size: int,
    kwargs: dict[str, Any],
    configure: Callable[[psycopg.Connection[Any]], None] | None = None,
    open: bool = False,
) -> SyncPool:
    """A pool of one connection (growing to `max_size`) for threads."""

    def check(conn: psycopg.Connection[Any]) -> None:
        try:
            ConnectionPool.check_connection(conn)
        except psycopg.OperationalError:
            pool.drain()
            raise

    wait = DatabaseSettings().pool_timeout_s
    pool: SyncPool = ConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        kwargs=kwargs,
        configure=configure,
        check=check,
        name=name,
        open=open,
        timeout=wait,
        reconnect_timeout=wait,
    )
    return pool


def async_pool(url: str, *, name: str, size: int, kwargs: dict[str, Any]) -> AsyncPool:
    """A pool of `size` connections for the event loop; open it with `async with`."""

    async def check(conn: psycopg.AsyncConnection[Any]) -> None:
        try:
            await AsyncConnectionPool.check_connection(conn)
        except psycopg.OperationalError:
            await pool.drain()
            raise

    wait = DatabaseSettings().pool_timeout_s
    pool: AsyncPool = AsyncConnectionPool(
        url,
        min_size=size,
        kwargs=kwargs,
        check=check,
        name=name,
        open=False,
        timeout=wait,
        reconnect_timeout=wait,
    )
    return pool
