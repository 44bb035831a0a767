"""Drafts and approvals over real HTTP handling: auth, roles, creator isolation, errors, SSE."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import executed, outbox
from tests.api.keys import bearer, key_for
from tests.tools.world import Creator, build_creator


def offer(creator: Creator, price: float = 15) -> tuple[str, dict[str, Any]]:
    media = str(creator.media["Shower video"])
    return "send_ppv_offer", {"media_id": media, "price": price, "message": "just for you"}


def draft(client: TestClient, creator: Creator, headers: dict[str, str], **body: Any) -> Any:
    """A draft answering `body`'s message; by default the fan's latest ("what's new today?")."""
    return client.post(f"/v1/fans/{creator.fan}/drafts", json=body, headers=headers)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing Authorization header"),
        ({"Authorization": "Basic abc"}, "must be 'Bearer <API key>'"),
        ({"Authorization": "Bearer fa_not_a_key"}, "unknown or revoked API key"),
    ],
)
def test_requests_without_a_valid_key_are_refused_with_the_reason(
    client: TestClient, creator: Creator, headers: dict[str, str], reason: str
) -> None:
    response = draft(client, creator, headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["error"]["code"] == "unauthenticated"
    assert reason in body["error"]["message"]
    assert body["request_id"] == response.headers["x-request-id"]


def test_a_chatter_drafts_and_the_gated_action_waits(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    chatter: dict[str, str],
) -> None:
    model.replies += [calls(offer(creator), text="something special for you")]
    response = draft(client, creator, chatter)
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "awaiting_approval"
    assert [p["action"] for p in body["pending"]] == ["send_ppv_offer"]
    assert body["intents"] and body["usage"]["model_calls"] == 1
    assert outbox(database, creator.id) == []


def test_chatters_cannot_see_or_decide_approvals(
    client: TestClient, model: ScriptedChatModel, creator: Creator, chatter: dict[str, str]
) -> None:
    model.replies += [calls(offer(creator))]
    action = draft(client, creator, chatter).json()["pending"][0]["id"]
    for response in (
        client.get("/v1/approvals", headers=chatter),
        client.get(f"/v1/approvals/{action}", headers=chatter),
        client.post(f"/v1/approvals/{action}/approve", headers=chatter),
    ):
        assert response.status_code == 403
        assert "chatters cannot" in response.json()["error"]["message"]


def test_approve_executes_once_and_a_second_approval_is_a_409(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    model.replies += [calls(offer(creator)), says("enjoy it babe")]
    action = draft(client, creator, owner).json()["pending"][0]["id"]
    listed = client.get("/v1/approvals", params={"status": "pending"}, headers=owner).json()
    assert [a["id"] for a in listed] == [action]
    first = client.post(f"/v1/approvals/{action}/approve", headers=owner)
    second = client.post(f"/v1/approvals/{action}/approve", headers=owner)
    assert first.status_code == 200
    assert first.json()["action"]["status"] == "executed"
    reply = first.json()["reply"]
    assert reply["outcome"] == "drafted" and reply["draft"] == "enjoy it babe"
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_decided"
    assert len(outbox(database, creator.id)) == 1 and len(executed(database, creator.id)) == 1
    shown = client.get(f"/v1/approvals/{action}", headers=owner).json()
    assert shown["status"] == "executed" and shown["result"]["status"] == "queued"
    assert shown["context"]["message"] == "what's new today?"
    assert "Name: Max" in shown["context"]["fan_summary"]


def test_edit_and_reject(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    model.replies += [calls(offer(creator)), says("done"), calls(offer(creator)), says("ok")]
    edited_id = draft(client, creator, owner).json()["pending"][0]["id"]
    bad = client.post(
        f"/v1/approvals/{edited_id}/edit", json={"args": {"price": -1}}, headers=owner
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_arguments"
    args = {**offer(creator)[1], "price": 30}
    good = client.post(f"/v1/approvals/{edited_id}/edit", json={"args": args}, headers=owner)
    assert good.status_code == 200
    [(_, _, price)] = outbox(database, creator.id)
    assert float(price) == 30

    rejected_id = draft(client, creator, owner).json()["pending"][0]["id"]
    reason = {"reason": "not today"}
    response = client.post(f"/v1/approvals/{rejected_id}/reject", json=reason, headers=owner)
    assert response.status_code == 200
    assert "not today" in model.tool_messages(-1)[0]
    assert len(outbox(database, creator.id)) == 1


def test_another_creators_fan_answers_404_like_a_fan_that_does_not_exist(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    other = build_creator(database)
    theirs = bearer(key_for(database, other.id, "owner"))
    foreign = client.post(f"/v1/fans/{creator.fan}/drafts", json={"text": "hi"}, headers=theirs)
    missing = client.post(
        "/v1/fans/00000000-0000-4000-8000-000000000000/drafts", json={"text": "hi"}, headers=theirs
    )
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"text": "hi", "message_id": "00000000-0000-4000-8000-000000000000"}, "body"),
        ({"text": "hi", "fan_id": "x"}, "body.fan_id"),
        ({"text": "x" * 20_001}, "body.text"),
        ({"message_id": "not-a-uuid"}, "body.message_id"),
    ],
)
def test_invalid_draft_bodies_are_a_422_with_the_field_path(
    client: TestClient, creator: Creator, owner: dict[str, str], body: Any, path: str
) -> None:
    response = client.post(f"/v1/fans/{creator.fan}/drafts", json=body, headers=owner)
    assert response.status_code == 422
    assert path in [detail["path"] for detail in response.json()["error"]["details"]]


def test_a_draft_streams_steps_tokens_and_the_outcome(
    client: TestClient, model: ScriptedChatModel, creator: Creator, owner: dict[str, str]
) -> None:
    model.replies += [says("hey you, long time no see")]
    headers = {**owner, "Accept": "text/event-stream"}
    with client.stream(
        "POST", f"/v1/fans/{creator.fan}/drafts", json={"text": "hello?"}, headers=headers
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [
            (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("data: ", 1)[1]))
            for block in response.read().decode().strip().split("\n\n")
        ]
    names = [name for name, _ in events]
    assert names[-1] == "outcome" and events[-1][1]["draft"] == "hey you, long time no see"
    steps = [data["step"] for name, data in events if name == "step"]
    assert steps[0] == "load_context" and steps[3:5] == ["suggest", "draft"]
    assert set(steps[1:3]) == {"recall", "classify"}  # side by side: either may finish first
    tokens = "".join(data["text"] for name, data in events if name == "token")
    assert tokens.strip() == "hey you, long time no see"


def test_classify_and_metrics(
    client: TestClient, creator: Creator, chatter: dict[str, str]
) -> None:
    response = client.post(
        f"/v1/fans/{creator.fan}/classify",
        json={"text": "how much for a custom vid?"},
        headers=chatter,
    )
    assert response.status_code == 200
    assert "wants_custom" in response.json()["detected"]
    metrics = client.get("/metrics").text
    assert (
        'fanagent_http_requests_total{method="POST",route="/v1/fans/{fan_id}/classify",status="200"}'
        in metrics
    )


def test_the_approval_policy_can_be_read_and_changed_by_managers_only(
    client: TestClient, owner: dict[str, str], chatter: dict[str, str]
) -> None:
    policy = client.get("/v1/policy", headers=owner).json()
    assert policy["send_ppv_offer"] is True and policy["add_fan_note"] is False
    change = {"requires_approval": True}
    assert client.put("/v1/policy/add_fan_note", json=change, headers=chatter).status_code == 403
    changed = client.put("/v1/policy/add_fan_note", json=change, headers=owner)
    assert changed.status_code == 200 and changed.json()["add_fan_note"] is True
    unknown = client.put("/v1/policy/get_fan_profile", json=change, headers=owner)
    assert unknown.status_code == 404 and "not an action" in unknown.json()["error"]["message"]
