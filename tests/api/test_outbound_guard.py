"""The outbound guard on every path to a fan over HTTP: a send, an own reply, an approval (as
edited), the agent's own tool call. Each block is a 422 with the reason, nothing reaches the
outbox, and the owner reads the block in the guard's log. Scripted models, real PostgreSQL."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from agent.gate import queue
from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import outbox, rows
from tests.api.test_reply_loop import drafted
from tests.tools.world import Creator

VENMO = "venmo me $40 babe and it's yours"


def assert_blocked(response: Any, category: str, matched: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "blocked_by_outbound_guard"
    assert error["message"].startswith("blocked by the outbound guard: the message ")
    [detail] = error["details"]
    assert (detail["category"], detail["matched"]) == (category, matched)
    assert matched in detail["reason"] and detail["reason"] in error["message"]


def blocks(client: TestClient, owner: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get("/v1/outbound-guard/blocks", headers=owner)
    assert response.status_code == 200, response.text
    return list(response.json())


def actions(database: DatabaseTarget, creator: Creator) -> list[tuple[Any, ...]]:
    return rows(database, creator.id, "SELECT action, status FROM hitl_action_queue")


def test_a_send_asking_for_venmo_is_refused_logged_and_nothing_is_queued(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    model.replies += [says("hey you! not much, just chilling")]
    draft = drafted(client, creator, chatter)
    sent = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": VENMO}, headers=chatter
    )
    assert_blocked(sent, "off_platform_payment", "venmo")
    assert actions(database, creator) == [] and outbox(database, creator.id) == []
    [logged] = blocks(client, owner)
    assert (logged["path"], logged["body"], logged["fan_id"]) == ("send", VENMO, str(creator.fan))
    assert logged["category"] == "off_platform_payment" and logged["user_id"] is not None
    assert client.get(f"/v1/drafts/{draft['draft_id']}", headers=chatter).json()["state"] == "open"
    refused = client.get("/v1/outbound-guard/blocks", headers=chatter)
    assert refused.status_code == 403  # the log is the owner's and the managers'


def test_an_own_reply_with_a_phone_number_stores_no_draft(
    client: TestClient,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    drafts = "SELECT count(*) FROM fan_messages WHERE status = 'draft'"
    before = rows(database, creator.id, drafts)
    text = "text me at 555-123-4567 tonight"
    sent = client.post(f"/v1/fans/{creator.fan}/replies", json={"text": text}, headers=chatter)
    assert_blocked(sent, "off_platform_contact", "555-123-4567")
    assert rows(database, creator.id, drafts) == before
    assert [b["path"] for b in blocks(client, owner)] == ["send"]


def test_an_approval_edited_into_a_meeting_is_refused_and_the_action_stays_pending(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    model.replies += [says("hey you! not much, just chilling")]
    draft = drafted(client, creator, chatter)
    fine = "call me babe 😘 the full set is $25, pay per view, check your messages"
    sent = client.post(f"/v1/drafts/{draft['draft_id']}/send", json={"text": fine}, headers=chatter)
    assert sent.status_code == 200, sent.text  # none of it is off-platform
    action = sent.json()["action"]["id"]

    assert client.get(f"/v1/approvals/{action}", headers=owner).json()["outbound_guard"] is None
    meeting = {"text": "let's meet up at my place tonight"}
    edited = client.post(f"/v1/approvals/{action}/edit", json={"args": meeting}, headers=owner)
    assert_blocked(edited, "meeting_in_person", "meet up")
    assert client.get(f"/v1/approvals/{action}", headers=owner).json()["status"] == "pending"
    [logged] = blocks(client, owner)
    assert (logged["path"], logged["action_id"]) == ("approval", action)

    approved = client.post(f"/v1/approvals/{action}/approve", headers=owner)
    assert approved.status_code == 200, approved.text
    assert [body for body, _, _ in outbox(database, creator.id)] == [fine]


def test_the_agents_own_send_with_a_snapchat_handle_is_not_queued(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    snap = "add me on snap: ivy.h 😘"
    model.replies += [calls(("send_message", {"text": snap})), says("aw hey, how was your day?")]
    draft = drafted(client, creator, owner)
    assert draft["pending"] == []
    assert actions(database, creator) == [] and outbox(database, creator.id) == []
    told = model.requests[-1].messages[-1].content  # the model reads why
    assert "blocked by the outbound guard" in told and "add me on snap" in told
    [logged] = blocks(client, owner)
    assert (logged["path"], logged["body"], logged["category"]) == (
        "agent",
        snap,
        "off_platform_contact",
    )


def test_the_approver_reads_why_a_waiting_message_would_be_blocked(
    client: TestClient, database: DatabaseTarget, creator: Creator, owner: dict[str, str]
) -> None:
    """An action queued before the guard (or a rule) existed: listed with the guard's reason,
    and approving it as it is is refused."""
    proposal = queue.Proposal(
        fan_id=creator.fan,
        thread_id=f"old-{creator.fan}",
        tool_call_id="call-old",
        action="send_message",
        args={"text": "my insta is ivy.h, dm me there"},
        draft=None,
        reason="queued before the guard",
        requested_by=None,
        expires_at=FIXED_NOW + timedelta(hours=24),
    )
    with app_connection(database) as conn, creator_scope(conn, creator.id):
        action = queue.propose(conn, proposal)
    [listed] = client.get("/v1/approvals", headers=owner).json()
    assert listed["outbound_guard"] == 'moves the conversation off the platform ("my insta")'
    approved = client.post(f"/v1/approvals/{action.id}/approve", headers=owner)
    assert_blocked(approved, "off_platform_contact", "my insta")
    assert outbox(database, creator.id) == []
