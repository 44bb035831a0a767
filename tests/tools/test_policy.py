"""Which actions wait for approval: the defaults, a creator's overrides (for that creator
only), and actions nobody knows, which always wait."""

from typing import Any

import psycopg
import pytest

from db.connect import creator_scope
from tests.tools.world import Creator
from tools.policy import (
    DEFAULT_GATED,
    UnknownActionName,
    effective_policy,
    requires_approval,
    set_policy,
)
from tools.registry import READ_TOOLS, WRITE_TOOLS


def test_by_default_what_reaches_the_fan_or_moves_money_waits_for_approval(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        policy = effective_policy(conn)
        gated = {action for action in WRITE_TOOLS if requires_approval(conn, action)}
        reads = {action for action in READ_TOOLS if requires_approval(conn, action)}
    assert policy == {action: action in DEFAULT_GATED for action in WRITE_TOOLS}
    assert (
        gated
        == DEFAULT_GATED
        == {
            "send_message",
            "send_ppv_offer",
            "offer_discount",
            "accept_custom_request",
            "decline_custom_request",
        }
    )
    assert reads == set()


def test_an_unknown_action_always_waits_and_cannot_be_configured(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        assert requires_approval(conn, "wire_money_abroad") is True
        with pytest.raises(UnknownActionName, match="'wire_money_abroad' is not an action"):
            set_policy(conn, "wire_money_abroad", False)
        with pytest.raises(UnknownActionName):
            set_policy(conn, "get_fan_profile", True)


def test_overrides_apply_to_their_creator_only_and_can_be_changed(
    conn: psycopg.Connection[Any], creator_a: Creator, creator_b: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        set_policy(conn, "send_message", False)
        set_policy(conn, "add_fan_note", True)
    with creator_scope(conn, creator_a.id):
        a = effective_policy(conn)
        assert requires_approval(conn, "send_message") is False
        assert requires_approval(conn, "add_fan_note") is True
    with creator_scope(conn, creator_b.id):
        b = effective_policy(conn)
    with creator_scope(conn, creator_a.id):
        set_policy(conn, "send_message", True)
        assert requires_approval(conn, "send_message") is True
    assert (a["send_message"], a["add_fan_note"], a["send_ppv_offer"]) == (False, True, True)
    assert b == {action: action in DEFAULT_GATED for action in WRITE_TOOLS}
