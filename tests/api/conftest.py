"""The API tests' fixtures: a creator with its demo world, its owner's and chatter's keys, and an
app whose model says what the test scripts (a test module may bring its own `client`)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel
from tests.api.keys import bearer, key_for
from tests.tools.world import Creator, build_creator


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel([])


@pytest.fixture
def client(
    database: DatabaseTarget, model: ScriptedChatModel, embedder: LocalEmbedder
) -> Iterator[TestClient]:
    app = create_app(database, chat_model=model, embedder=embedder, clock=lambda: FIXED_NOW)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def creator(database: DatabaseTarget) -> Creator:
    return build_creator(database)


@pytest.fixture
def owner(database: DatabaseTarget, creator: Creator) -> dict[str, str]:
    return bearer(key_for(database, creator.id, "owner"))


@pytest.fixture
def chatter(database: DatabaseTarget, creator: Creator) -> dict[str, str]:
    return bearer(key_for(database, creator.id, "chatter"))
