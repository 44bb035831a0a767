"""Numbered SQL migrations (db/migrations/NNNN_name.sql), each applied exactly once.

The runner holds a PostgreSQL advisory lock for the whole run, so two processes migrating at
once apply each file once between them; each file runs in its own transaction with its row in
schema_migrations, so a failed file leaves nothing half-applied. A file already applied whose
text changed is an error: migrations are append-only, write a new one.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from db.checkpoints import CHECKPOINT_SCHEMA, setup_checkpoints
from db.connect import APP_ROLE
from db.jobs import JOB_SCHEMA

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Any fixed 64-bit number; the lock's name in pg_locks is this pair of int4s.
ADVISORY_LOCK_KEY = 0x66616E6167656E74  # "fanagent"
LOCK_POLL_S = 0.05

SCHEMA_MIGRATIONS_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    sha256      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)
"""


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


@dataclass(frozen=True)
class MigrationStatus:
    migration: Migration
    applied_at: datetime | None


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        version = int(match.group(1))
        if version in migrations:
            raise MigrationError(f"{path.name}: version {version} is used twice")
        migrations[version] = Migration(version, match.group(2), path.read_text())
    return [migrations[v] for v in sorted(migrations)]


def migrate(
    admin_url: str, app_password: str | None = None, directory: Path = MIGRATIONS_DIR
) -> list[Migration]:
    """Applies the pending migrations; returns those this call applied."""
    migrations = discover(directory)
    applied_now: list[Migration] = []
    with psycopg.connect(admin_url, autocommit=True) as conn:
        _lock(conn)
        try:
            conn.execute(SCHEMA_MIGRATIONS_DDL)
            applied = _applied_checksums(conn)
            _check_unchanged(migrations, applied)
            for migration in migrations:
                if migration.version in applied:
                    continue
                with conn.transaction():
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name, sha256) VALUES (%s, %s, %s)",
                        [migration.version, migration.name, migration.sha256],
                    )
                applied_now.append(migration)
            if app_password:
                _set_app_password(conn, app_password)
            if _has_schema(conn, CHECKPOINT_SCHEMA):
                setup_checkpoints(admin_url)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
    return applied_now


def status(admin_url: str, directory: Path = MIGRATIONS_DIR) -> list[MigrationStatus]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        rows = (
            conn.execute("SELECT version, applied_at FROM schema_migrations").fetchall()
            if exists and exists[0]
            else []
        )
    applied_at: dict[int, datetime] = {row[0]: row[1] for row in rows}
    return [MigrationStatus(m, applied_at.get(m.version)) for m in discover(directory)]


def drop_everything(admin_url: str) -> None:
    """Removes every table, function and extension in the public schema (`db reset`)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        _lock(conn)
        try:
            with conn.transaction():
                conn.execute(f"DROP SCHEMA IF EXISTS {CHECKPOINT_SCHEMA} CASCADE")
                conn.execute(f"DROP SCHEMA IF EXISTS {JOB_SCHEMA} CASCADE")
                conn.execute("DROP SCHEMA public CASCADE")
                conn.execute("CREATE SCHEMA public")
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def _applied_checksums(conn: psycopg.Connection) -> dict[int, str]:
    rows = conn.execute("SELECT version, sha256 FROM schema_migrations").fetchall()
    return dict(rows)


def _check_unchanged(migrations: list[Migration], applied: dict[int, str]) -> None:
    known = {m.version: m for m in migrations}
    for version, sha in applied.items():
        migration = known.get(version)
        if migration is None:
            raise MigrationError(f"migration {version} is applied but its file is missing")
        if migration.sha256 != sha:
            raise MigrationError(
                f"{version:04d}_{migration.name}.sql changed after it was applied; "
                "add a new migration instead of editing an applied one"
            )


def _lock(conn: psycopg.Connection) -> None:
    """Takes the migration lock, polling: a session blocked in pg_advisory_lock would hold a
    snapshot the checkpointer's CREATE INDEX CONCURRENTLY waits for, a deadlock."""
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY]).fetchone()
        if row and row[0]:
            return
        time.sleep(LOCK_POLL_S)


def _has_schema(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute("SELECT to_regnamespace(%s) IS NOT NULL", [name]).fetchone()
    return bool(row and row[0])


def _set_app_password(conn: psycopg.Connection, password: str) -> None:
    conn.execute(
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(APP_ROLE), sql.Literal(password))
    )
