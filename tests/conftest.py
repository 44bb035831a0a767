from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from auth.operator import app_connection
from db import migrate
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from tests.pg import fresh_database
from tests.tools.world import Creator, build_creator


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


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    """The bundled MiniLM, loaded once."""
    return LocalEmbedder()


@pytest.fixture
def conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    """The service's connection (app role, pgvector, autocommit)."""
    with app_connection(database) as conn:
        yield conn


@pytest.fixture
def creator_a(database: DatabaseTarget) -> Creator:
    """A creator with a small CRM (tests/tools/world.py)."""
    return build_creator(database)


@pytest.fixture
def creator_b(database: DatabaseTarget) -> Creator:
    """Another creator, whose rows creator A's runs must never reach."""
    return build_creator(database)
