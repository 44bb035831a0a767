"""The throwaway database of an eval run: created and migrated on a server, dropped afterwards.

The server is FANAGENT_EVALS_DATABASE_URL (the admin URL of any PostgreSQL with pgvector where
this user may create databases) or else an embedded server of its own under the data directory
(.data/evals-pg), so an eval run never touches the development database. Every case gets its own
creator in the run's database; row-level security keeps them apart, as in production.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from db import connect, embedded, migrate
from db.connect import DatabaseTarget
from db.settings import DatabaseSettings

SERVER_ENV = "FANAGENT_EVALS_DATABASE_URL"


def server_url() -> str:
    """The maintenance URL of the server the run's database is created on."""
    external = os.environ.get(SERVER_ENV)
    if external:
        return external
    return embedded.start(DatabaseSettings().data_dir / "evals-pg", "postgres")


@contextmanager
def run_database(server: str | None = None) -> Iterator[DatabaseTarget]:
    """A new, migrated database for one run; dropped when the block ends."""
    base = server or server_url()
    name = f"fanagent_evals_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin_url = make_conninfo(base, dbname=name)
    try:
        password = os.environ.get("FANAGENT_APP_DB_PASSWORD")
        migrate.migrate(admin_url, password)
        yield DatabaseTarget(admin_url, connect.app_url_for(admin_url, password), embedded=True)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
