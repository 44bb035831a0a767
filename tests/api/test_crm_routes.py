"""Fans, memories and personas over HTTP: what each role sees, isolation, errors."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.fakes import ScriptedChatModel
from tests.api.keys import bearer, key_for
from tests.tools.world import Creator, build_creator


@pytest.fixture(scope="module")
def client(database: DatabaseTarget, embedder: LocalEmbedder) -> Iterator[TestClient]:
    app = create_app(database, chat_model=ScriptedChatModel([]), embedder=embedder)
    with TestClient(app) as client:
        yield client


def test_fan_list_searches_filters_and_pages(
    client: TestClient, creator: Creator, owner: dict[str, str]
) -> None:
    everyone = client.get("/v1/fans", headers=owner).json()["items"]
    assert [f["display_name"] for f in everyone] == ["Max", "Other"]  # biggest spender first
    first = client.get("/v1/fans", params={"limit": 1}, headers=owner).json()
    second = client.get(
        "/v1/fans", params={"limit": 1, "cursor": first["next_cursor"]}, headers=owner
    ).json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [f["id"] for f in everyone]
    assert second["next_cursor"] is None
    assert [
        f["display_name"]
        for f in client.get("/v1/fans", params={"q": "ma"}, headers=owner).json()["items"]
    ] == ["Max"]
    assert [
        f["display_name"]
        for f in client.get("/v1/fans", params={"tag": "whale"}, headers=owner).json()["items"]
    ] == ["Max"]
    assert client.get("/v1/fans", params={"stage": "churned"}, headers=owner).json()["items"] == []
    bad = client.get("/v1/fans", params={"cursor": "garbage"}, headers=owner)
    assert bad.status_code == 400 and "cursor" in bad.json()["error"]["message"]
    assert client.get("/v1/fans", params={"stage": "vip"}, headers=owner).status_code == 422


def test_the_dossier_hides_personal_data_from_chatters(
    client: TestClient, creator: Creator, owner: dict[str, str], chatter: dict[str, str]
) -> None:
    as_owner = client.get(f"/v1/fans/{creator.fan}", headers=owner).json()
    as_chatter = client.get(f"/v1/fans/{creator.fan}", headers=chatter)
    assert as_owner["personal"]["email"] == "max@example.com"
    assert as_chatter.status_code == 200
    assert as_chatter.json()["personal"] is None
    for secret in ("max@example.com", "Maximilian Secret", "+1555", "Berlin"):
        assert secret not in as_chatter.text
    assert as_owner["profile"]["display_name"] == "Max"
    assert {p["kind"] for p in as_owner["purchase_summary"]} == {"subscription", "ppv", "tip"}


def test_another_creators_ids_are_404(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    other = build_creator(database)
    theirs = bearer(key_for(database, other.id, "owner"))
    for path in (
        f"/v1/fans/{creator.fan}",
        f"/v1/fans/{creator.fan}/memories",
        f"/v1/fans/{creator.fan}/persona",
    ):
        response = client.get(path, headers=theirs)
        assert response.status_code == 404, path
    names = [f["display_name"] for f in client.get("/v1/fans", headers=theirs).json()["items"]]
    assert str(creator.fan) not in str(names)


def test_memories_add_edit_history_search_delete(
    client: TestClient, creator: Creator, chatter: dict[str, str]
) -> None:
    base = f"/v1/fans/{creator.fan}/memories"
    added = client.post(
        base,
        json={"kind": "personal_detail", "body": "Has a dog named Biscuit", "subject": "pet:dog"},
        headers=chatter,
    )
    assert added.status_code == 201 and added.json()["outcome"] == "added"
    memory = added.json()["memory"]["id"]
    again = client.post(
        base, json={"kind": "personal_detail", "body": "Has a dog named Biscuit"}, headers=chatter
    )
    assert again.json()["outcome"] == "duplicate"
    edited = client.put(
        f"/v1/memories/{memory}",
        json={"kind": "personal_detail", "body": "Has a dog named Pepper", "subject": "pet:dog"},
        headers=chatter,
    )
    assert edited.status_code == 200
    history = client.get(f"/v1/memories/{edited.json()['id']}/history", headers=chatter).json()
    assert [m["body"] for m in history] == ["Has a dog named Biscuit", "Has a dog named Pepper"]
    stale = client.put(
        f"/v1/memories/{memory}", json={"kind": "personal_detail", "body": "x"}, headers=chatter
    )
    assert stale.status_code == 409
    found = client.post(f"{base}/search", json={"query": "his dog?"}, headers=chatter).json()
    assert found[0]["memory"]["body"] == "Has a dog named Pepper"
    across = client.post("/v1/memories/search", json={"query": "Pepper"}, headers=chatter)
    assert [m["fan_id"] for m in across.json()] == [str(creator.fan)]
    assert client.delete(f"/v1/memories/{edited.json()['id']}", headers=chatter).status_code == 204
    assert client.get(base, headers=chatter).json() == []
    invalid = client.post(base, json={"kind": "gossip", "body": ""}, headers=chatter)
    assert {d["path"] for d in invalid.json()["error"]["details"]} == {"body.kind", "body.body"}


def test_the_memory_search_path_is_never_taken_for_a_memory_id(
    client: TestClient, chatter: dict[str, str]
) -> None:
    fact = {"kind": "preference", "body": "Likes jazz"}
    for method, body in (("PUT", fact), ("DELETE", None), ("GET", None)):
        response = client.request(method, "/v1/memories/search", json=body, headers=chatter)
        assert response.status_code == 405, (method, response.text)
        assert response.json()["error"]["code"] == "method_not_allowed"
    for path in ("/v1/memories/search/history", "/v1/memories/not-an-id/history"):
        response = client.get(path, headers=chatter)
        assert response.status_code == 404, (path, response.text)


def test_personas_read_by_all_changed_by_managers(
    client: TestClient, creator: Creator, owner: dict[str, str], chatter: dict[str, str]
) -> None:
    path = f"/v1/fans/{creator.fan}/persona"
    assert client.get(path, headers=chatter).json()["source"] == "builtin"
    persona = {"name": "Flirty", "vocabulary_avoid": ["daddy"], "max_emoji": 1}
    assert client.put(path, json=persona, headers=chatter).status_code == 403
    saved = client.put(path, json=persona, headers=owner)
    assert saved.status_code == 200 and saved.json()["source"] == "fan"
    assert "daddy" in saved.json()["prompt_text"]
    bad = client.put(path, json={**persona, "warmth": 3}, headers=owner)
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "body.warmth"
    assert client.delete(path, headers=owner).status_code == 204
    assert client.get(path, headers=owner).json()["source"] == "builtin"
    default = client.put("/v1/persona", json={"name": "House voice"}, headers=owner)
    assert default.json()["source"] == "creator"
    assert client.get(path, headers=chatter).json()["persona"]["name"] == "House voice"


@pytest.mark.parametrize("blank", [" ", "\t", "\u000b", "\u001c\u3000 \n"])
def test_a_blank_memory_body_is_422_with_its_path(
    client: TestClient, creator: Creator, chatter: dict[str, str], blank: str
) -> None:
    fact = {"kind": "personal_detail", "body": blank}
    added = client.post(f"/v1/fans/{creator.fan}/memories", json=fact, headers=chatter)
    memory = client.post(
        f"/v1/fans/{creator.fan}/memories",
        json={"kind": "preference", "body": "  Likes jazz\t"},
        headers=chatter,
    ).json()["memory"]
    edited = client.put(f"/v1/memories/{memory['id']}", json=fact, headers=chatter)

    assert memory["body"] == "Likes jazz"
    for response in (added, edited):
        assert response.status_code == 422
        assert [d["path"] for d in response.json()["error"]["details"]] == ["body.body"]
