"""Every tool the agent may call, by name."""

from dataclasses import replace
from typing import Any

from tools.annotations import ADD_NOTE_TOOL, ADD_TAG_TOOL
from tools.base import Tool, ToolSpec
from tools.customs import (
    ACCEPT_CUSTOM_TOOL,
    DECLINE_CUSTOM_TOOL,
    LIST_CUSTOMS_TOOL,
    OPEN_CUSTOM_TOOL,
)
from tools.fans import FAN_PROFILE_TOOL, FAN_SCORES_TOOL
from tools.media import ALREADY_PURCHASED_TOOL, LIST_MEDIA_TOOL
from tools.memories import REMEMBER_FACT_TOOL, SEARCH_MEMORIES_TOOL
from tools.messages import RECENT_MESSAGES_TOOL, SEND_MESSAGE_TOOL, SEND_PPV_OFFER_TOOL
from tools.offers import OFFER_DISCOUNT_TOOL
from tools.pricing import SUGGEST_PRICE_TOOL, check_ppv_offer
from tools.purchases import PURCHASE_HISTORY_TOOL

ALL_TOOLS: dict[str, Tool[Any]] = {
    tool.name: tool
    for tool in (
        FAN_PROFILE_TOOL,
        FAN_SCORES_TOOL,
        PURCHASE_HISTORY_TOOL,
        RECENT_MESSAGES_TOOL,
        SEARCH_MEMORIES_TOOL,
        ALREADY_PURCHASED_TOOL,
        LIST_MEDIA_TOOL,
        SUGGEST_PRICE_TOOL,
        LIST_CUSTOMS_TOOL,
        SEND_MESSAGE_TOOL,
        # Its price is checked against the pricing engine, which tools/messages.py does not use.
        replace(SEND_PPV_OFFER_TOOL, check=check_ppv_offer),
        OFFER_DISCOUNT_TOOL,
        OPEN_CUSTOM_TOOL,
        ACCEPT_CUSTOM_TOOL,
        DECLINE_CUSTOM_TOOL,
        ADD_TAG_TOOL,
        ADD_NOTE_TOOL,
        REMEMBER_FACT_TOOL,
    )
}
READ_TOOLS = {name: tool for name, tool in ALL_TOOLS.items() if tool.kind == "read"}
WRITE_TOOLS = {name: tool for name, tool in ALL_TOOLS.items() if tool.kind == "write"}


def tool_specs() -> list[ToolSpec]:
    """What the model is told about every tool, in ALL_TOOLS order."""
    return [tool.spec() for tool in ALL_TOOLS.values()]
