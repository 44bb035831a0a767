"""Signed bodies that are not valid events answer 422 with the path of each problem, and write
nothing; none of them is a 500."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from tests.webhooks.helpers import Creator, counts, event, field_paths, message, post


def without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


CASES: list[tuple[str, bytes | dict[str, Any], list[str]]] = [
    ("not json", b"{not json", ["body"]),
    ("an array", b"[1, 2]", ["body"]),
    ("no type", without(event("tip"), "type"), ["body.type"]),
    ("unknown type", event("tip", type="refund_request"), ["body.type"]),
    ("negative tip", event("tip", amount=-1), ["body.amount"]),
    ("sub-cent tip", event("tip", amount="1.005"), ["body.amount"]),
    ("too much money", event("tip", amount="123456789.00"), ["body.amount"]),
    ("tip as text", event("tip", amount="lots"), ["body.amount"]),
    ("lower-case currency", event("tip", currency="usd"), ["body.currency"]),
    ("no fan id", event("tip", fan={"username": "maxx"}), ["body.fan.id"]),
    ("empty fan id", event("tip", fan={"id": ""}), ["body.fan.id"]),
    ("naive time", event("tip", occurred_at="2025-06-01T12:00:00"), ["body.occurred_at"]),
    ("no event id", without(event("tip"), "id"), ["body.id"]),
    ("event id with spaces", event("tip", id="evt 1"), ["body.id"]),
    ("no action", without(event("subscription"), "action"), ["body.action"]),
    ("unknown action", event("subscription", action="paused"), ["body.action"]),
    ("new without price", without(event("subscription"), "price"), ["body.price"]),
    ("unknown kind", event("transaction", kind="gift"), ["body.kind"]),
    ("bad media id", event("ppv_unlock", media_id="beach-set"), ["body.media_id"]),
    ("empty message", event("message", body=""), ["body.body"]),
    ("huge message", event("message", body="x" * 20001), ["body.body"]),
    ("NUL in a message", event("message", body="a\u0000b"), ["body"]),
    ("two problems", event("tip", amount=-1, currency="usd"), ["body.amount", "body.currency"]),
]


@pytest.mark.parametrize(("body", "paths"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_invalid_body_answers_422_with_the_field_paths(
    client: TestClient,
    database: DatabaseTarget,
    creator: Creator,
    body: bytes | dict[str, Any],
    paths: list[str],
) -> None:
    response = post(client, creator.id, body, creator.secrets["onlyfans"])
    assert response.status_code == 422, response.text
    assert field_paths(response) == paths
    assert all(count == 0 for count in counts(database, creator.id).values())


def test_a_bad_signature_is_refused_before_the_body_is_read(
    client: TestClient, creator: Creator
) -> None:
    response = post(client, creator.id, b"{not json", "whsec_" + "z" * 43)
    assert response.status_code == 401


def test_a_body_over_the_limit_is_refused(client: TestClient, creator: Creator) -> None:
    body = json.dumps(event("message", padding="x" * 300_000)).encode()
    response = post(client, creator.id, body, creator.secrets["onlyfans"])
    assert response.status_code == 413


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_a_signed_body_that_is_not_sent_as_json_answers_415(
    client: TestClient, database: DatabaseTarget, creator: Creator, content_type: str | None
) -> None:
    tip = event("tip")
    response = post(client, creator.id, tip, creator.secrets["onlyfans"], content_type=content_type)
    assert response.status_code == 415, response.text
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "Content-Type must be application/json" in message(response)
    assert all(count == 0 for count in counts(database, creator.id).values())


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", 'Application/JSON;charset="UTF-8"']
)
def test_json_with_a_utf8_charset_is_accepted(
    client: TestClient, creator: Creator, content_type: str
) -> None:
    tip = event("tip")
    response = post(client, creator.id, tip, creator.secrets["onlyfans"], content_type=content_type)
    assert response.status_code == 200, response.text
