"""Templates and broadcasts over HTTP: a template with an unknown variable is a 422 with the
reason, a chatter cannot create, dry-run, approve or list broadcasts (403), the owner creates,
dry-runs (count and samples) and approves once (a second approval is a 409), bad input is a 4xx."""

from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from agent.broadcast_jobs import send_due
from crm.intelligence.segments import RuleSet, SegmentCreate, create_segment
from db.connect import DatabaseTarget, creator_scope
from tests.api.keys import bearer, key_for
from tests.broadcasts.test_broadcasts import now
from tests.tools.world import Creator

BODY = "hey {fan_name}, {memory|missing you} 😘 {media_title} for {media_price}"


@pytest.fixture
def segment(conn: psycopg.Connection[Any], creator: Creator) -> str:
    with creator_scope(conn, creator.id):
        everyone = RuleSet.model_validate({"all": []})
        return str(create_segment(conn, SegmentCreate(name="everyone", rules=everyone)).id)


def template(client: TestClient, owner: dict[str, str], body: str = BODY) -> dict[str, Any]:
    answer = client.post("/v1/templates", headers=owner, json={"name": "drop", "body": body})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_a_template_naming_an_unknown_or_personal_variable_is_refused(
    client: TestClient, owner: dict[str, str]
) -> None:
    for body in ("hi {real_name}", "hi {email}", "{fan_name} {price}"):
        answer = client.post("/v1/templates", headers=owner, json={"name": "x", "body": body})
        assert answer.status_code == 422
        assert "unknown variable" in answer.json()["error"]["message"]
    created = template(client, owner)
    assert created["variables"] == ["fan_name", "memory", "media_title", "media_price"]
    again = client.post("/v1/templates", headers=owner, json={"name": "drop", "body": "hi"})
    assert again.status_code == 409
    bad = client.post("/v1/templates", headers=owner, json={"name": "y", "body": "hi", "tone": 3})
    assert bad.status_code == 422


def test_a_template_renders_for_one_fan_with_that_fans_data(
    client: TestClient, owner: dict[str, str], chatter: dict[str, str], creator: Creator
) -> None:
    made = template(client, owner, "hey {fan_name}, {memory|hi}")
    answer = client.post(
        f"/v1/templates/{made['id']}/preview", headers=chatter, json={"fan_id": str(creator.fan)}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["text"].startswith("hey Max, ")
    assert (
        client.post("/v1/templates", headers=chatter, json={"name": "c", "body": "hi"}).status_code
        == 403
    )


def test_the_owner_creates_dry_runs_and_approves_a_broadcast_once(
    client: TestClient,
    owner: dict[str, str],
    chatter: dict[str, str],
    creator: Creator,
    segment: str,
    conn: psycopg.Connection[Any],
) -> None:
    made = template(client, owner)
    body = {
        "name": "Beach drop",
        "template_id": made["id"],
        "segment_id": segment,
        "media_id": str(creator.media["Beach set"]),
        "price": "19.99",
        "exclude_messaged_hours": None,  # the world's fans were written to just now
        "exclude_buyers": False,
    }
    assert client.post("/v1/broadcasts", headers=chatter, json=body).status_code == 403
    created = client.post("/v1/broadcasts", headers=owner, json=body)
    assert created.status_code == 201, created.text
    broadcast = created.json()
    assert broadcast["status"] == "awaiting_approval"
    path = f"/v1/broadcasts/{broadcast['id']}"
    assert client.post(f"{path}/dry-run", headers=chatter).status_code == 403
    run = client.post(f"{path}/dry-run", headers=owner)
    assert run.status_code == 200, run.text
    assert run.json()["recipients"] >= 1
    assert run.json()["samples"][0]["text"].endswith("Beach set for $19.99")
    assert client.post(f"{path}/approve", headers=chatter).status_code == 403
    assert client.get("/v1/broadcasts", headers=chatter).status_code == 403
    assert client.get(f"{path}/deliveries", headers=chatter).status_code == 403
    approved = client.post(f"{path}/approve", headers=owner)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert client.post(f"{path}/approve", headers=owner).status_code == 409
    send_due(conn, now)
    sent = client.get(path, headers=owner).json()
    assert sent["status"] == "sent"
    page = client.get(f"{path}/deliveries?limit=50", headers=owner).json()
    assert len(page) == sent["recipients"]
    assert "email" not in page[0] and "real_name" not in page[0]
    assert client.get(f"{path}/deliveries?limit=500", headers=owner).status_code == 422


def test_bad_broadcasts_are_4xx_never_500(
    client: TestClient,
    owner: dict[str, str],
    creator: Creator,
    segment: str,
    database: DatabaseTarget,
) -> None:
    made = template(client, owner)
    base = {"name": "x", "template_id": made["id"], "segment_id": segment}
    no_media = client.post("/v1/broadcasts", headers=owner, json=base)
    assert no_media.status_code == 422
    assert "offer media" in no_media.json()["error"]["message"]
    for changes in (
        {"segment_id": "00000000-0000-0000-0000-000000000000"},
        {"template_id": "00000000-0000-0000-0000-000000000000"},
        {"media_id": "00000000-0000-0000-0000-000000000000"},
        {"price": "-1"},
        {"exclude_messaged_hours": 0},
        {"scheduled_at": "2026-01-01T00:00:00"},
        {"surprise": 1},
    ):
        answer = client.post("/v1/broadcasts", headers=owner, json={**base, **changes})
        assert answer.status_code == 422, (changes, answer.text)
    other = bearer(key_for(database, creator.id, "owner"))
    missing = client.post(
        "/v1/broadcasts/00000000-0000-0000-0000-000000000000/approve", headers=other
    )
    assert missing.status_code == 404
