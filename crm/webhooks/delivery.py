"""One delivery, from its headers to committed rows.

`credentials` checks what needs no database (the creator id, the signature's form, the replay
window); `deliver` then works in one transaction in the creator's scope: the creator's secret
for the platform read under row-level security, the signature verified, the body parsed, the
event recorded and applied. Whatever fails rolls the whole transaction back.
"""

import logging
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg

from crm.conversation import FanMessageHook
from crm.webhooks import store
from crm.webhooks.events import PLATFORMS, parse_event
from crm.webhooks.ingest import DeliveryStatus, ingest
from crm.webhooks.signature import (
    Unauthorized,
    check_signature_format,
    check_timestamp,
    verify,
)
from db.connect import creator_scope

log = logging.getLogger("fanagent.webhooks")
# Two deliveries touching the same rows in opposite orders: PostgreSQL aborts one, which runs
# again from the start.
RETRIED = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
ATTEMPTS = 3


@dataclass(frozen=True)
class Credentials:
    creator_id: UUID
    timestamp: int
    digest: str


@dataclass(frozen=True)
class Delivered:
    status: DeliveryStatus
    event_id: str
    type: str
    fan_id: UUID


def credentials(
    creator: str | None,
    timestamp: str | None,
    signature: str | None,
    *,
    now: float,
    window_s: float,
) -> Credentials:
    """The header checks that need no database; Unauthorized with the reason."""
    if creator is None:
        raise Unauthorized("missing X-Fanagent-Creator header")
    try:
        creator_id = UUID(creator)
    except ValueError:
        raise Unauthorized("X-Fanagent-Creator is not a creator id") from None
    digest = check_signature_format(signature)
    return Credentials(creator_id, check_timestamp(timestamp, now, window_s), digest)


def deliver(
    conn: psycopg.Connection[Any],
    platform: str,
    credentials: Credentials,
    body: bytes,
    *,
    on_fan_message: FanMessageHook,
    refresh: bool = True,
) -> Delivered:
    """Verifies and applies one delivery in one transaction. Raises Unauthorized (no secret, or
    the signature does not match) or InvalidEvent (the body is not a valid event). `refresh`:
    queue the fan for a refresh of its derived figures (crm/intelligence/refresh_queue.py);
    `on_fan_message`: what a fan's message also supersedes (crm.conversation.receive)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _deliver(conn, platform, credentials, body, on_fan_message, refresh)
        except RETRIED:
            if attempt == ATTEMPTS:
                raise
            log.info("webhook delivery retried after a deadlock or serialization failure")
    raise AssertionError("unreachable")


def _deliver(
    conn: psycopg.Connection[Any],
    platform: str,
    credentials: Credentials,
    body: bytes,
    on_fan_message: FanMessageHook,
    refresh: bool,
) -> Delivered:
    with creator_scope(conn, credentials.creator_id):
        secret = store.secret_for(conn, platform) if platform in PLATFORMS else None
        verify(secret, credentials.timestamp, credentials.digest, body)
        event = parse_event(body)
        ingested = ingest(
            conn,
            credentials.creator_id,
            platform,
            event,
            on_fan_message=on_fan_message,
            refresh=refresh,
        )
    return Delivered(ingested.status, event.id, event.type, ingested.fan_id)
