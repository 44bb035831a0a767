"""Deliveries that are not signed by the creator's secret, in time, are refused with a 401 and
write nothing; refusals do not tell which creators exist."""

import json
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from crm.webhooks.signature import sign
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.webhooks.helpers import Creator, counts, event, message, new_creator, post

NOTHING = {
    "webhook_events": 0,
    "fan_profiles": 0,
    "fan_platform_accounts": 0,
    "fan_transactions": 0,
    "fan_subscriptions": 0,
    "fan_subscription_events": 0,
    "fan_messages": 0,
}


def refused(response: Response, reason: str) -> None:
    assert response.status_code == 401, response.text
    assert reason in message(response)
    assert response.headers["WWW-Authenticate"].startswith("Signature")


def same_refusal(one: Response, other: Response) -> None:
    """Identical answers but for the request id."""
    for response in (one, other):
        assert response.status_code == 401
    assert {**one.json(), "request_id": None} == {**other.json(), "request_id": None}
    assert one.headers["WWW-Authenticate"] == other.headers["WWW-Authenticate"]


def test_an_invalid_signature_is_refused_and_writes_nothing(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    tip = event("tip")
    wrong = "whsec_" + "x" * 43
    refused(post(client, creator.id, tip, wrong), "invalid signature")
    assert counts(database, creator.id) == NOTHING


def test_a_body_changed_after_signing_is_refused(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    signed = json.dumps(event("tip", amount="1.00")).encode()
    now = int(time.time())
    signature = sign(creator.secrets["onlyfans"], now, signed)
    tampered = signed.replace(b'"1.00"', b'"100.00"')
    response = post(client, creator.id, tampered, None, timestamp=now, signature=signature)
    refused(response, "invalid signature")
    # The same signature with a different timestamp does not hold either.
    response = post(client, creator.id, signed, None, timestamp=now - 1, signature=signature)
    refused(response, "invalid signature")
    assert counts(database, creator.id) == NOTHING


@pytest.mark.parametrize("age", [301, -301, 10**9])
def test_a_timestamp_outside_the_replay_window_is_refused(
    client: TestClient, database: DatabaseTarget, creator: Creator, age: int
) -> None:
    sent_at = int(time.time()) - age
    response = post(
        client, creator.id, event("tip"), creator.secrets["onlyfans"], timestamp=sent_at
    )
    refused(response, "replay window")
    assert counts(database, creator.id) == NOTHING


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"X-Fanagent-Signature": None}, "missing X-Fanagent-Signature"),
        ({"X-Fanagent-Signature": "sha1=abc"}, "sha256=<64 hex digits>"),
        ({"X-Fanagent-Signature": "sha256=" + "g" * 64}, "sha256=<64 hex digits>"),
        ({"X-Fanagent-Timestamp": None}, "missing X-Fanagent-Timestamp"),
        ({"X-Fanagent-Timestamp": "yesterday"}, "not a unix time"),
        ({"X-Fanagent-Timestamp": "1.5e9"}, "not a unix time"),
        ({"X-Fanagent-Creator": None}, "missing X-Fanagent-Creator"),
        ({"X-Fanagent-Creator": "alice"}, "not a creator id"),
    ],
)
def test_missing_or_malformed_headers_are_refused_with_the_reason(
    client: TestClient,
    database: DatabaseTarget,
    creator: Creator,
    headers: dict[str, str | None],
    reason: str,
) -> None:
    body = json.dumps(event("tip")).encode()
    now = int(time.time())
    sent = {
        "Content-Type": "application/json",
        "X-Fanagent-Creator": str(creator.id),
        "X-Fanagent-Timestamp": str(now),
        "X-Fanagent-Signature": sign(creator.secrets["onlyfans"], now, body),
    }
    for name, value in headers.items():
        if value is None:
            del sent[name]
        else:
            sent[name] = value
    refused(client.post("/v1/webhooks/onlyfans", content=body, headers=sent), reason)
    assert counts(database, creator.id) == NOTHING


def test_an_event_for_one_creator_signed_with_anothers_secret_is_refused(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    other = new_creator(database)
    tip = event("tip")
    refused(post(client, creator.id, tip, other.secrets["onlyfans"]), "invalid signature")
    refused(post(client, other.id, tip, creator.secrets["onlyfans"]), "invalid signature")
    # Nor does a secret of the right creator for another platform sign for this one.
    refused(post(client, creator.id, tip, creator.secrets["fansly"]), "invalid signature")
    assert counts(database, creator.id) == NOTHING
    assert counts(database, other.id) == NOTHING


def test_unknown_creators_and_platforms_without_a_secret_look_like_a_bad_signature(
    client: TestClient, creator: Creator
) -> None:
    tip = event("tip")
    secret = creator.secrets["onlyfans"]
    bad_signature = post(client, creator.id, tip, "whsec_" + "y" * 43)
    same_refusal(bad_signature, post(client, uuid.uuid4(), tip, secret))
    same_refusal(bad_signature, post(client, creator.id, tip, secret, platform="fanvue"))
    same_refusal(bad_signature, post(client, creator.id, tip, secret, platform="myspace"))


def test_the_replay_window_is_configurable(
    database: DatabaseTarget,
    embedder: LocalEmbedder,
    creator: Creator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FANAGENT_WEBHOOK_REPLAY_WINDOW_S", "30")
    secret = creator.secrets["onlyfans"]
    with TestClient(create_app(database, embedder=embedder)) as client:
        sent_at = int(time.time()) - 60
        refused(post(client, creator.id, event("tip"), secret, timestamp=sent_at), "30 s replay")
        assert post(client, creator.id, event("tip"), secret).status_code == 200
