"""The HTTP API. Pools are opened once in the lifespan; routes stay thin."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import FastAPI, Request, Response, status
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel

from db import connect
from db.connect import DatabaseTarget
from db.versions import VERSIONS_SQL

VERSION = "0.1.0"


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    database: Literal["embedded", "external"]
    postgres: str | None
    pgvector: str | None
    detail: str | None = None


def create_app(target: DatabaseTarget | None = None) -> FastAPI:
    """The app; `target` defaults to the configured database (starting the embedded one)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = target if target is not None else await asyncio.to_thread(connect.resolve)
        pool = AsyncConnectionPool(
            resolved.app_url, min_size=1, max_size=16, open=False, kwargs={"autocommit": True}
        )
        await pool.open(wait=True, timeout=30)
        app.state.target = resolved
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="fanagent",
        version=VERSION,
        summary="Drafts replies to fans for creators and their chatters.",
        lifespan=lifespan,
    )

    @app.get("/health", response_model=Health, tags=["operations"])
    async def health(request: Request, response: Response) -> Health:
        """Liveness of the service and its database, with the PostgreSQL and pgvector versions."""
        resolved: DatabaseTarget = request.app.state.target
        kind: Literal["embedded", "external"] = "embedded" if resolved.embedded else "external"
        pool: AsyncConnectionPool = request.app.state.pool
        try:
            async with pool.connection(timeout=5) as conn:
                row = await (await conn.execute(VERSIONS_SQL)).fetchone()
        except Exception as error:  # any failure to reach the database is the answer itself
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return Health(
                status="unavailable",
                version=VERSION,
                database=kind,
                postgres=None,
                pgvector=None,
                detail=type(error).__name__,
            )
        assert row is not None
        return Health(status="ok", version=VERSION, database=kind, postgres=row[0], pgvector=row[1])

    return app


app = create_app()
