"""The automation rules over HTTP: an owner creates a win-back rule, runs it, reads its history
and approves what it queued; pausing stops it; a chatter may read but not create, pause or run;
bad input gets a 4xx that says what is wrong."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from auth.operator import app_connection
from crm.intelligence.segments import SegmentCreate, create_segment
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel
from tests.agent.rows import outbox
from tests.api.keys import bearer, key_for
from tests.automations.world import Fans, build, template

WIN_BACK: dict[str, Any] = {
    "name": "Win back",
    "trigger": {"kind": "expired", "within_days": 30},
    "actions": [
        {"kind": "discount", "percent": 20, "days": 3},
        {"kind": "message", "text": "i miss you! 20% off anything this week"},
    ],
    "autonomy": {"auto_approve": True, "max_discount": 25},
}


@pytest.fixture
def fans(database: DatabaseTarget) -> Fans:
    return build(database)


@pytest.fixture
def api(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    app = create_app(
        database, chat_model=ScriptedChatModel([]), embedder=embedder, clock=lambda: FIXED_NOW
    )
    owner = bearer(key_for(database, fans.creator, "owner"))
    chatter = bearer(key_for(database, fans.creator, "chatter"))
    with TestClient(app) as client:
        yield client, owner, chatter


def test_a_win_back_rule_runs_queues_for_approval_and_pauses(
    api: tuple[TestClient, dict[str, str], dict[str, str]], database: DatabaseTarget, fans: Fans
) -> None:
    client, owner, chatter = api
    assert client.post("/v1/automations/rules", json=WIN_BACK, headers=chatter).status_code == 403
    created = client.post("/v1/automations/rules", json=WIN_BACK, headers=owner)
    assert created.status_code == 201, created.text
    rule = created.json()
    assert rule["trigger"] == {"kind": "expired", "within_days": 30} and not rule["paused"]
    again = client.post("/v1/automations/rules", json=WIN_BACK, headers=owner)
    assert again.status_code == 409 and "exists" in again.json()["error"]["message"]

    base = f"/v1/automations/rules/{rule['id']}"
    assert client.post(f"{base}/run", headers=chatter).status_code == 403
    ran = client.post(f"{base}/run", headers=owner).json()
    assert (ran["fired"], ran["outcome"], ran["auto_approved"]) == (1, "succeeded", [])
    [run] = client.get(f"{base}/runs", headers=chatter).json()
    assert (run["id"], run["matched_fan_count"]) == (ran["run_id"], 1)
    done = client.get(f"/v1/automations/runs/{run['id']}/actions", headers=owner).json()
    assert [(a["display_name"], a["action"], a["outcome"]) for a in done] == [
        ("expired", "discount", "queued"),
        ("expired", "message", "queued"),
    ]
    assert {a["detail"]["why"] for a in done} == {"the fan is churning by cancellation"}

    shown = client.get(f"/v1/approvals/{done[1]['detail']['hitl_action_id']}", headers=owner)
    assert shown.status_code == 200, shown.text
    assert "The automation rule 'Win back' (expired) fired" in shown.json()["reason"]
    for action in done:
        approved = client.post(
            f"/v1/approvals/{action['detail']['hitl_action_id']}/approve", headers=owner
        )
        assert approved.json()["action"]["status"] == "executed", approved.text
    assert outbox(database, fans.creator) == [(WIN_BACK["actions"][1]["text"], None, None)]

    assert client.post(f"{base}/pause", headers=chatter).status_code == 403
    assert client.post(f"{base}/pause", headers=owner).json()["paused"] is True
    paused = client.post(f"{base}/run", headers=owner)
    assert paused.status_code == 409 and "paused" in paused.json()["error"]["message"]
    assert client.post(f"{base}/resume", headers=owner).json()["paused"] is False


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"trigger": {"kind": "birthday"}}, "trigger"),
        ({"trigger": {"kind": "expiring", "days": 0}}, "days"),
        ({"actions": []}, "actions"),
        ({"actions": [{"kind": "discount", "percent": 95}]}, "percent"),
        ({"conditions": {"field": "favourite_colour", "op": "eq", "value": "red"}}, "unknown"),
        ({"autonomy": {"quiet_hours": {"start": 25, "end": 3}}}, "start"),
        ({"trigger": {"kind": "segment_entered"}}, "segment_id"),
        ({"trigger": {"kind": "segment_entered", "segment_id": "vip"}}, "segment_id"),
        ({"trigger": {"kind": "trial_started", "within_days": 0}}, "within_days"),
        ({"trigger": {"kind": "trial_converted", "within_days": 31}}, "within_days"),
    ],
)
def test_bad_rules_get_a_422_that_says_why(
    api: tuple[TestClient, dict[str, str], dict[str, str]], change: dict[str, Any], words: str
) -> None:
    client, owner, _ = api
    answer = client.post("/v1/automations/rules", json=WIN_BACK | change, headers=owner)
    assert answer.status_code == 422
    assert words in answer.text


def test_an_unknown_rule_is_404(api: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, owner, _ = api
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/v1/automations/rules/{missing}", headers=owner).status_code == 404
    assert client.get(f"/v1/automations/runs/{missing}/actions", headers=owner).status_code == 404


def test_a_message_template_must_be_the_creators(
    api: tuple[TestClient, dict[str, str], dict[str, str]], database: DatabaseTarget
) -> None:
    client, owner, _ = api
    mine = client.post("/v1/templates", headers=owner, json={"name": "hi", "body": "hi {fan_name}"})
    assert mine.status_code == 201, mine.text
    theirs = template(database, build(database).creator, "hi {fan_name}")
    for template_id, code in ((uuid.uuid4(), 422), (theirs, 422), (mine.json()["id"], 201)):
        rule = WIN_BACK | {
            "name": f"Win back {template_id}",
            "actions": [{"kind": "message", "template_id": str(template_id)}],
        }
        answer = client.post("/v1/automations/rules", json=rule, headers=owner)
        assert answer.status_code == code, answer.text
    assert (
        "no template"
        in client.post(
            "/v1/automations/rules",
            json=WIN_BACK | {"actions": [{"kind": "message", "template_id": str(theirs)}]},
            headers=owner,
        ).json()["error"]["message"]
    )


def test_a_segment_entered_trigger_needs_one_of_the_creators_segments(
    api: tuple[TestClient, dict[str, str], dict[str, str]], database: DatabaseTarget
) -> None:
    client, owner, _ = api
    rules = {"field": "lifetime_spend", "op": "gte", "value": 500}
    mine = client.post("/v1/segments", headers=owner, json={"name": "big", "rules": rules})
    assert mine.status_code == 201, mine.text
    other = build(database).creator
    with app_connection(database) as conn, creator_scope(conn, other):
        theirs = create_segment(conn, SegmentCreate.model_validate({"name": "big", "rules": rules}))
    for segment_id, code in ((uuid.uuid4(), 422), (theirs.id, 422), (mine.json()["id"], 201)):
        rule = WIN_BACK | {
            "name": f"Welcome to big {segment_id}",
            "trigger": {"kind": "segment_entered", "segment_id": str(segment_id)},
        }
        answer = client.post("/v1/automations/rules", json=rule, headers=owner)
        assert answer.status_code == code, answer.text
        if code == 422:
            assert "no segment" in answer.json()["error"]["message"]
        else:
            assert answer.json()["trigger"]["segment_id"] == str(segment_id)
