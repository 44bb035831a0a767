"""`GET /v1/me`: whom a key belongs to and the creators it may act for, and no other creator."""

import uuid
from collections.abc import Iterator
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient

from auth.keys import add_user, create_key
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.fakes import ScriptedChatModel
from tests.api.keys import bearer, key_for
from tests.memory.helpers import new_creator


@pytest.fixture(scope="module")
def client(database: DatabaseTarget, embedder: LocalEmbedder) -> Iterator[TestClient]:
    app = create_app(database, chat_model=ScriptedChatModel([]), embedder=embedder)
    with TestClient(app) as client:
        yield client


def handle(creator: UUID) -> str:
    """The handle tests.memory.helpers.new_creator gives."""
    return f"m{creator.hex[:12]}"


def test_the_owner_sees_their_user_and_creator(
    client: TestClient, database: DatabaseTarget
) -> None:
    creator, _ = new_creator(database, fans=1)
    new_creator(database, fans=1)  # someone else's
    response = client.get("/v1/me", headers=bearer(key_for(database, creator, "owner")))
    assert response.status_code == 200
    me = response.json()
    assert me["user"]["email"].startswith("owner-") and me["user"]["display_name"] == "Owner"
    assert me["creators"] == [
        {
            "id": str(creator),
            "handle": handle(creator),
            "display_name": "Creator",
            "role": "owner",
        }
    ]


def test_a_chatter_of_two_creators_sees_both_and_no_other(
    client: TestClient, database: DatabaseTarget
) -> None:
    first, second, other = (new_creator(database, fans=1)[0] for _ in range(3))
    email = f"chatter-{uuid.uuid4().hex[:10]}@example.com"
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        user = add_user(admin, email, "Agency Chatter", first, "chatter")
        add_user(admin, email, "Agency Chatter", second, "chatter")
        key = create_key(admin, email, "test")
    key_for(database, other, "owner")  # the other creator has people of its own
    me = client.get("/v1/me", headers=bearer(key)).json()
    assert me["user"] == {"id": str(user), "email": email, "display_name": "Agency Chatter"}
    assert sorted((c["id"], c["handle"], c["role"]) for c in me["creators"]) == sorted(
        (str(c), handle(c), "chatter") for c in (first, second)
    )


def test_without_a_key_it_is_401(client: TestClient) -> None:
    response = client.get("/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
