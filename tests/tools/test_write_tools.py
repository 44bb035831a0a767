"""The write tools execute their action against the real PostgreSQL: what each one writes, what
it refuses, and that executing one approved action twice writes once."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from db.connect import DatabaseTarget
from tests.tools.world import Creator, call, queue_action
from tools.base import ToolError


@pytest.fixture
def admin(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    """The owner's view of the tables, to check what a tool wrote."""
    with psycopg.connect(database.admin_url, autocommit=True, row_factory=dict_row) as conn:
        yield conn


def test_send_message_queues_an_outbound_reply_to_the_inbound_message(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    sent = call(conn, creator_a.ctx(), "send_message", text="  morning babe  ")
    row = admin.execute("SELECT * FROM fan_messages WHERE id = %s", [sent["message_id"]]).fetchone()
    assert sent["status"] == "queued" and sent["body"] == "morning babe"
    assert row is not None
    assert (row["creator_id"], row["fan_id"]) == (creator_a.id, creator_a.fan)
    assert (row["direction"], row["status"], row["body"]) == ("outbound", "queued", "morning babe")
    assert row["in_reply_to_id"] == creator_a.inbound
    assert row["drafted_by_user_id"] == creator_a.user
    assert (row["media_id"], row["price"], row["hitl_action_id"]) == (None, None, None)


def test_send_ppv_offer_queues_the_media_at_the_price(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    video = creator_a.media["Shower video"]
    offer = call(
        conn,
        creator_a.ctx(),
        "send_ppv_offer",
        media_id=str(video),
        price=19.99,
        message="made this for you",
    )
    row = admin.execute(
        "SELECT * FROM fan_messages WHERE id = %s", [offer["message_id"]]
    ).fetchone()
    assert (offer["title"], offer["price"], offer["media_id"]) == (
        "Shower video",
        19.99,
        str(video),
    )
    assert row is not None
    assert (row["media_id"], str(row["price"]), row["status"]) == (video, "19.99", "queued")
    assert row["body"] == "made this for you"


def test_a_ppv_the_fan_owns_is_not_offered_again(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    owned = creator_a.media["Beach set"]
    with pytest.raises(ToolError, match="already bought"):
        call(conn, creator_a.ctx(), "send_ppv_offer", media_id=str(owned), price=5, message="hi")
    with pytest.raises(ToolError, match="already bought"):
        call(conn, creator_a.ctx(), "offer_discount", media_id=str(owned), percent=10)
    queued = admin.execute(
        "SELECT count(*) AS n FROM fan_messages WHERE fan_id = %s AND status = 'queued'",
        [creator_a.fan],
    ).fetchone()
    assert queued == {"n": 0}


def test_an_approved_action_executed_twice_writes_once(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    message_ctx = creator_a.ctx(action_id=queue_action(conn, creator_a.ctx(), "send_message"))
    offer_ctx = creator_a.ctx(action_id=queue_action(conn, creator_a.ctx(), "offer_discount"))
    first = call(conn, message_ctx, "send_message", text="once only")
    again = call(conn, message_ctx, "send_message", text="once only")
    offered = call(conn, offer_ctx, "offer_discount", percent=15)
    offered_again = call(conn, offer_ctx, "offer_discount", percent=15)
    messages = admin.execute(
        "SELECT id FROM fan_messages WHERE hitl_action_id = %s", [message_ctx.action_id]
    ).fetchall()
    offers = admin.execute(
        "SELECT id FROM fan_offers WHERE hitl_action_id = %s", [offer_ctx.action_id]
    ).fetchall()
    assert first == again and offered == offered_again
    assert [str(m["id"]) for m in messages] == [first["message_id"]]
    assert [str(o["id"]) for o in offers] == [offered["offer_id"]]
    # Without an action id each run is a new message.
    assert (
        call(conn, creator_a.ctx(), "send_message", text="twice")["message_id"]
        != call(conn, creator_a.ctx(), "send_message", text="twice")["message_id"]
    )


def test_offer_discount_records_the_offer_until_it_expires(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    before = datetime.now(UTC)
    default = call(conn, creator_a.ctx(), "offer_discount", percent=20)
    on_media = call(
        conn,
        creator_a.ctx(),
        "offer_discount",
        percent=30,
        days=7,
        media_id=str(creator_a.media["Whisper audio"]),
    )
    until = (before + timedelta(days=2)).replace(microsecond=0)
    fixed = call(conn, creator_a.ctx(), "offer_discount", percent=10, expires_at=until.isoformat())
    rows = admin.execute(
        "SELECT * FROM fan_offers WHERE fan_id = %s ORDER BY percent", [creator_a.fan]
    ).fetchall()
    assert [(r["kind"], r["percent"], r["status"]) for r in rows] == [
        ("discount", 10, "offered"),
        ("discount", 20, "offered"),
        ("discount", 30, "offered"),
    ]
    assert rows[0]["expires_at"] == until and fixed["expires_at"] == until.isoformat()
    assert timedelta(days=3) <= rows[1]["expires_at"] - before < timedelta(days=3, minutes=1)
    assert timedelta(days=7) <= rows[2]["expires_at"] - before < timedelta(days=7, minutes=1)
    assert rows[2]["media_id"] == creator_a.media["Whisper audio"] and rows[1]["media_id"] is None
    assert rows[0]["created_by"] == creator_a.user
    assert (default["percent"], on_media["media_id"]) == (20, str(creator_a.media["Whisper audio"]))


@pytest.mark.parametrize("expires", [timedelta(hours=-1), timedelta(days=31)])
def test_an_offer_must_expire_within_the_next_thirty_days(
    conn: psycopg.Connection[Any], creator_a: Creator, expires: timedelta
) -> None:
    at = (datetime.now(UTC) + expires).isoformat()
    with pytest.raises(ToolError, match="in the next 30 days"):
        call(conn, creator_a.ctx(), "offer_discount", percent=10, expires_at=at)


def test_accepting_a_pending_request_sets_price_deadline_and_decision(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    deadline = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
    accepted = call(
        conn,
        creator_a.ctx(),
        "accept_custom_request",
        request_id=str(creator_a.pending_request),
        price=75,
        deadline=deadline.isoformat(),
    )
    row = admin.execute(
        "SELECT * FROM fan_custom_requests WHERE id = %s", [creator_a.pending_request]
    ).fetchone()
    assert row is not None
    assert (row["status"], str(row["agreed_price"]), row["deadline"]) == (
        "accepted",
        "75.00",
        deadline,
    )
    assert row["decided_at"] is not None
    assert (accepted["status"], accepted["agreed_price"]) == ("accepted", 75.0)
    with pytest.raises(ToolError, match="is accepted, not pending review"):
        call(
            conn,
            creator_a.ctx(),
            "decline_custom_request",
            request_id=str(creator_a.pending_request),
            reason="changed my mind",
        )


def test_declining_a_pending_request_keeps_the_reason(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    declined = call(
        conn,
        creator_a.ctx(),
        "decline_custom_request",
        request_id=str(creator_a.pending_request),
        reason="I don't film that",
    )
    row = admin.execute(
        "SELECT status, decline_reason, agreed_price, decided_at FROM fan_custom_requests"
        " WHERE id = %s",
        [creator_a.pending_request],
    ).fetchone()
    assert row is not None
    assert (row["status"], row["decline_reason"], row["agreed_price"]) == (
        "declined",
        "I don't film that",
        None,
    )
    assert row["decided_at"] is not None and declined["decline_reason"] == "I don't film that"


def test_a_request_already_decided_or_a_deadline_in_the_past_is_refused(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with pytest.raises(ToolError, match="is declined, not pending review"):
        call(
            conn,
            creator_a.ctx(),
            "accept_custom_request",
            request_id=str(creator_a.declined_request),
            price=10,
            deadline="2099-01-01T00:00:00Z",
        )
    with pytest.raises(ToolError, match="in the past"):
        call(
            conn,
            creator_a.ctx(),
            "accept_custom_request",
            request_id=str(creator_a.pending_request),
            price=10,
            deadline="2001-01-01T00:00:00Z",
        )


def test_add_fan_tag_sets_and_replaces_a_value(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    call(conn, creator_a.ctx(), "add_fan_tag", tag="likes:cosplay")
    call(conn, creator_a.ctx(), "add_fan_tag", tag="whale", value="since 2024")
    rows = admin.execute(
        "SELECT tag, value, created_by FROM fan_tag_values WHERE fan_id = %s ORDER BY tag",
        [creator_a.fan],
    ).fetchall()
    assert [(r["tag"], r["value"]) for r in rows] == [
        ("likes:cosplay", None),
        ("whale", "since 2024"),
    ]
    assert {r["created_by"] for r in rows} == {creator_a.user}
    assert call(conn, creator_a.ctx(), "get_fan_profile")["tags"]["whale"] == "since 2024"


def test_add_fan_note_writes_a_note_by_the_runs_user(
    conn: psycopg.Connection[Any], admin: psycopg.Connection[Any], creator_a: Creator
) -> None:
    note = call(conn, creator_a.ctx(), "add_fan_note", body="Prefers evenings")
    row = admin.execute("SELECT * FROM fan_notes WHERE id = %s", [note["note_id"]]).fetchone()
    assert row is not None
    assert (row["fan_id"], row["author_user_id"], row["body"]) == (
        creator_a.fan,
        creator_a.user,
        "Prefers evenings",
    )
