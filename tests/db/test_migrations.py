"""The migration runner: each file once, concurrency-safe, all-or-nothing, tamper-evident."""

import shutil
import threading
from pathlib import Path

import psycopg
import pytest

from db import migrate
from db.connect import DatabaseTarget

ALL = migrate.discover()


def _applied_versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


def test_files_are_numbered_without_gaps() -> None:
    assert [m.version for m in ALL] == list(range(1, len(ALL) + 1))


def test_first_run_applies_everything_and_second_run_nothing(
    empty_database: DatabaseTarget,
) -> None:
    url = empty_database.admin_url
    assert [m.version for m in migrate.migrate(url)] == [m.version for m in ALL]
    assert migrate.migrate(url) == []
    assert _applied_versions(url) == [m.version for m in ALL]
    assert all(s.applied_at is not None for s in migrate.status(url))


def test_two_processes_migrating_at_once_apply_each_file_once(
    empty_database: DatabaseTarget,
) -> None:
    url = empty_database.admin_url
    results: list[list[migrate.Migration]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        try:
            results.append(migrate.migrate(url))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    applied = sorted(m.version for result in results for m in result)
    assert applied == [m.version for m in ALL]
    assert _applied_versions(url) == [m.version for m in ALL]


def _copy_migrations(tmp_path: Path) -> Path:
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory)
    return directory


def test_a_failing_migration_leaves_nothing_behind(
    empty_database: DatabaseTarget, tmp_path: Path
) -> None:
    url = empty_database.admin_url
    directory = _copy_migrations(tmp_path)
    bad = len(ALL) + 1
    (directory / f"{bad:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n"
    )
    with pytest.raises(psycopg.errors.UndefinedFunction):
        migrate.migrate(url, directory=directory)
    assert _applied_versions(url) == [m.version for m in ALL]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('half_done')").fetchone() == (None,)


def test_editing_an_applied_migration_is_refused(
    empty_database: DatabaseTarget, tmp_path: Path
) -> None:
    url = empty_database.admin_url
    migrate.migrate(url)
    directory = _copy_migrations(tmp_path)
    first = sorted(directory.glob("0001_*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited\n")
    with pytest.raises(migrate.MigrationError, match="changed after it was applied"):
        migrate.migrate(url, directory=directory)


def test_misnamed_or_duplicate_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0001_b.sql").write_text("SELECT 1;")
    with pytest.raises(migrate.MigrationError, match="used twice"):
        migrate.discover(tmp_path)
    (tmp_path / "0001_b.sql").unlink()
    (tmp_path / "2-oops.sql").write_text("SELECT 1;")
    with pytest.raises(migrate.MigrationError, match=r"NNNN_name\.sql"):
        migrate.discover(tmp_path)
