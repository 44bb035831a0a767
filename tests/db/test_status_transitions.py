"""Status columns move only along their allowed edges, whoever writes them."""

from typing import Any

import psycopg
import pytest
from psycopg import errors

from db.connect import DatabaseTarget, creator_scope
from tests.db.crm_rows import create_creator_with_everything


@pytest.fixture
def rows(database: DatabaseTarget) -> tuple[Any, dict[str, Any]]:
    return create_creator_with_everything(database)


def _set_status(
    database: DatabaseTarget, creator: Any, table: str, row_id: Any, **cols: Any
) -> None:
    assignments = ", ".join(f"{name} = %({name})s" for name in cols)
    with psycopg.connect(database.app_url) as conn, creator_scope(conn, creator):
        conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %(id)s",
            {**cols, "id": row_id},
        )


def test_custom_request_follows_review_then_fulfilment(
    database: DatabaseTarget, rows: tuple[Any, dict[str, Any]]
) -> None:
    creator, ids = rows
    request, media = ids["fan_custom_requests"], ids["media_assets"]
    with pytest.raises(errors.CheckViolation, match="cannot move from pending_review to fulfilled"):
        _set_status(
            database,
            creator,
            "fan_custom_requests",
            request,
            status="fulfilled",
            agreed_price=50,
            media_id=media,
        )
    _set_status(
        database, creator, "fan_custom_requests", request, status="accepted", agreed_price=50
    )
    with pytest.raises(errors.CheckViolation, match="cannot move from accepted to declined"):
        _set_status(database, creator, "fan_custom_requests", request, status="declined")
    with pytest.raises(errors.CheckViolation):  # fulfilled needs the delivered media
        _set_status(database, creator, "fan_custom_requests", request, status="fulfilled")
    _set_status(
        database, creator, "fan_custom_requests", request, status="fulfilled", media_id=media
    )


def test_queued_action_cannot_return_to_pending_or_skip_the_decision(
    database: DatabaseTarget, rows: tuple[Any, dict[str, Any]]
) -> None:
    creator, ids = rows
    action = ids["hitl_action_queue"]
    with pytest.raises(errors.CheckViolation, match="cannot move from pending to executed"):
        _set_status(database, creator, "hitl_action_queue", action, status="executed")
    _set_status(
        database,
        creator,
        "hitl_action_queue",
        action,
        status="approved",
        decided_at="2026-01-01T00:00:00Z",
    )
    _set_status(database, creator, "hitl_action_queue", action, status="executed")
    with pytest.raises(errors.CheckViolation, match="cannot move from executed to pending"):
        _set_status(database, creator, "hitl_action_queue", action, status="pending")


def test_an_offer_is_redeemed_expired_or_withdrawn_once(
    database: DatabaseTarget, rows: tuple[Any, dict[str, Any]]
) -> None:
    creator, ids = rows
    offer = ids["fan_offers"]
    _set_status(database, creator, "fan_offers", offer, status="redeemed")
    with pytest.raises(errors.CheckViolation, match="cannot move from redeemed to offered"):
        _set_status(database, creator, "fan_offers", offer, status="offered")
    with pytest.raises(errors.CheckViolation, match="cannot move from redeemed to withdrawn"):
        _set_status(database, creator, "fan_offers", offer, status="withdrawn")
