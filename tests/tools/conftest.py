from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from db.connect import DatabaseTarget
from db.operator import app_connection
from memory.embeddings import LocalEmbedder
from tests.tools.world import Creator, build_creator
from tools.embedder import use_embedder


@pytest.fixture(scope="session")
def embedder() -> Iterator[LocalEmbedder]:
    """The bundled MiniLM, loaded once, installed as the memory tools' embedder."""
    local = LocalEmbedder()
    use_embedder(local)
    yield local
    use_embedder(None)


@pytest.fixture
def conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with app_connection(database) as conn:
        yield conn


@pytest.fixture
def creator_a(database: DatabaseTarget) -> Creator:
    return build_creator(database)


@pytest.fixture
def creator_b(database: DatabaseTarget) -> Creator:
    return build_creator(database)
