"""POST /v1/approvals/bulk: each id decided as its own approve or reject route would, one
failing id stopping none of the others. Scripted model, real PostgreSQL."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import action_status, outbox
from tests.api.keys import bearer, key_for
from tests.api.test_drafts_and_approvals import draft, offer
from tests.tools.world import Creator, build_creator


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel([], otherwise=says("okay babe"))


def two_pending(
    client: TestClient, model: ScriptedChatModel, creator: Creator, headers: dict[str, str]
) -> list[str]:
    """Two actions of one draft waiting for approval: a PPV offer and a discount."""
    model.replies += [calls(offer(creator), ("offer_discount", {"percent": 10}))]
    pending = draft(client, creator, headers).json()["pending"]
    assert len(pending) == 2
    return [p["id"] for p in pending]


def bulk(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/v1/approvals/bulk", json=body, headers=headers)


def test_bulk_reject_rejects_both_pending_actions(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    ids = two_pending(client, model, creator, owner)
    response = bulk(client, owner, ids=ids, decision="reject", reason="not this week")
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": i, "ok": True, "status": "rejected", "error": None} for i in ids]
    }
    for action_id in ids:
        shown = client.get(f"/v1/approvals/{action_id}", headers=owner).json()
        assert (shown["status"], shown["decision_note"]) == ("rejected", "not this week")
    assert outbox(database, creator.id) == []


def test_a_mix_reports_the_decided_and_unknown_ids_and_approves_the_rest(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    first, second = two_pending(client, model, creator, owner)
    assert client.post(f"/v1/approvals/{first}/approve", headers=owner).status_code == 200
    other = build_creator(database)
    theirs = two_pending(client, model, other, bearer(key_for(database, other.id, "owner")))[0]
    missing = str(uuid.uuid4())

    response = bulk(client, owner, ids=[first, theirs, second, missing], decision="approve")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [first, theirs, second, missing]
    assert results[0] == {
        "id": first,
        "ok": False,
        "status": "executed",
        "error": f"action {first} was already executed",
    }
    assert results[1] == {
        "id": theirs,
        "ok": False,
        "status": None,
        "error": f"no queued action {theirs}",
    }
    assert results[2] == {"id": second, "ok": True, "status": "executed", "error": None}
    assert results[3]["ok"] is False and results[3]["error"] == f"no queued action {missing}"
    assert action_status(database, other.id, theirs) == "pending"  # another creator's: untouched
    assert len(outbox(database, creator.id)) == 1  # the offer, approved once


def test_chatters_cannot_decide_in_bulk(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    ids = two_pending(client, model, creator, owner)
    response = bulk(client, chatter, ids=ids, decision="approve")
    assert response.status_code == 403
    assert "chatters cannot" in response.json()["error"]["message"]
    assert [action_status(database, creator.id, i) for i in ids] == ["pending", "pending"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ids": [str(uuid.uuid4()) for _ in range(101)], "decision": "approve"}, "at most 100"),
        ({"ids": [], "decision": "approve"}, "at least 1"),
        ({"ids": [str(uuid.uuid4())], "decision": "reject"}, "a reason is required to reject"),
        ({"ids": [str(uuid.uuid4())], "decision": "reject", "reason": ""}, "at least 1"),
        (
            {"ids": [str(uuid.uuid4())], "decision": "approve", "reason": "why not"},
            "a reason is given only to reject",
        ),
        ({"ids": [str(uuid.uuid4())], "decision": "edit"}, "'approve' or 'reject'"),
        ({"ids": ["not-a-uuid"], "decision": "approve"}, "UUID"),
    ],
)
def test_invalid_bulk_bodies_are_a_422_with_the_reason(
    client: TestClient, owner: dict[str, str], body: dict[str, Any], message: str
) -> None:
    response = bulk(client, owner, **body)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert any(message in detail["message"] for detail in details), details
