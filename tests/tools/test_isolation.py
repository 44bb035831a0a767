"""A run for creator A reaches only A's rows: B's media, fans and requests are unknown to it,
whatever ids the model passes, and nothing of B's changes."""

from typing import Any

import psycopg
import pytest

from db.connect import DatabaseTarget
from tests.tools.world import Creator, call
from tools.base import ToolError


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("check_already_purchased", {}),
        ("send_ppv_offer", {"price": 10, "message": "just for you"}),
        ("offer_discount", {"percent": 20}),
    ],
)
def test_another_creators_media_is_unknown(
    conn: psycopg.Connection[Any],
    creator_a: Creator,
    creator_b: Creator,
    name: str,
    arguments: dict[str, Any],
) -> None:
    theirs = creator_b.media["Beach set"]
    with pytest.raises(ToolError, match=f"unknown media id {theirs}"):
        call(conn, creator_a.ctx(), name, media_id=str(theirs), **arguments)


def test_list_media_shows_only_the_creators_own(
    conn: psycopg.Connection[Any], creator_a: Creator, creator_b: Creator
) -> None:
    listed = call(conn, creator_a.ctx(), "list_media", limit=50)["media"]
    assert {m["media_id"] for m in listed} == {str(m) for m in creator_a.media.values()}


def test_another_creators_fan_has_no_profile_and_no_rows_in_this_scope(
    conn: psycopg.Connection[Any], creator_a: Creator, creator_b: Creator
) -> None:
    smuggled = creator_a.ctx(fan_id=creator_b.fan)
    with pytest.raises(ToolError, match="no profile"):
        call(conn, smuggled, "get_fan_profile")
    assert call(conn, smuggled, "get_purchase_history")["purchases"] == []
    assert call(conn, smuggled, "get_recent_messages")["messages"] == []
    assert call(conn, smuggled, "get_fan_scores") == {"scores": None}


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("accept_custom_request", {"price": 40, "deadline": "2099-01-01T00:00:00Z"}),
        ("decline_custom_request", {"reason": "not my thing"}),
    ],
)
def test_requests_of_another_creator_or_another_fan_cannot_be_decided(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    creator_a: Creator,
    creator_b: Creator,
    name: str,
    arguments: dict[str, Any],
) -> None:
    for request in (creator_b.pending_request, creator_a.other_fans_request):
        with pytest.raises(ToolError, match=f"unknown custom request {request}"):
            call(conn, creator_a.ctx(), name, request_id=str(request), **arguments)
    with psycopg.connect(database.admin_url) as admin:
        statuses = admin.execute(
            "SELECT status FROM fan_custom_requests WHERE id = ANY(%s)",
            [[creator_b.pending_request, creator_a.other_fans_request]],
        ).fetchall()
    assert statuses == [("pending_review",), ("pending_review",)]


def test_nothing_can_be_written_for_another_creators_fan(
    conn: psycopg.Connection[Any], creator_a: Creator, creator_b: Creator
) -> None:
    smuggled = creator_a.ctx(fan_id=creator_b.fan, message_id=None)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        call(conn, smuggled, "send_message", text="hi stranger")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        call(conn, smuggled, "add_fan_note", body="not mine")
