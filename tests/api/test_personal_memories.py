"""Memories that carry a fan's personal data (where they live, their job, their real name, how
to reach them) are kept from chatters wherever memories are shown, as the dossier's personal
fields are; owners see them, and the agent still drafts with them."""

import json

from fastapi.testclient import TestClient

from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.tools.world import Creator

PERSONAL = [
    {"kind": "personal_detail", "body": "Moved to Lisbon", "subject": "city"},
    {"kind": "personal_detail", "body": "Works as a nurse", "subject": "job"},
    {"kind": "conversation_fact", "body": "Gave his email maxwell@example.org"},
]
PLAIN = {"kind": "personal_detail", "body": "Has a dog named Biscuit", "subject": "pet:dog"}
SECRETS = ("Lisbon", "nurse", "maxwell@")


def remember(client: TestClient, creator: Creator, headers: dict[str, str]) -> dict[str, str]:
    """The memory ids of PERSONAL and PLAIN, by body, added for the fan by an owner."""
    ids = {}
    for fact in (*PERSONAL, PLAIN):
        added = client.post(f"/v1/fans/{creator.fan}/memories", json=fact, headers=headers)
        assert added.status_code == 201, added.text
        ids[fact["body"]] = added.json()["memory"]["id"]
    return ids


def reads(client: TestClient, creator: Creator, headers: dict[str, str]) -> dict[str, str]:
    """Every read that shows the fan's memories, as the caller gets it: name -> response text."""
    base = f"/v1/fans/{creator.fan}/memories"
    responses = {
        "list": client.get(base, headers=headers),
        "search": client.post(
            f"{base}/search", json={"query": "where does he live and work?"}, headers=headers
        ),
        "across": client.post("/v1/memories/search", json={"query": "Lisbon"}, headers=headers),
        "dossier": client.get(f"/v1/fans/{creator.fan}", headers=headers),
    }
    assert all(r.status_code == 200 for r in responses.values()), responses
    return {name: response.text for name, response in responses.items()}


def test_chatters_see_no_personal_memory_and_owners_see_them_marked(
    client: TestClient, creator: Creator, owner: dict[str, str], chatter: dict[str, str]
) -> None:
    ids = remember(client, creator, owner)

    listed = client.get(f"/v1/fans/{creator.fan}/memories", headers=owner).json()
    assert {m["body"]: m["personal"] for m in listed} == {
        "Moved to Lisbon": True,
        "Works as a nurse": True,
        "Gave his email maxwell@example.org": True,
        "Has a dog named Biscuit": False,
    }
    as_owner = reads(client, creator, owner)
    assert all("Lisbon" in text for text in as_owner.values()), as_owner
    as_chatter = reads(client, creator, chatter)
    for name, text in as_chatter.items():
        assert not [s for s in SECRETS if s in text], (name, text)
    assert all("Biscuit" in as_chatter[name] for name in ("list", "search", "dossier"))

    history = f"/v1/memories/{ids['Moved to Lisbon']}/history"
    assert [m["body"] for m in client.get(history, headers=owner).json()] == ["Moved to Lisbon"]
    assert client.get(history, headers=chatter).json() == []


def test_a_chatter_replacing_a_personal_memory_does_not_see_the_old_one(
    client: TestClient, creator: Creator, owner: dict[str, str], chatter: dict[str, str]
) -> None:
    remember(client, creator, owner)
    moved = {"kind": "personal_detail", "body": "Lives in Porto", "subject": "city"}
    replaced = client.post(f"/v1/fans/{creator.fan}/memories", json=moved, headers=chatter)
    assert replaced.status_code == 201
    assert replaced.json()["outcome"] == "superseded"
    assert replaced.json()["replaced"] is None
    assert "Lisbon" not in replaced.text


def test_a_chatters_draft_shows_no_personal_memory_though_the_model_used_them(
    client: TestClient,
    model: ScriptedChatModel,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    remember(client, creator, owner)
    script = [
        calls(
            ("search_fan_memories", {"query": "where he lives and his dog"}),
            ("remember_fact", {"kind": "personal_detail", "fact": "Works at Harbour Clinic"}),
        ),
        says("hey you"),
    ]
    model.replies += script
    mine = client.post(f"/v1/fans/{creator.fan}/drafts", json={}, headers=owner)
    model.replies += script
    theirs = client.post(f"/v1/fans/{creator.fan}/drafts", json={}, headers=chatter)
    model.replies += script
    with client.stream(
        "POST",
        f"/v1/fans/{creator.fan}/drafts",
        json={},
        headers={**chatter, "Accept": "text/event-stream"},
    ) as response:
        *_, last = response.read().decode().strip().split("\n\n")
    streamed = json.loads(last.split("data: ", 1)[1])

    assert "Lisbon" in str(model.requests[-2].messages)  # the prompt had it, and the tool result
    assert "Lisbon" in str(model.requests[-1].messages)
    assert mine.status_code == theirs.status_code == 200
    assert "Lisbon" in mine.text and "Harbour Clinic" in mine.text
    for outcome in (theirs.json(), streamed):
        assert outcome["draft"] == "hey you"
        assert [m["body"] for m in outcome["memories"]] == ["Has a dog named Biscuit"]
        [search] = outcome["tool_calls"]
        assert search["name"] == "search_fan_memories"
        assert [m["fact"] for m in search["result"]["memories"]] == ["Has a dog named Biscuit"]
        assert not [s for s in (*SECRETS, "Harbour") if s in json.dumps(outcome)]
