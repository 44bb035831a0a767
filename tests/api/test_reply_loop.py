"""The reply loop over HTTP: draft a stored fan message (or preview free text), read the
conversation and the drafts, edit and send, approve, and a model that hangs fails in bounded
time. Scripted models, real PostgreSQL."""

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient

from agent.graph.deps import AgentLimits
from agent.llm.types import ChatResult
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from prompts.messages import ChatMessage
from server import create_app
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import fan_writes, outbox, rows
from tests.api.keys import bearer, key_for
from tests.api.test_drafts_and_approvals import offer
from tests.tools.world import Creator, build_creator


def inbound_count(database: DatabaseTarget, creator: Creator) -> int:
    [(count,)] = rows(
        database, creator.id, "SELECT count(*) FROM fan_messages WHERE direction = 'inbound'"
    )
    return int(count)


def drafted(client: TestClient, creator: Creator, headers: dict[str, str], **body: Any) -> Any:
    response = client.post(f"/v1/fans/{creator.fan}/drafts", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_preview_stores_no_message_and_supersedes_nothing(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    model.replies += [calls(offer(creator), text="something for you")]
    waiting = drafted(client, creator, owner)["pending"][0]["id"]
    before = inbound_count(database, creator)
    drafts = client.get(f"/v1/fans/{creator.fan}/drafts", headers=owner).json()

    model.replies += [says("aw hey, what are you up to")]
    preview = drafted(client, creator, owner, text="hey what's up")

    assert preview["draft"] == "aw hey, what are you up to"
    assert preview["message_id"] is None and preview["draft_id"] is None
    assert inbound_count(database, creator) == before
    assert client.get(f"/v1/approvals/{waiting}", headers=owner).json()["status"] == "pending"
    assert client.get(f"/v1/fans/{creator.fan}/drafts", headers=owner).json() == drafts


def test_a_preview_is_offered_no_action_that_writes(
    client: TestClient, model: ScriptedChatModel, creator: Creator, owner: dict[str, str]
) -> None:
    model.replies += [says("let me check what I have for you")]
    drafted(client, creator, owner, text="I want to buy your newest video, how much?")
    assert model.requests[-1].tools, "a buying question is offered the media tools"
    assert "send_ppv_offer" not in model.requests[-1].tools


def test_draft_edit_send_approve_puts_the_edited_text_in_the_outbox_once(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    model.replies += [says("hey you! not much, just chilling")]
    draft = drafted(client, creator, chatter)
    assert draft["message_id"] == str(creator.inbound)  # the fan's latest message
    edited = "hey you!! not much, just got back from the gym"

    sent = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": edited}, headers=chatter
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["state"] == "awaiting_approval"
    assert outbox(database, creator.id) == []
    action = sent.json()["action"]
    assert (action["action"], action["args"]["text"]) == ("send_message", edited)
    assert action["draft"] == "hey you! not much, just chilling"

    decided = client.post(f"/v1/approvals/{action['id']}/approve", headers=owner)
    assert decided.status_code == 200, decided.text
    assert decided.json()["action"]["status"] == "executed"
    assert decided.json()["reply"] is None  # the text sent is the reply
    assert [body for body, _, _ in outbox(database, creator.id)] == [edited]

    shown = client.get(f"/v1/drafts/{draft['draft_id']}", headers=chatter).json()
    assert shown["state"] == "sent"
    assert (shown["text"], shown["send_text"]) == ("hey you! not much, just chilling", edited)
    conversation = client.get(f"/v1/fans/{creator.fan}/messages", headers=chatter).json()
    newest, answered = conversation["items"][:2]
    assert answered["id"] == str(creator.inbound)  # the sent draft is not listed twice
    assert (newest["direction"], newest["status"], newest["body"]) == ("outbound", "queued", edited)
    assert newest["in_reply_to_id"] == str(creator.inbound)
    assert newest["approved_by"] is not None and newest["drafted_by"] is not None
    assert newest["approved_by"] != newest["drafted_by"]  # the chatter wrote, the owner approved

    again = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": edited}, headers=chatter
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_sendable"
    assert len(outbox(database, creator.id)) == 1


def test_a_policy_that_lets_chatters_send_puts_the_draft_in_the_outbox_at_once(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    change = {"requires_approval": False}
    assert client.put("/v1/policy/send_message", json=change, headers=owner).status_code == 200
    model.replies += [says("morning babe")]
    draft = drafted(client, creator, chatter)
    sent = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": "morning babe"}, headers=chatter
    )
    assert sent.json()["state"] == "executed"
    assert sent.json()["message"]["status"] == "queued"
    assert [body for body, _, _ in outbox(database, creator.id)] == ["morning babe"]


def test_an_owner_sends_without_asking_anyone(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    model.replies += [says("hi love")]
    draft = drafted(client, creator, owner)
    sent = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": "hi love"}, headers=owner
    )
    assert sent.json()["state"] == "executed"
    assert sent.json()["action"]["status"] == "executed"
    assert len(outbox(database, creator.id)) == 1


def test_a_draft_whose_fan_wrote_again_is_stale_and_is_not_sent(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    chatter: dict[str, str],
) -> None:
    model.replies += [says("hey you")]
    draft = drafted(client, creator, chatter)
    fan_writes(database, creator.id, creator.fan, "hello?? you there")
    sent = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": "hey you"}, headers=chatter
    )
    assert sent.status_code == 409
    assert "wrote again" in sent.json()["error"]["message"]
    shown = client.get(f"/v1/drafts/{draft['draft_id']}", headers=chatter).json()
    assert shown["state"] == "stale"
    assert outbox(database, creator.id) == []


def test_a_send_waiting_for_approval_goes_stale_when_the_fan_writes(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
    chatter: dict[str, str],
) -> None:
    model.replies += [says("hey you")]
    draft = drafted(client, creator, chatter)
    sent = client.post(
        f"/v1/drafts/{draft['draft_id']}/send", json={"text": "hey you"}, headers=chatter
    ).json()
    fan_writes(database, creator.id, creator.fan, "actually never mind")
    approve = client.post(f"/v1/approvals/{sent['action']['id']}/approve", headers=owner)
    assert approve.status_code == 409
    assert client.get(f"/v1/drafts/{draft['draft_id']}", headers=chatter).json()["state"] == "stale"
    assert outbox(database, creator.id) == []


def test_regenerate_gives_a_new_draft_for_the_same_message(
    client: TestClient, model: ScriptedChatModel, creator: Creator, chatter: dict[str, str]
) -> None:
    model.replies += [says("first try"), says("second try")]
    first = drafted(client, creator, chatter)
    second = client.post(f"/v1/drafts/{first['draft_id']}/regenerate", headers=chatter).json()
    assert second["draft"] == "second try" and second["draft_id"] != first["draft_id"]
    assert second["message_id"] == first["message_id"]
    listed = client.get(f"/v1/fans/{creator.fan}/drafts", headers=chatter).json()
    assert [d["text"] for d in listed] == ["second try", "first try", "an unsent draft"]
    assert [d["state"] for d in listed] == ["open", "open", "open"]


def test_the_conversation_pages_newest_first(
    client: TestClient, database: DatabaseTarget, creator: Creator, chatter: dict[str, str]
) -> None:
    path = f"/v1/fans/{creator.fan}/messages"
    first = client.get(path, params={"limit": 2}, headers=chatter).json()
    assert [m["body"] for m in first["items"]] == ["what's new today?", "an unsent draft"]
    rest = client.get(
        path, params={"limit": 2, "before": first["next_cursor"]}, headers=chatter
    ).json()
    assert [m["body"] for m in rest["items"]] == ["hey you!", "hi there"]
    assert rest["next_cursor"] is None
    assert all(m["body"] != "the other fan's secret" for m in first["items"] + rest["items"])
    bad = client.get(path, params={"before": str(creator.pending_request)}, headers=chatter)
    assert bad.status_code == 400


def test_another_creators_draft_answers_404(
    client: TestClient, model: ScriptedChatModel, database: DatabaseTarget, creator: Creator
) -> None:
    model.replies += [says("hey")]
    draft = drafted(client, creator, bearer(key_for(database, creator.id, "owner")))
    other = build_creator(database)
    theirs = bearer(key_for(database, other.id, "owner"))
    assert client.get(f"/v1/drafts/{draft['draft_id']}", headers=theirs).status_code == 404
    send = client.post(f"/v1/drafts/{draft['draft_id']}/send", json={"text": "x"}, headers=theirs)
    assert send.status_code == 404


class HangingModel(ScriptedChatModel):
    async def chat(self, messages: Sequence[ChatMessage], **_: Any) -> ChatResult:
        await asyncio.sleep(30)
        raise AssertionError("the budget should have stopped the run")


def test_a_hung_model_fails_the_draft_within_its_budget_and_keeps_the_message(
    database: DatabaseTarget, embedder: LocalEmbedder, creator: Creator
) -> None:
    app = create_app(
        database,
        chat_model=HangingModel([]),
        embedder=embedder,
        clock=lambda: FIXED_NOW,
        limits=AgentLimits(budget_s=0.5),
    )
    owner = bearer(key_for(database, creator.id, "owner"))
    message = fan_writes(database, creator.id, creator.fan, "are you there?")
    with TestClient(app) as client:
        started = time.perf_counter()
        response = client.post(
            f"/v1/fans/{creator.fan}/drafts", json={"message_id": str(message)}, headers=owner
        )
        waited = time.perf_counter() - started
        stream = client.post(
            f"/v1/fans/{creator.fan}/drafts",
            json={"message_id": str(message)},
            headers={**owner, "Accept": "text/event-stream"},
        )
    assert response.status_code == 504 and response.json()["error"]["code"] == "model_timeout"
    assert waited < 5
    assert "event: error" in stream.text and "did not finish within 0.5 s" in stream.text
    [(kept,)] = rows(database, creator.id, "SELECT body FROM fan_messages WHERE id = %s", message)
    assert kept == "are you there?"


def test_a_write_a_preview_calls_anyway_is_refused_and_nothing_is_queued(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    model.replies += [calls(offer(creator)), says("ok")]
    preview = drafted(client, creator, owner, text="got anything new?")
    assert preview["pending"] == [] and preview["tool_calls"][0]["status"] == "failed"
    assert "preview" in model.tool_messages(1)[0]
    assert rows(database, creator.id, "SELECT id FROM hitl_action_queue") == []


def test_the_fan_list_says_who_waits_for_a_reply(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    waiting = client.get("/v1/fans", params={"awaiting_reply": True}, headers=owner).json()
    assert {f["id"] for f in waiting["items"]} == {str(creator.fan), str(creator.other_fan)}
    assert all(f["awaiting_reply"] for f in waiting["items"])
    model.replies += [says("hey!")]
    draft = drafted(client, creator, owner)
    client.post(f"/v1/drafts/{draft['draft_id']}/send", json={"text": "hey!"}, headers=owner)
    after = client.get("/v1/fans", params={"awaiting_reply": True}, headers=owner).json()
    assert [f["id"] for f in after["items"]] == [str(creator.other_fan)]


def test_a_reply_a_person_writes_goes_through_the_same_gate(
    client: TestClient,
    database: DatabaseTarget,
    creator: Creator,
    chatter: dict[str, str],
    owner: dict[str, str],
) -> None:
    """No draft needed: a suggestion or the chatter's own text answers the fan's latest message,
    waits for the creator like any draft, and an owner's goes out at once."""
    replies = f"/v1/fans/{creator.fan}/replies"
    first = fan_writes(database, creator.id, creator.fan, "i miss you")

    waiting = client.post(replies, json={"text": "miss you more 🥺"}, headers=chatter)
    assert waiting.status_code == 200, waiting.text
    assert waiting.json()["state"] == "awaiting_approval"
    assert waiting.json()["action"]["args"] == {"text": "miss you more 🥺"}
    assert outbox(database, creator.id) == []

    sent = client.post(
        replies, json={"text": "thinking of you", "message_id": str(first)}, headers=owner
    )
    assert sent.json()["state"] == "executed"
    assert [body for body, _, _ in outbox(database, creator.id)] == ["thinking of you"]

    assert client.post(replies, json={"text": " "}, headers=chatter).status_code == 422
    other = build_creator(database)
    foreign = client.post(
        replies, json={"text": "hi", "message_id": str(other.inbound)}, headers=chatter
    )
    assert foreign.status_code == 404
