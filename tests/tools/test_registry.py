"""The tool set the model sees: names, kinds and argument schemas that never ask for a creator
or a fan, and argument parsing that rejects what the schema does not allow."""

import json

import pytest

from tools.base import ToolError
from tools.policy import DEFAULT_GATED
from tools.registry import ALL_TOOLS, READ_TOOLS, WRITE_TOOLS, tool_specs

EXPECTED_READ = {
    "get_fan_profile",
    "get_purchase_history",
    "get_fan_scores",
    "get_recent_messages",
    "search_fan_memories",
    "check_already_purchased",
    "list_media",
    "suggest_ppv_price",
    "get_custom_requests",
}
EXPECTED_WRITE = {
    "send_message",
    "send_ppv_offer",
    "offer_discount",
    "open_custom_request",
    "accept_custom_request",
    "decline_custom_request",
    "add_fan_tag",
    "add_fan_note",
    "remember_fact",
}


def test_the_registry_splits_every_tool_into_reads_and_writes() -> None:
    assert set(READ_TOOLS) == EXPECTED_READ
    assert set(WRITE_TOOLS) == EXPECTED_WRITE
    assert ALL_TOOLS == {**READ_TOOLS, **WRITE_TOOLS}
    assert all(name == tool.name for name, tool in ALL_TOOLS.items())
    assert set(WRITE_TOOLS) > DEFAULT_GATED


def test_specs_describe_every_tool_and_never_ask_for_a_creator_or_fan() -> None:
    specs = tool_specs()
    assert [spec.name for spec in specs] == list(ALL_TOOLS)
    for spec in specs:
        properties = spec.parameters.get("properties", {})
        assert spec.description
        assert spec.parameters["type"] == "object"
        assert spec.parameters["additionalProperties"] is False
        assert not {"fan_id", "creator_id"} & set(properties), spec.name
        assert all(field.get("description") for field in properties.values()), spec.name


ANY_ID = "6d2f3c4e-0000-4000-8000-000000000000"
VALID_ARGUMENTS: dict[str, dict[str, object]] = {
    "get_fan_profile": {},
    "get_purchase_history": {"limit": 5},
    "get_fan_scores": {},
    "get_recent_messages": {},
    "search_fan_memories": {"query": "birthday"},
    "check_already_purchased": {"media_id": ANY_ID},
    "list_media": {"tag": "beach", "not_purchased": True},
    "suggest_ppv_price": {"media_id": ANY_ID},
    "get_custom_requests": {"limit": 3},
    "send_message": {"text": "hey you"},
    "send_ppv_offer": {"media_id": ANY_ID, "price": 15, "message": "for you"},
    "offer_discount": {"percent": 20, "days": 2},
    "open_custom_request": {"description": "a video saying my name", "offered_price": 200},
    "accept_custom_request": {
        "request_id": ANY_ID,
        "price": 80,
        "deadline": "2030-01-01T00:00:00Z",
    },
    "decline_custom_request": {"request_id": ANY_ID, "reason": "not my style"},
    "add_fan_tag": {"tag": "whale", "value": "yes"},
    "add_fan_note": {"body": "Likes evenings"},
    "remember_fact": {"kind": "preference", "fact": "Loves beach sets"},
}


def test_valid_arguments_of_every_tool_parse() -> None:
    assert set(VALID_ARGUMENTS) == set(ALL_TOOLS)
    for name, arguments in VALID_ARGUMENTS.items():
        parsed = ALL_TOOLS[name].parse(arguments).model_dump(mode="json", exclude_defaults=True)
        assert parsed == arguments, name


@pytest.mark.parametrize("field", ["fan_id", "creator_id"])
@pytest.mark.parametrize("name", sorted(ALL_TOOLS))
def test_a_fan_or_creator_from_the_model_is_rejected_with_a_clear_error(
    name: str, field: str
) -> None:
    with pytest.raises(ToolError) as raised:
        ALL_TOOLS[name].parse({**VALID_ARGUMENTS[name], field: ANY_ID})
    assert str(raised.value) == (
        f"invalid arguments for {name}: {field}: Extra inputs are not permitted"
    )


@pytest.mark.parametrize(
    ("name", "arguments", "problem"),
    [
        ("offer_discount", {"percent": 95}, "percent: Input should be less than or equal to 90"),
        ("offer_discount", {"percent": 0}, "percent: Input should be greater than or equal to 1"),
        (
            "offer_discount",
            {"percent": 10, "days": 2, "expires_at": "2030-01-01T00:00:00Z"},
            "not both",
        ),
        ("get_purchase_history", {"limit": 51}, "limit: Input should be less than or equal to 50"),
        ("list_media", {"limit": 0}, "limit: Input should be greater than or equal to 1"),
        (
            "send_ppv_offer",
            {"media_id": "6d2f3c4e-0000-4000-8000-000000000000", "price": -1, "message": "hi"},
            "price: Input should be greater than or equal to 0",
        ),
        (
            "send_ppv_offer",
            {"media_id": "6d2f3c4e-0000-4000-8000-000000000000", "price": 10001, "message": "hi"},
            "price: Input should be less than or equal to 10000",
        ),
        ("send_ppv_offer", {"media_id": "not-a-uuid", "price": 5, "message": "hi"}, "media_id"),
        ("send_message", {"text": "   "}, "text: String should have at least 1 character"),
        ("add_fan_tag", {"tag": "no spaces"}, "tag: String should match pattern"),
        ("remember_fact", {"kind": "gossip", "fact": "x"}, "kind: Input should be"),
        (
            "accept_custom_request",
            {
                "request_id": "6d2f3c4e-0000-4000-8000-000000000000",
                "price": 50,
                "deadline": "2030-01-01T00:00:00",
            },
            "deadline: Input should have timezone info",
        ),
    ],
)
def test_arguments_out_of_bounds_are_rejected_with_what_was_wrong(
    name: str, arguments: dict[str, object], problem: str
) -> None:
    with pytest.raises(ToolError, match=problem):
        ALL_TOOLS[name].parse(arguments)


def test_arguments_are_normalised() -> None:
    tag = ALL_TOOLS["add_fan_tag"].parse({"tag": "  Whale "})
    offer = ALL_TOOLS["send_ppv_offer"].parse(
        {"media_id": "6d2f3c4e-0000-4000-8000-000000000000", "price": 9.999, "message": " hi "}
    )
    assert tag.tag == "whale"
    assert (offer.price, offer.message) == (10.0, "hi")


def test_a_model_is_offered_no_string_length_limit_and_the_arguments_are_still_checked() -> None:
    tool = ALL_TOOLS["open_custom_request"]
    assert "maxLength" in json.dumps(tool.spec().parameters)  # approvals' forms keep the bound
    offered = tool.model_spec()
    assert "maxLength" not in json.dumps(offered.parameters)
    assert offered.parameters["required"] == tool.spec().parameters["required"]
    with pytest.raises(ToolError, match="description"):
        tool.parse({"description": "x" * 5001})
