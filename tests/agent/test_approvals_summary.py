"""One plain sentence per action kind, from the arguments the action's tool reads."""

import uuid
from typing import Any

import pytest

from agent.approvals_summary import parse, summary
from tools.registry import WRITE_TOOLS

BEACH = uuid.uuid4()
TITLES = {BEACH: "Beach set"}
REQUEST = str(uuid.uuid4())

# Every write tool (any may be gated by a creator's policy), with arguments and its sentence.
SENTENCES: dict[str, tuple[dict[str, Any], str]] = {
    "send_message": ({"text": "hey you"}, "Send this reply to Brian"),
    "send_ppv_offer": (
        {"media_id": str(BEACH), "price": 24.99, "message": "just for you"},
        "Send the PPV 'Beach set' to Brian for $24.99",
    ),
    "offer_discount": ({"percent": 20}, "Offer Brian 20% off the next purchase, for 3 days"),
    "open_custom_request": (
        {"description": "a video saying my name", "offered_price": 80},
        "Record Brian's custom request (offered $80)",
    ),
    "accept_custom_request": (
        {"request_id": REQUEST, "price": 120, "deadline": "2030-07-01T18:00:00Z"},
        "Accept Brian's custom request for $120, due Jul 1, 2030",
    ),
    "decline_custom_request": (
        {"request_id": REQUEST, "reason": "not my style"},
        "Decline Brian's custom request",
    ),
    "add_fan_tag": ({"tag": "whale"}, "Tag Brian as 'whale'"),
    "add_fan_note": ({"body": "prefers evenings"}, "Add a note about Brian"),
    "remember_fact": (
        {"kind": "preference", "fact": "Loves the beach"},
        "Remember a fact about Brian",
    ),
}


def said(action: str, args: dict[str, Any], fan: str = "Brian") -> str:
    return summary(action, parse(action, args), fan, TITLES)


def test_every_write_tool_has_a_sentence_of_its_own() -> None:
    assert set(SENTENCES) == set(WRITE_TOOLS)
    generic = {
        action for action, (args, _) in SENTENCES.items() if said(action, args).startswith("Run ")
    }
    assert generic == set()


@pytest.mark.parametrize("action", sorted(SENTENCES))
def test_the_sentence_of_each_action_kind(action: str) -> None:
    args, sentence = SENTENCES[action]
    assert said(action, args) == sentence


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            {"percent": 15, "media_id": str(BEACH), "days": 1},
            "Offer Brian 15% off the PPV 'Beach set', for 1 day",
        ),
        ({"percent": 50, "days": 7}, "Offer Brian 50% off the next purchase, for 7 days"),
        (
            {"percent": 10, "expires_at": "2030-12-24T23:00:00+01:00"},
            "Offer Brian 10% off the next purchase, until Dec 24, 2030",
        ),
    ],
)
def test_a_discount_says_what_it_is_off_and_for_how_long(
    args: dict[str, Any], sentence: str
) -> None:
    assert said("offer_discount", args) == sentence


def test_prices_show_cents_only_when_there_are_some() -> None:
    offer = {"media_id": str(BEACH), "message": "hi"}
    assert said("send_ppv_offer", {**offer, "price": 1250.5}).endswith("for $1,250.50")
    assert said("send_ppv_offer", {**offer, "price": 30}).endswith("for $30")


def test_media_without_a_known_title_is_a_ppv_item() -> None:
    args = {"media_id": str(uuid.uuid4()), "price": 9.99, "message": "hi"}
    assert said("send_ppv_offer", args) == "Send a PPV item to Brian for $9.99"


def test_a_tag_with_a_value_and_a_request_without_an_offer() -> None:
    assert said("add_fan_tag", {"tag": "likes:cosplay", "value": "anime"}) == (
        "Tag Brian as 'likes:cosplay' (anime)"
    )
    assert said("open_custom_request", {"description": "feet pics"}) == (
        "Record Brian's custom request"
    )


def test_an_unknown_action_or_arguments_its_tool_refuses_get_a_generic_sentence() -> None:
    assert said("wire_money", {"amount": 5}) == "Run wire_money for Brian"
    assert said("send_ppv_offer", {"price": -1}) == "Run send_ppv_offer for Brian"
