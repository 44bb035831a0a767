"""What an event does to the CRM, in the caller's creator scope and transaction: the fan found or
created from (platform, platform fan id), the event recorded once, then its effects:

- subscription: fan_subscriptions upserted (one per platform account) and a
  fan_subscription_events row appended; a paid start or renewal is also a fan_transactions row.
  Events are ordered by their own `occurred_at`, not by delivery: one older than the latest
  applied is history only, and a start is a resubscription only after an earlier end;
- tip, ppv_unlock, transaction: a fan_transactions row;
- message: an inbound fan_messages row through crm.conversation.receive, which
  supersedes the fan's open drafts and runs the caller's `on_fan_message` (the server passes
  the agent's: pending approvals superseded).

Rows made from an event carry the external id "<platform>:<event id>" (external ids are unique
per creator across platforms). Every event queues its fan for a refresh of the derived figures
(crm/intelligence/refresh_queue.py), in the same transaction; a job worker (crm/jobs.py) recomputes
the queued fans in batches within about a second.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import psycopg

from crm.conversation import FanMessageHook, mark_sent, receive
from crm.fans.accounts import resolve_platform_account
from crm.intelligence.refresh_queue import queue_refresh
from crm.webhooks import store
from crm.webhooks.events import (
    InvalidEvent,
    MessageDeliveredEvent,
    MessageEvent,
    PpvUnlockEvent,
    SubscriptionCancelled,
    SubscriptionEvent,
    SubscriptionExpired,
    SubscriptionRenewed,
    SubscriptionStarted,
    TipEvent,
    TransactionEvent,
    WebhookEvent,
)

MEDIA_EXISTS = "SELECT 1 FROM media_assets WHERE id = %s"
INSERT_TRANSACTION = """
INSERT INTO fan_transactions
    (creator_id, fan_id, platform_account_id, kind, amount, currency, media_id, external_id,
     occurred_at)
VALUES (app_current_creator(), %(fan_id)s, %(account_id)s, %(kind)s, %(amount)s, %(currency)s,
        %(media_id)s, %(external_id)s, %(occurred_at)s)
ON CONFLICT (creator_id, external_id) DO NOTHING
"""
# The account's subscription, locked, with the time of its latest event: an event older than
# that (a late delivery) is kept as history but does not change the current state.
LOCK_SUBSCRIPTION = """
SELECT s.id, s.status,
       (SELECT max(e.occurred_at) FROM fan_subscription_events e
        WHERE e.fan_id = s.fan_id AND e.subscription_id = s.id)
FROM fan_subscriptions s
WHERE s.platform_account_id = %(account_id)s
FOR UPDATE OF s
"""
UPSERT_SUBSCRIPTION = """
INSERT INTO fan_subscriptions AS s
    (creator_id, fan_id, platform_account_id, tier, status, price, auto_renew, started_at,
     renews_at, ended_at)
VALUES (app_current_creator(), %(fan_id)s, %(account_id)s, COALESCE(%(tier)s, 'standard'),
        %(status)s, COALESCE(%(price)s, 0), %(auto_renew)s, %(occurred_at)s, %(renews_at)s,
        %(ended_at)s)
ON CONFLICT (creator_id, platform_account_id) DO UPDATE SET
    tier = COALESCE(%(tier)s, s.tier),
    status = EXCLUDED.status,
    price = COALESCE(%(price)s, s.price),
    auto_renew = EXCLUDED.auto_renew,
    started_at = CASE WHEN %(restart)s THEN EXCLUDED.started_at ELSE s.started_at END,
    renews_at = EXCLUDED.renews_at,
    ended_at = EXCLUDED.ended_at
RETURNING id
"""
# Whether the subscription had ended just before `at`, by its events' own times: its latest
# earlier event (a win-back message changes nothing) was a cancellation or an expiry.
ENDED_BEFORE = """
SELECT event_type IN ('cancelled', 'expired') FROM fan_subscription_events
WHERE fan_id = %(fan_id)s AND subscription_id = %(subscription_id)s AND occurred_at < %(at)s
  AND event_type <> 'win_back_sent'
ORDER BY occurred_at DESC, recorded_at DESC
LIMIT 1
"""
INSERT_SUBSCRIPTION_EVENT = """
INSERT INTO fan_subscription_events
    (creator_id, fan_id, subscription_id, event_type, amount, occurred_at, external_event_id)
VALUES (app_current_creator(), %(fan_id)s, %(subscription_id)s, %(event_type)s, %(amount)s,
        %(occurred_at)s, %(external_id)s)
ON CONFLICT (creator_id, external_event_id) DO NOTHING
"""
ENDED = ("cancelled", "expired")

DeliveryStatus = Literal["processed", "duplicate"]


@dataclass(frozen=True)
class Ingested:
    status: DeliveryStatus
    fan_id: UUID


def ingest(
    conn: psycopg.Connection[Any],
    creator_id: UUID,
    platform: str,
    event: WebhookEvent,
    *,
    on_fan_message: FanMessageHook,
    refresh: bool = True,
) -> Ingested:
    """Applies the event once (and, with `refresh`, queues its fan for a refresh of the
    derived figures). Raises InvalidEvent (nothing written once the caller's transaction rolls
    back) when it names something this creator does not have."""
    fan = event.fan
    account = resolve_platform_account(
        conn,
        creator_id,
        platform,
        fan.id,
        display_name=fan.display_name or fan.username or fan.id[:200],
        username=fan.username,
    )
    fan_id = account.fan_id
    recorded = store.record_event(
        conn,
        fan_id=fan_id,
        platform=platform,
        event_id=event.id,
        type_=event.type,
        occurred_at=event.occurred_at,
        payload=event.model_dump_json(),
    )
    if not recorded:
        return Ingested("duplicate", fan_id)
    external_id = f"{platform}:{event.id}"
    if isinstance(event, MessageEvent):
        receive(conn, fan_id, event.body, on_fan_message=on_fan_message, external_id=external_id)
    elif isinstance(event, MessageDeliveredEvent):
        if not mark_sent(conn, fan_id, event.message_id, event.occurred_at, external_id):
            raise InvalidEvent(
                [
                    {
                        "type": "unknown_message",
                        "loc": ("body", "message_id"),
                        "msg": "The fan has no queued message with this id",
                    }
                ]
            )
    elif isinstance(event, TipEvent | PpvUnlockEvent | TransactionEvent):
        _money(conn, fan_id, account.account_id, external_id, event)
    else:
        _subscription(conn, fan_id, account.account_id, external_id, event)
    if refresh:
        queue_refresh(conn, fan_id)
    return Ingested("processed", fan_id)


def _money(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    account_id: UUID,
    external_id: str,
    event: TipEvent | PpvUnlockEvent | TransactionEvent,
) -> None:
    media_id = None if isinstance(event, TipEvent) else event.media_id
    if media_id is not None and conn.execute(MEDIA_EXISTS, [media_id]).fetchone() is None:
        raise InvalidEvent(
            [
                {
                    "type": "unknown_media",
                    "loc": ("body", "media_id"),
                    "msg": "The creator has no media with this id",
                }
            ]
        )
    match event:
        case TipEvent():
            kind = "tip"
        case PpvUnlockEvent():
            kind = "ppv"
        case TransactionEvent():
            kind = event.kind
    _transaction(
        conn, fan_id, account_id, external_id, kind, event.amount, event.currency,
        event.occurred_at, media_id,
    )  # fmt: skip


def _transaction(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    account_id: UUID,
    external_id: str,
    kind: str,
    amount: Decimal,
    currency: str,
    occurred_at: datetime,
    media_id: UUID | None = None,
) -> None:
    conn.execute(
        INSERT_TRANSACTION,
        {
            "fan_id": fan_id,
            "account_id": account_id,
            "kind": kind,
            "amount": amount,
            "currency": currency,
            "media_id": media_id,
            "external_id": external_id,
            "occurred_at": occurred_at,
        },
    )


def _subscription(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    account_id: UUID,
    external_id: str,
    event: SubscriptionEvent,
) -> None:
    current = conn.execute(LOCK_SUBSCRIPTION, {"account_id": account_id}).fetchone()
    previous_status: str | None = None if current is None else current[1]
    late = current is not None and current[2] is not None and event.occurred_at < current[2]
    # A start after an end is a resubscription: for a late event, an end before it in time.
    ended = previous_status in ENDED
    if late:
        assert current is not None
        ended = _ended_before(conn, fan_id, current[0], event.occurred_at)
    state: dict[str, Any] = {
        "fan_id": fan_id,
        "account_id": account_id,
        "occurred_at": event.occurred_at,
        "tier": event.tier,
        "price": None,
        "restart": False,
        "renews_at": None,
        "ended_at": None,
    }
    amount: Decimal | None = None  # paid: a start or renewal
    currency = "USD"
    match event:
        case SubscriptionStarted():
            event_type = "resubscribed" if ended else "subscribed"
            amount, currency = event.price, event.currency
            state |= {"status": "active", "auto_renew": True, "price": event.price}
            state |= {"renews_at": event.renews_at, "restart": previous_status in (None, *ENDED)}
        case SubscriptionRenewed():
            event_type = "rebilled"
            amount, currency = event.price, event.currency
            state |= {"status": "active", "auto_renew": True, "price": event.price}
            state |= {"renews_at": event.renews_at}
        case SubscriptionCancelled():
            event_type = "cancelled"
            state |= {"status": "cancelled", "auto_renew": False, "ended_at": event.ends_at}
        case SubscriptionExpired():
            event_type = "expired"
            ended_at = event.ends_at or event.occurred_at
            state |= {"status": "expired", "auto_renew": False, "ended_at": ended_at}
    if late:  # kept as history; the newer state stands
        assert current is not None
        subscription_id = current[0]
    else:
        row = conn.execute(UPSERT_SUBSCRIPTION, state).fetchone()
        assert row is not None
        subscription_id = row[0]
    conn.execute(
        INSERT_SUBSCRIPTION_EVENT,
        {
            "fan_id": fan_id,
            "subscription_id": subscription_id,
            "event_type": event_type,
            "amount": amount,
            "occurred_at": event.occurred_at,
            "external_id": external_id,
        },
    )
    if amount:
        _transaction(
            conn, fan_id, account_id, external_id, "subscription", amount, currency,
            event.occurred_at,
        )  # fmt: skip


def _ended_before(
    conn: psycopg.Connection[Any], fan_id: UUID, subscription_id: UUID, at: datetime
) -> bool:
    """Whether the subscription had been cancelled or had expired just before `at`."""
    params = {"fan_id": fan_id, "subscription_id": subscription_id, "at": at}
    row = conn.execute(ENDED_BEFORE, params).fetchone()
    return bool(row and row[0])
