"""The PPV suggested with a reply: the item the fan's message names and the fan has not bought,
else the newest one the fan was neither sold nor sent; priced by the pricing engine; nothing
for a message that wants to buy nothing."""

from typing import Any

import psycopg
import pytest

from crm.intelligence.offer_pick import pick_offer
from crm.intelligence.pricing import suggest_price
from db.connect import creator_scope
from tests.tools.world import Creator

ASKS_PRICE = ["price_question"]


def picked(conn: psycopg.Connection[Any], creator: Creator, text: str, fan: Any = None) -> str:
    with creator_scope(conn, creator.id):
        offer = pick_offer(conn, fan or creator.fan, text, ASKS_PRICE)
    assert offer is not None
    return offer.title


def test_the_item_the_message_names_is_offered_at_the_engines_price_for_this_fan(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        offer = pick_offer(conn, creator_a.fan, "how much is the shower video? 😍", ASKS_PRICE)
        engine = suggest_price(conn, creator_a.fan, creator_a.media["Shower video"])
    assert offer is not None
    assert (offer.media_id, offer.title) == (creator_a.media["Shower video"], "Shower video")
    assert offer.price == engine.suggested_price and offer.list_price == 25
    assert offer.explanation == engine.explanation
    assert offer.as_json()["price"] == float(engine.suggested_price)


def test_a_fan_who_asks_for_a_discount_is_offered_the_pick_for_less(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    text = "any discount on the shower video? 🥺"
    with creator_scope(conn, creator_a.id):
        offer = pick_offer(conn, creator_a.fan, text, ["discount_request"])
        full = suggest_price(conn, creator_a.fan, creator_a.media["Shower video"])
    assert offer is not None and offer.title == "Shower video"
    assert offer.full_price == full.suggested_price
    assert full.min_price <= offer.price < full.suggested_price
    assert str(offer.price).endswith(".99")
    assert offer.percent_off == round((1 - offer.price / offer.full_price) * 100)
    assert 15 <= offer.percent_off <= 25
    assert f"{offer.percent_off}% off" in offer.explanation
    assert offer.as_json()["full_price"] == float(full.suggested_price)


def test_a_buying_fan_who_asks_no_discount_pays_the_engines_price(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        offer = pick_offer(conn, creator_a.fan, "how much is the shower video", ASKS_PRICE)
    assert offer is not None
    assert (offer.price, offer.percent_off) == (offer.full_price, None)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("how much for the beach pics", "Shower video"),  # the Beach set is bought: its tag
        ("how much?", "Whisper audio"),  # nothing named: the newest item not bought
        ("do u sell asmr stuff? price?", "Whisper audio"),
    ],
)
def test_what_the_fan_bought_is_never_offered_again(
    conn: psycopg.Connection[Any], creator_a: Creator, text: str, title: str
) -> None:
    assert picked(conn, creator_a, text) == title


def test_a_message_without_a_buying_signal_gets_no_offer(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        for signals in (
            [],
            ["none"],
            ["emotional_support"],
            ["discount_request", "wants_custom"],
            ["price_question", "wants_custom"],  # a custom's price: the custom flow answers
        ):
            assert pick_offer(conn, creator_a.fan, "how much for the shower video", signals) is None


def test_another_creators_vault_is_never_offered(
    conn: psycopg.Connection[Any], creator_a: Creator, creator_b: Creator
) -> None:
    with creator_scope(conn, creator_b.id):
        offer = pick_offer(conn, creator_b.fan, "how much for the shower video", ASKS_PRICE)
    assert offer is None or offer.media_id in set(creator_b.media.values())


def test_a_custom_made_for_one_fan_is_never_offered_to_another(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with creator_scope(conn, creator_a.id):
        [(custom,)] = conn.execute(
            "INSERT INTO media_assets (creator_id, title, kind, tags, price)"
            " VALUES (app_current_creator(), 'Custom for Other: red heels', 'video', '{heels}',"
            " 40) RETURNING id"
        ).fetchall()
        conn.execute(
            "INSERT INTO fan_custom_requests (creator_id, fan_id, description, status,"
            " agreed_price, media_id) VALUES (app_current_creator(), %s, 'red heels', "
            " 'fulfilled', 40, %s)",
            [creator_a.other_fan, custom],
        )
    assert picked(conn, creator_a, "how much for a video in red heels?") != (
        "Custom for Other: red heels"
    )
    assert picked(conn, creator_a, "what's new?") == "Whisper audio"
