"""A broadcast's approval where owners look for what waits: GET /v1/approvals lists its
`send_broadcast` row with a plain summary and no fan; approving it there is the broadcast's own
approval (the job worker sends it once, a second approval is a 409), rejecting it there sends
nothing, bulk decides it too, and a chatter sees none of it (403, as for every approval)."""

from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from agent.broadcast_jobs import send_due
from db.connect import creator_scope
from tests.api.test_broadcasts import segment, template
from tests.broadcasts.test_broadcasts import now
from tests.tools.world import Creator

__all__ = ["segment"]  # the fixture, used by name

DELIVERIES = "SELECT count(*) FROM message_broadcast_deliveries WHERE broadcast_id = %s"


@pytest.fixture
def broadcast(
    client: TestClient, owner: dict[str, str], creator: Creator, segment: str
) -> dict[str, Any]:
    made = template(client, owner)
    body = {
        "name": "Sunday drop",
        "template_id": made["id"],
        "segment_id": segment,
        "media_id": str(creator.media["Beach set"]),
        "price": "18.99",
        "exclude_messaged_hours": None,  # the world's fans were written to just now
        "exclude_buyers": False,
    }
    created = client.post("/v1/broadcasts", headers=owner, json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def deliveries(conn: psycopg.Connection[Any], creator: Creator, broadcast_id: str) -> int:
    with creator_scope(conn, creator.id):
        row = conn.execute(DELIVERIES, [broadcast_id]).fetchone()
    assert row is not None
    return int(row[0])


def test_a_waiting_broadcast_is_listed_with_its_summary_and_approved_there_once(
    client: TestClient,
    owner: dict[str, str],
    chatter: dict[str, str],
    creator: Creator,
    conn: psycopg.Connection[Any],
    broadcast: dict[str, Any],
) -> None:
    action_id = broadcast["hitl_action_id"]
    path = f"/v1/broadcasts/{broadcast['id']}"
    fans = client.post(f"{path}/dry-run", headers=owner).json()["would_queue"]
    assert fans >= 1
    listed = client.get("/v1/approvals?status=pending", headers=owner)
    assert listed.status_code == 200, listed.text
    [row] = [a for a in listed.json() if a["id"] == action_id]
    assert row["action"] == "send_broadcast" and row["fan_id"] is None
    assert row["fan_name"] is None and row["status"] == "pending"
    many = "fan" if fans == 1 else "fans"
    assert row["summary"] == (
        f"Send the broadcast 'Sunday drop' to {fans} {many} of 'everyone', "
        "offering 'Beach set' at $18.99"
    )
    one = client.get(f"/v1/approvals/{action_id}", headers=owner)
    assert one.status_code == 200, one.text
    assert one.json()["summary"] == row["summary"] and one.json()["args_schema"] is None
    fan_only = client.get(f"/v1/approvals?fan_id={creator.fan}", headers=owner).json()
    assert action_id not in {a["id"] for a in fan_only}

    assert client.get("/v1/approvals", headers=chatter).status_code == 403
    assert client.get(f"/v1/approvals/{action_id}", headers=chatter).status_code == 403
    assert client.post(f"/v1/approvals/{action_id}/approve", headers=chatter).status_code == 403
    edit = client.post(f"/v1/approvals/{action_id}/edit", headers=owner, json={"args": {}})
    assert edit.status_code == 422

    approved = client.post(f"/v1/approvals/{action_id}/approve", headers=owner)
    assert approved.status_code == 200, approved.text
    assert approved.json()["action"]["status"] == "approved"
    assert approved.json()["reply"] is None
    assert client.get(path, headers=owner).json()["status"] == "approved"
    again = client.post(f"/v1/approvals/{action_id}/approve", headers=owner)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    assert client.post(f"{path}/approve", headers=owner).status_code == 409

    send_due(conn, now)  # what a job worker does (other tests' broadcasts may be due too)
    sent = client.get(path, headers=owner).json()
    assert sent["status"] == "sent" and sent["queued"] == fans
    assert deliveries(conn, creator, broadcast["id"]) == sent["recipients"]
    send_due(conn, now)  # sent once: a second run writes nothing more
    assert deliveries(conn, creator, broadcast["id"]) == sent["recipients"]
    assert client.get(path, headers=owner).json() == sent
    settled = client.get(f"/v1/approvals/{action_id}", headers=owner).json()
    assert settled["status"] == "executed"
    assert settled["summary"].startswith(f"Send the broadcast 'Sunday drop' to {fans} ")


def test_a_broadcast_rejected_in_the_approvals_sends_nothing(
    client: TestClient,
    owner: dict[str, str],
    creator: Creator,
    conn: psycopg.Connection[Any],
    broadcast: dict[str, Any],
) -> None:
    action_id = broadcast["hitl_action_id"]
    rejected = client.post(
        f"/v1/approvals/{action_id}/reject", headers=owner, json={"reason": "not this week"}
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["action"]["status"] == "rejected"
    assert rejected.json()["action"]["decision_note"] == "not this week"
    send_due(conn, now)
    assert client.get(f"/v1/broadcasts/{broadcast['id']}", headers=owner).json()["status"] == (
        "rejected"
    )
    assert deliveries(conn, creator, broadcast["id"]) == 0
    again = client.post(f"/v1/approvals/{action_id}/approve", headers=owner)
    assert again.status_code == 409


def test_bulk_decides_a_broadcast_as_its_own_route_does(
    client: TestClient, owner: dict[str, str], broadcast: dict[str, Any]
) -> None:
    ids = [broadcast["hitl_action_id"]]
    first = client.post(
        "/v1/approvals/bulk", headers=owner, json={"ids": ids, "decision": "approve"}
    )
    assert first.status_code == 200, first.text
    assert first.json()["results"][0]["ok"] is True
    assert first.json()["results"][0]["status"] == "approved"
    second = client.post(
        "/v1/approvals/bulk", headers=owner, json={"ids": ids, "decision": "approve"}
    )
    assert second.json()["results"][0]["ok"] is False
    assert "already" in second.json()["results"][0]["error"]
