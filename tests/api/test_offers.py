"""A person's PPV offer over HTTP (POST /v1/fans/{id}/offers): it waits for approval like any
send, shows in the fan's drafts with its price, and once approved the outbox carries the media
at that price; bad media or prices are refused before anything is stored."""

import uuid

from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from tests.agent.rows import outbox
from tests.tools.world import Creator


def test_a_chatters_offer_waits_for_approval_then_goes_out_with_its_media_and_price(
    client: TestClient,
    database: DatabaseTarget,
    creator: Creator,
    chatter: dict[str, str],
    owner: dict[str, str],
) -> None:
    media = str(creator.media["Shower video"])
    sent = client.post(
        f"/v1/fans/{creator.fan}/offers",
        json={"media_id": media, "price": "24.99", "text": "made this one for you"},
        headers=chatter,
    )
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["state"] == "awaiting_approval"
    action = body["action"]
    assert action["action"] == "send_ppv_offer"
    assert action["args"] == {"media_id": media, "price": 24.99, "message": "made this one for you"}
    [waiting] = [
        d
        for d in client.get(f"/v1/fans/{creator.fan}/drafts", headers=chatter).json()
        if d["state"] == "awaiting_approval"
    ]
    assert waiting["send_text"] == "made this one for you"
    assert float(waiting["send_price"]) == 24.99
    assert outbox(database, creator.id) == []

    approved = client.post(f"/v1/approvals/{action['id']}/approve", headers=owner)
    assert approved.status_code == 200, approved.text
    assert approved.json()["action"]["status"] == "executed"
    [(text, media_id, price)] = outbox(database, creator.id)
    assert (text, str(media_id), float(price)) == ("made this one for you", media, 24.99)


def test_an_owners_offer_goes_out_at_once(
    client: TestClient, database: DatabaseTarget, creator: Creator, owner: dict[str, str]
) -> None:
    media = str(creator.media["Shower video"])
    sent = client.post(
        f"/v1/fans/{creator.fan}/offers",
        json={"media_id": media, "price": 20, "text": "for you"},
        headers=owner,
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["state"] == "executed"
    assert len(outbox(database, creator.id)) == 1


def test_bad_offers_are_refused_with_the_reason_and_store_nothing(
    client: TestClient, database: DatabaseTarget, creator: Creator, chatter: dict[str, str]
) -> None:
    media = str(creator.media["Shower video"])
    path = f"/v1/fans/{creator.fan}/offers"
    drafts = client.get(f"/v1/fans/{creator.fan}/drafts", headers=chatter).json()
    unknown = client.post(
        path, json={"media_id": str(uuid.uuid4()), "price": 10, "text": "hi"}, headers=chatter
    )
    assert unknown.status_code == 422
    assert "unknown media" in unknown.json()["error"]["message"]
    for bad in ({"price": 0}, {"price": -5}, {"price": 10**6}, {"text": ""}, {"extra": 1}):
        answer = client.post(
            path, json={"media_id": media, "price": 10, "text": "hi", **bad}, headers=chatter
        )
        assert answer.status_code == 422, bad
    assert client.get(f"/v1/fans/{creator.fan}/drafts", headers=chatter).json() == drafts
