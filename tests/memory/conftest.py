from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from db.connect import DatabaseTarget
from db.operator import app_connection
from memory.embeddings import LocalEmbedder
from memory.settings import MemorySettings


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    """The bundled MiniLM, loaded once for the whole session."""
    return LocalEmbedder()


@pytest.fixture
def settings() -> MemorySettings:
    """The documented defaults, whatever the environment says."""
    return MemorySettings.model_construct()


@pytest.fixture
def conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with app_connection(database) as conn:
        yield conn
