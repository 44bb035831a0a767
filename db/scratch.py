"""Throwaway databases (tests, eval runs, benchmarks): created on a server, dropped afterwards.

The server is the admin URL in an environment variable when that is set, else an embedded
server of its own under the data directory, so none of them touches the development database.
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


def server_url(env: str, folder: str) -> str:
    """The maintenance URL: `env`'s admin URL, else the embedded server under data_dir/folder."""
    external = os.environ.get(env)
    if external:
        return external
    return embedded.start(DatabaseSettings().data_dir / folder, "postgres")


@contextmanager
def scratch_database(
    server: str, prefix: str, *, migrated: bool = False
) -> Iterator[DatabaseTarget]:
    """A new database fanagent_<prefix>_<random> on `server` (migrated if asked), dropped when
    the block ends; the target's URLs point into it."""
    name = f"fanagent_{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin_url = make_conninfo(server, dbname=name)
    try:
        password = os.environ.get("FANAGENT_APP_DB_PASSWORD")
        if migrated:
            migrate.migrate(admin_url, password)
        yield DatabaseTarget(admin_url, connect.app_url_for(admin_url, password), embedded=True)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
