"""Creators with webhook secrets, signed deliveries, and what a creator's tables hold, for the
webhook tests."""

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, LiteralString
from uuid import UUID

import psycopg
from fastapi.testclient import TestClient
from httpx2 import Response
from psycopg import sql
from psycopg.rows import dict_row

from auth.operator import app_connection
from crm.webhooks import store
from crm.webhooks.signature import new_secret, sign
from db.connect import DatabaseTarget, creator_scope

COUNTED = (
    "webhook_events",
    "fan_profiles",
    "fan_platform_accounts",
    "fan_transactions",
    "fan_subscriptions",
    "fan_subscription_events",
    "fan_messages",
)


@dataclass(frozen=True)
class Creator:
    id: UUID
    secrets: dict[str, str]  # by platform


def new_creator(target: DatabaseTarget, platforms: tuple[str, ...] = ("onlyfans",)) -> Creator:
    """A creator with a webhook secret for each of `platforms`, made through the app role."""
    creator = uuid.uuid4()
    secrets = {platform: new_secret() for platform in platforms}
    with app_connection(target) as conn, creator_scope(conn, creator):
        conn.execute(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES (%s, %s, 'Creator')",
            [creator, f"w{creator.hex[:12]}"],
        )
        for platform, secret in secrets.items():
            assert store.create_secret(conn, platform, secret)
    return Creator(creator, secrets)


def event(type_: str, **fields: Any) -> dict[str, Any]:
    """A valid event of `type_` with a fresh id; `fields` replace or add to its defaults."""
    defaults: dict[str, dict[str, Any]] = {
        "tip": {"amount": "5.00"},
        "ppv_unlock": {"amount": "12.50"},
        "transaction": {"kind": "paid_message", "amount": "3.00"},
        "subscription": {"action": "new", "price": "9.99"},
        "message": {"body": "hey, are you online?"},
        "message_delivered": {},
    }
    base = {
        "id": f"evt_{uuid.uuid4().hex[:16]}",
        "type": type_,
        "occurred_at": "2025-06-01T12:00:00Z",
        "fan": {"id": "of-1001", "username": "maxx", "display_name": "Max"},
    }
    return {**base, **defaults[type_], **fields}


def post(
    client: TestClient,
    creator: UUID | str | None,
    body: dict[str, Any] | bytes,
    secret: str | None,
    *,
    platform: str = "onlyfans",
    timestamp: int | None = None,
    signature: str | None = None,
    content_type: str | None = "application/json",
) -> Response:
    """Delivers `body`, signed with `secret` unless `signature` is given (no Content-Type header
    when `content_type` is None)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent_at = int(time.time()) if timestamp is None else timestamp
    headers = {"X-Fanagent-Timestamp": str(sent_at)}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if creator is not None:
        headers["X-Fanagent-Creator"] = str(creator)
    if signature is not None:
        headers["X-Fanagent-Signature"] = signature
    elif secret is not None:
        headers["X-Fanagent-Signature"] = sign(secret, sent_at, raw)
    return client.post(f"/v1/webhooks/{platform}", content=raw, headers=headers)


def counts(target: DatabaseTarget, creator: UUID) -> dict[str, int]:
    """Rows per table of the creator (as the admin, who sees them all)."""
    with psycopg.connect(target.admin_url) as conn:
        found: dict[str, int] = {}
        for table in COUNTED:
            query = sql.SQL("SELECT count(*) FROM {} WHERE creator_id = %s")
            row = conn.execute(query.format(sql.Identifier(table)), [creator]).fetchone()
            assert row is not None
            found[table] = row[0]
        return found


def rows(
    target: DatabaseTarget, creator: UUID, query: LiteralString, *params: Any
) -> list[dict[str, Any]]:
    """The rows of `query` in the creator's scope, as the app role sees them."""
    with app_connection(target) as conn, creator_scope(conn, creator):
        return list(conn.cursor(row_factory=dict_row).execute(query, params))


def message(response: Response) -> str:
    """The error message of a refusal."""
    body = response.json()
    return str(body["error"]["message"] if "error" in body else body["detail"])


def field_paths(response: Response) -> list[str]:
    """The field paths of a 422's problems."""
    body = response.json()
    if "error" in body:
        return [str(d["path"]) for d in body["error"]["details"]]
    return [".".join(str(p) for p in d["loc"]) for d in body["detail"]]
