"""Throwaway databases on the real test server: the embedded one under .data/test-pg, or the
server of FANAGENT_TEST_DATABASE_URL (its admin URL) when that is set."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from db import connect, embedded
from db.connect import DatabaseTarget
from db.settings import DatabaseSettings


def maintenance_url() -> str:
    external = os.environ.get("FANAGENT_TEST_DATABASE_URL")
    if external:
        return external
    return embedded.start(DatabaseSettings().data_dir / "test-pg", "postgres")


@contextmanager
def fresh_database(prefix: str = "test") -> Iterator[DatabaseTarget]:
    """An empty database, dropped afterwards; the target's URLs point into it."""
    base = maintenance_url()
    name = f"fanagent_{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin_url = make_conninfo(base, dbname=name)
    try:
        password = os.environ.get("FANAGENT_APP_DB_PASSWORD")
        yield DatabaseTarget(admin_url, connect.app_url_for(admin_url, password), embedded=True)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
