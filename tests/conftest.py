from collections.abc import Iterator

import pytest

from db import migrate
from db.connect import DatabaseTarget
from memory.embeddings import LocalEmbedder
from tests.pg import fresh_database
from tools.embedder import use_embedder


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
def embedder() -> Iterator[LocalEmbedder]:
    """The bundled MiniLM, loaded once, also installed as the memory tools' embedder."""
    local = LocalEmbedder()
    use_embedder(local)
    yield local
    use_embedder(None)
