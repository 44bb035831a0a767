"""The read tools against the real PostgreSQL through the application role: each returns the
run's fan's rows, and nothing of other fans or other creators."""

from typing import Any

import psycopg

from tests.tools.world import Creator, call

PERSONAL_DATA = {"real_name", "email", "phone_number", "city", "country", "aliases"}


def test_the_profile_has_the_fan_crm_fields_but_no_personal_data(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    profile = call(conn, creator_a.ctx(), "get_fan_profile")
    assert profile["display_name"] == "Max"
    assert profile["relationship_stage"] == "active_buyer"
    assert (profile["lifetime_spend"], profile["purchase_count"]) == (41.99, 3)
    assert profile["price_range"] == "mid"
    assert profile["emotional_drivers"] == ["attention"]
    assert profile["tags"] == {"whale": "yes"}
    assert [
        (s["platform"], s["tier"], s["status"], s["price"]) for s in profile["subscriptions"]
    ] == [("onlyfans", "vip", "active", 9.99)]
    assert not PERSONAL_DATA & set(profile)
    flat = str(profile)
    assert not any(secret in flat for secret in ("Maximilian", "max@example.com", "Berlin"))


def test_another_fan_of_the_creator_gets_their_own_profile(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    profile = call(conn, creator_a.ctx(fan_id=creator_a.other_fan), "get_fan_profile")
    assert (profile["display_name"], profile["tags"], profile["subscriptions"]) == ("Other", {}, [])


def test_purchase_history_is_the_fans_newest_first_up_to_the_limit(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    history = call(conn, creator_a.ctx(), "get_purchase_history")["purchases"]
    latest_two = call(conn, creator_a.ctx(), "get_purchase_history", limit=2)["purchases"]
    assert [(p["kind"], p["amount"], p["media_title"]) for p in history] == [
        ("tip", 20.0, None),
        ("ppv", 12.0, "Beach set"),
        ("subscription", 9.99, None),
    ]
    assert latest_two == history[:2]
    assert history[1]["media_id"] == str(creator_a.media["Beach set"])


def test_scores_are_the_fans_or_null_when_not_computed(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    scores = call(conn, creator_a.ctx(), "get_fan_scores")["scores"]
    none = call(conn, creator_a.ctx(fan_id=creator_a.other_fan), "get_fan_scores")
    assert scores["churn_risk"] == 0.25 and scores["predicted_ltv"] == 310.5
    assert scores["formula_version"] == "v1"
    assert none == {"scores": None}


def test_recent_messages_are_the_conversation_oldest_first_without_drafts(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    messages = call(conn, creator_a.ctx(), "get_recent_messages")["messages"]
    last_two = call(conn, creator_a.ctx(), "get_recent_messages", limit=2)["messages"]
    assert [(m["direction"], m["body"]) for m in messages] == [
        ("inbound", "hi there"),
        ("outbound", "hey you!"),
        ("inbound", "what's new today?"),
    ]
    assert last_two == messages[1:]
    assert messages[-1]["message_id"] == str(creator_a.inbound)


def test_list_media_filters_by_tag_kind_price_and_what_the_fan_owns(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    def titles(**filters: Any) -> list[str]:
        return [m["title"] for m in call(conn, creator_a.ctx(), "list_media", **filters)["media"]]

    assert titles() == ["Whisper audio", "Shower video", "Beach set"]
    assert titles(tag="Beach") == ["Shower video", "Beach set"]
    assert titles(kind="video") == ["Shower video"]
    assert titles(max_price=12) == ["Whisper audio", "Beach set"]
    assert titles(not_purchased=True) == ["Whisper audio", "Shower video"]
    assert titles(tag="beach", not_purchased=True, max_price=30) == ["Shower video"]
    assert titles(limit=1) == ["Whisper audio"]
    # The other fan bought the video, not the beach set.
    other = call(conn, creator_a.ctx(fan_id=creator_a.other_fan), "list_media", not_purchased=True)
    assert [m["title"] for m in other["media"]] == ["Whisper audio", "Beach set"]


def test_check_already_purchased_tells_owned_from_not_owned(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    owned = call(
        conn, creator_a.ctx(), "check_already_purchased", media_id=str(creator_a.media["Beach set"])
    )
    not_owned = call(
        conn, creator_a.ctx(), "check_already_purchased", media_id=creator_a.media["Shower video"]
    )
    assert (owned["title"], owned["purchased"], owned["amount_paid"]) == ("Beach set", True, 12.0)
    assert owned["purchased_at"] is not None
    assert (not_owned["purchased"], not_owned["purchased_at"]) == (False, None)
