"""Approvals a person can read: every action shows its fan's display name and a one-sentence
summary of what runs (the edited arguments, once edited); one action also shows the JSON schema
of its arguments, for an edit form. Scripted model, real PostgreSQL."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.api.test_drafts_and_approvals import draft, offer
from tests.tools.world import Creator

PERSONAL = ("Maximilian", "max@example.com", "+1555", "Berlin", "maxx_insta")


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel([], otherwise=says("enjoy it babe"))


def discount(creator: Creator) -> tuple[str, dict[str, Any]]:
    return "offer_discount", {"percent": 20, "media_id": str(creator.media["Whisper audio"])}


def test_listed_and_shown_actions_name_the_fan_and_say_what_they_do(
    client: TestClient, model: ScriptedChatModel, creator: Creator, owner: dict[str, str]
) -> None:
    model.replies += [calls(offer(creator, price=24.99), discount(creator))]
    pending = draft(client, creator, owner).json()["pending"]
    listed = client.get("/v1/approvals", params={"status": "pending"}, headers=owner)
    assert listed.status_code == 200
    by_action = {a["action"]: a for a in listed.json()}
    assert {a["fan_name"] for a in listed.json()} == {"Max"}
    assert by_action["send_ppv_offer"]["summary"] == (
        "Send the PPV 'Shower video' to Max for $24.99"
    )
    assert by_action["offer_discount"]["summary"] == (
        "Offer Max 20% off the PPV 'Whisper audio', for 3 days"
    )
    for personal in PERSONAL:
        assert personal not in listed.text

    offered = next(p["id"] for p in pending if p["action"] == "send_ppv_offer")
    shown = client.get(f"/v1/approvals/{offered}", headers=owner).json()
    assert shown["fan_name"] == "Max"
    assert shown["summary"] == by_action["send_ppv_offer"]["summary"]
    schema = shown["args_schema"]
    assert set(schema["properties"]) == {"media_id", "price", "message"}
    assert set(schema["required"]) == {"media_id", "price", "message"}
    assert schema["properties"]["price"]["maximum"] > 0


def test_a_decision_answers_the_summary_of_what_ran(
    client: TestClient, model: ScriptedChatModel, creator: Creator, owner: dict[str, str]
) -> None:
    model.replies += [calls(offer(creator))]
    action = draft(client, creator, owner).json()["pending"][0]["id"]
    edited = {**offer(creator)[1], "price": 30}
    decided = client.post(f"/v1/approvals/{action}/edit", json={"args": edited}, headers=owner)
    assert decided.status_code == 200
    assert decided.json()["action"]["status"] == "executed"
    assert decided.json()["action"]["summary"] == "Send the PPV 'Shower video' to Max for $30"
    listed = client.get("/v1/approvals", params={"status": "executed"}, headers=owner).json()
    assert [a["summary"] for a in listed] == ["Send the PPV 'Shower video' to Max for $30"]


def test_a_chatters_send_reads_as_a_reply_to_the_fan(
    client: TestClient, model: ScriptedChatModel, creator: Creator, chatter: dict[str, str]
) -> None:
    model.replies += [says("hey you, long time")]
    drafted = draft(client, creator, chatter).json()
    sent = client.post(
        f"/v1/drafts/{drafted['draft_id']}/send", json={"text": "hey you!"}, headers=chatter
    )
    assert sent.status_code == 200
    action = sent.json()["action"]
    assert sent.json()["state"] == "awaiting_approval"
    assert (action["fan_name"], action["summary"]) == ("Max", "Send this reply to Max")
