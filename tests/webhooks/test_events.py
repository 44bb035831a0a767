"""Each kind of event lands in its tables, through real HTTP handling and the app role."""

import uuid
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from auth.operator import app_connection
from crm.intelligence.refresh_queue import drain
from db.connect import DatabaseTarget, creator_scope
from tests.webhooks.helpers import Creator, counts, event, field_paths, post, rows


def deliver(client: TestClient, creator: Creator, body: dict[str, Any], **options: Any) -> None:
    platform = options.get("platform", "onlyfans")
    response = post(client, creator.id, body, creator.secrets[platform], **options)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "processed", "event_id": body["id"], "type": body["type"]}


def test_a_tip_creates_the_fan_and_records_the_money(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    tip = event("tip", amount="7.50", currency="EUR")
    deliver(client, creator, tip)

    [row] = rows(
        database,
        creator.id,
        "SELECT t.kind, t.amount, t.currency, t.external_id, t.occurred_at::text AS at,"
        " a.platform, a.platform_fan_id, a.username, f.display_name"
        " FROM fan_transactions t JOIN fan_platform_accounts a ON a.id = t.platform_account_id"
        " JOIN fan_profiles f ON f.id = t.fan_id",
    )
    assert row == {
        "kind": "tip",
        "amount": Decimal("7.50"),
        "currency": "EUR",
        "external_id": f"onlyfans:{tip['id']}",
        "at": "2025-06-01 12:00:00+00",
        "platform": "onlyfans",
        "platform_fan_id": "of-1001",
        "username": "maxx",
        "display_name": "Max",
    }
    [logged] = rows(
        database, creator.id, "SELECT platform, event_id, type, payload FROM webhook_events"
    )
    assert logged["platform"] == "onlyfans"
    assert (logged["event_id"], logged["type"]) == (tip["id"], "tip")
    assert logged["payload"]["amount"] == "7.50"
    assert logged["payload"]["fan"]["id"] == "of-1001"


def test_the_platform_fan_id_finds_the_same_fan_again(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    deliver(client, creator, event("tip"))
    deliver(client, creator, event("transaction", fan={"id": "of-1001"}))
    deliver(client, creator, event("tip"), platform="fansly")  # same id, another platform

    found = counts(database, creator.id)
    assert (found["fan_profiles"], found["fan_platform_accounts"]) == (2, 2)
    assert found["fan_transactions"] == 3


def test_a_ppv_unlock_records_the_media_and_an_unknown_media_writes_nothing(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    with app_connection(database) as conn, creator_scope(conn, creator.id):
        row = conn.execute(
            "INSERT INTO media_assets (creator_id, title, kind, price)"
            " VALUES (%s, 'Beach set', 'photo', 12.5) RETURNING id",
            [creator.id],
        ).fetchone()
    assert row is not None
    media = row[0]
    deliver(client, creator, event("ppv_unlock", media_id=str(media)))
    before = counts(database, creator.id)

    unknown = event("ppv_unlock", media_id=str(uuid.uuid4()), fan={"id": "of-new-fan"})
    response = post(client, creator.id, unknown, creator.secrets["onlyfans"])
    assert response.status_code == 422
    assert field_paths(response) == ["body.media_id"]
    assert counts(database, creator.id) == before  # not even the new fan

    [sale] = rows(database, creator.id, "SELECT kind, amount, media_id FROM fan_transactions")
    assert sale == {"kind": "ppv", "amount": Decimal("12.50"), "media_id": media}
    # The failed event id was not kept: it can be delivered again, corrected.
    deliver(client, creator, {**unknown, "media_id": str(media)})


def test_a_transaction_records_its_kind(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    deliver(client, creator, event("transaction", kind="refund", amount="3.00"))
    deliver(client, creator, event("transaction", kind="custom", amount=40))
    found = rows(database, creator.id, "SELECT kind, amount FROM fan_transactions ORDER BY kind")
    assert found == [
        {"kind": "custom", "amount": Decimal("40.00")},
        {"kind": "refund", "amount": Decimal("3.00")},
    ]


SUBSCRIPTION = (
    "SELECT s.status, s.tier, s.price, s.auto_renew, s.started_at::text AS started,"
    " s.renews_at::text AS renews, s.ended_at::text AS ended FROM fan_subscriptions s"
)
HISTORY = (
    "SELECT event_type, amount, occurred_at::text AS at, external_event_id"
    " FROM fan_subscription_events ORDER BY recorded_at, occurred_at"
)


def test_a_subscription_moves_through_its_lifecycle_with_an_event_for_each_step(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    def subscription(action: str, at: str, **fields: Any) -> dict[str, Any]:
        body = event("subscription", action=action, occurred_at=at, fan={"id": "of-7"}, **fields)
        if action not in ("new", "renewed"):
            del body["price"]
        deliver(client, creator, body)
        [state] = rows(database, creator.id, SUBSCRIPTION)
        return state

    started = subscription("new", "2025-01-01T10:00:00Z", renews_at="2025-02-01T10:00:00Z")
    assert started == {
        "status": "active",
        "tier": "standard",
        "price": Decimal("9.99"),
        "auto_renew": True,
        "started": "2025-01-01 10:00:00+00",
        "renews": "2025-02-01 10:00:00+00",
        "ended": None,
    }
    renewed = subscription(
        "renewed", "2025-02-01T10:00:00Z", price="12", tier="vip", renews_at="2025-03-01T10:00:00Z"
    )
    assert (renewed["status"], renewed["tier"], renewed["price"]) == ("active", "vip", 12)
    assert (renewed["started"], renewed["renews"]) == (
        "2025-01-01 10:00:00+00",
        "2025-03-01 10:00:00+00",
    )
    cancelled = subscription("cancelled", "2025-02-10T00:00:00Z", ends_at="2025-03-01T10:00:00Z")
    assert (cancelled["status"], cancelled["auto_renew"], cancelled["price"]) == (
        "cancelled",
        False,
        12,
    )
    assert (cancelled["renews"], cancelled["ended"]) == (None, "2025-03-01 10:00:00+00")
    expired = subscription("expired", "2025-03-01T10:00:00Z")
    assert (expired["status"], expired["ended"]) == ("expired", "2025-03-01 10:00:00+00")
    back = subscription("new", "2025-04-01T00:00:00Z")
    assert (back["status"], back["started"], back["ended"]) == (
        "active",
        "2025-04-01 00:00:00+00",
        None,
    )
    # A rebill delivered late changes history and the ledger, not the current state.
    late = subscription("renewed", "2025-03-15T00:00:00Z", price="12")
    assert late == back

    history = rows(database, creator.id, HISTORY)
    assert [(h["event_type"], h["amount"]) for h in history] == [
        ("subscribed", Decimal("9.99")),
        ("rebilled", Decimal("12.00")),
        ("cancelled", None),
        ("expired", None),
        ("resubscribed", Decimal("9.99")),
        ("rebilled", Decimal("12.00")),
    ]
    assert all(h["external_event_id"].startswith("onlyfans:evt_") for h in history)
    paid = rows(database, creator.id, "SELECT kind, amount FROM fan_transactions ORDER BY 2")
    assert [(p["kind"], p["amount"]) for p in paid] == [
        ("subscription", Decimal("9.99")),
        ("subscription", Decimal("9.99")),
        ("subscription", Decimal("12.00")),
        ("subscription", Decimal("12.00")),
    ]


def test_a_start_delivered_after_its_cancellation_is_no_resubscription(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    def subscription(action: str, at: str) -> dict[str, Any]:
        body = event("subscription", action=action, occurred_at=at, fan={"id": "of-8"})
        if action != "new":
            del body["price"]
        deliver(client, creator, body)
        [state] = rows(database, creator.id, SUBSCRIPTION)
        return state

    cancelled = subscription("cancelled", "2025-02-10T00:00:00Z")
    late_start = subscription("new", "2025-01-01T10:00:00Z")
    assert late_start == cancelled  # older than the cancellation: the state stays cancelled
    back = subscription("new", "2025-04-01T00:00:00Z")
    assert (back["status"], back["started"]) == ("active", "2025-04-01 00:00:00+00")

    history = rows(database, creator.id, HISTORY)
    assert [(h["event_type"], h["at"]) for h in history] == [
        ("cancelled", "2025-02-10 00:00:00+00"),
        ("subscribed", "2025-01-01 10:00:00+00"),
        ("resubscribed", "2025-04-01 00:00:00+00"),
    ]


def test_a_free_subscription_records_no_money(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    deliver(client, creator, event("subscription", action="new", price="0"))
    assert counts(database, creator.id)["fan_subscription_events"] == 1
    assert counts(database, creator.id)["fan_transactions"] == 0


def test_a_message_is_stored_and_supersedes_the_fans_draft_and_pending_action(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    first = event("message", body="hi!")
    deliver(client, creator, first)
    [fan] = rows(database, creator.id, "SELECT id FROM fan_profiles")
    with app_connection(database) as conn, creator_scope(conn, creator.id):
        conn.execute(
            "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body)"
            " VALUES (%s, %s, 'outbound', 'draft', 'hey you')",
            [creator.id, fan["id"]],
        )
        conn.execute(
            "INSERT INTO hitl_action_queue (creator_id, fan_id, thread_id, action, args, reason)"
            " VALUES (%s, %s, 't-1', 'send_message', '{}', 'reaches the fan')",
            [creator.id, fan["id"]],
        )

    second = event("message", body="still there?")
    deliver(client, creator, second)

    messages = rows(
        database,
        creator.id,
        "SELECT direction, status, body, external_id FROM fan_messages ORDER BY created_at",
    )
    assert messages == [
        {
            "direction": "inbound",
            "status": "received",
            "body": "hi!",
            "external_id": f"onlyfans:{first['id']}",
        },
        {"direction": "outbound", "status": "superseded", "body": "hey you", "external_id": None},
        {
            "direction": "inbound",
            "status": "received",
            "body": "still there?",
            "external_id": f"onlyfans:{second['id']}",
        },
    ]
    [action] = rows(database, creator.id, "SELECT status, decision_note FROM hitl_action_queue")
    assert action["status"] == "superseded"


def test_a_delivery_receipt_marks_the_outbox_message_sent_once(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    deliver(client, creator, event("message", body="hi!"))
    [fan] = rows(database, creator.id, "SELECT id FROM fan_profiles")
    with app_connection(database) as conn, creator_scope(conn, creator.id):
        inserted = conn.execute(
            "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body)"
            " VALUES (%s, %s, 'outbound', 'queued', 'hey you') RETURNING id",
            [creator.id, fan["id"]],
        ).fetchone()
    assert inserted is not None
    queued = inserted[0]

    receipt = event("message_delivered", message_id=str(queued))
    deliver(client, creator, receipt)
    [sent] = rows(
        database,
        creator.id,
        "SELECT status, sent_at, external_id FROM fan_messages WHERE id = %s",
        queued,
    )
    assert sent["status"] == "sent" and sent["sent_at"].isoformat() == "2025-06-01T12:00:00+00:00"
    assert sent["external_id"] == f"onlyfans:{receipt['id']}"

    again = post(
        client,
        creator.id,
        event("message_delivered", message_id=str(queued)),
        creator.secrets["onlyfans"],
    )
    assert again.status_code == 422 and field_paths(again) == ["body.message_id"]
    unknown = post(
        client,
        creator.id,
        event("message_delivered", message_id=str(uuid.uuid4())),
        creator.secrets["onlyfans"],
    )
    assert unknown.status_code == 422


def test_the_events_queue_their_fan_and_the_refresh_applies_them_to_its_figures(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    """The API only queues the fan; the refresh a job worker runs every second (crm/jobs.py,
    tests/jobs/test_worker.py) applies the events."""
    deliver(client, creator, event("tip", amount="5.00"))
    deliver(client, creator, event("ppv_unlock", amount="7.50", occurred_at="2025-06-02T09:00:00Z"))
    query = "SELECT lifetime_spend, purchase_count, last_purchase_kind FROM fan_profiles"
    assert rows(database, creator.id, query)[0]["purchase_count"] == 0
    assert len(rows(database, creator.id, "SELECT fan_id FROM fan_refresh_queue")) == 1
    with app_connection(database) as conn:
        assert drain(conn) >= 1
    assert rows(database, creator.id, query)[0] == {
        "lifetime_spend": Decimal("12.50"),
        "purchase_count": 2,
        "last_purchase_kind": "ppv",
    }
    assert rows(database, creator.id, "SELECT fan_id FROM fan_refresh_queue") == []
