from collections.abc import Iterator

import pytest

from db import migrate
from db.connect import DatabaseTarget
from tests.pg import fresh_database


@pytest.fixture(scope="session")
def database() -> Iterator[DatabaseTarget]:
    """One migrated database shared by the tests of a session."""
    with fresh_database("session") as target:
        migrate.migrate(target.admin_url)
        yield target


@pytest.fixture
def empty_database() -> Iterator[DatabaseTarget]:
    """A database of its own, not migrated, for tests of the migration runner."""
    with fresh_database("empty") as target:
        yield target
