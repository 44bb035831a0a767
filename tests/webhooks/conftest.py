from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.webhooks.helpers import Creator, new_creator


@pytest.fixture(scope="module")
def client(database: DatabaseTarget, embedder: LocalEmbedder) -> Iterator[TestClient]:
    """The whole app (the agent's lifespan too; its chat model loads only when called)."""
    with TestClient(create_app(database, embedder=embedder)) as client:
        yield client


@pytest.fixture
def creator(database: DatabaseTarget) -> Creator:
    return new_creator(database, ("onlyfans", "fansly"))
