"""Which tools the model is offered for a message: those its buying intent calls for.

Every tool schema costs prompt tokens (all fifteen are ~2,000) and distracts a small model, and
the fan's profile, memories and recent messages are in the prompt already. So a message with no
buying signal gets no tools and a plain reply; a price question gets the media tools; a fan in
distress gets none (no upsell). A read tool already called with the same arguments is not
offered again.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from agent.graph.state import ToolCallRecord
from tools.base import Tool

SELLING = ("list_media", "check_already_purchased", "get_purchase_history", "send_ppv_offer")
TOOLS_FOR_SIGNAL: Mapping[str, tuple[str, ...]] = {
    "ready_to_buy": SELLING,
    "price_question": SELLING,
    "wants_more": SELLING,
    "high_intent": SELLING,
    "escalation_intent": SELLING,
    "discount_request": ("get_purchase_history", "offer_discount"),
    "churn_risk": ("get_fan_scores", "get_purchase_history", "offer_discount"),
    "wants_custom": ("accept_custom_request", "decline_custom_request"),
}
# Distress outranks selling: with it, nothing that sells is offered.
NO_SELLING = frozenset({"emotional_support"})


def tools_for(
    intents: Iterable[Mapping[str, Any]],
    tools: Mapping[str, Tool[Any]],
    called: Sequence[ToolCallRecord],
) -> list[Tool[Any]]:
    signals = {intent["signal"] for intent in intents}
    if signals & NO_SELLING:
        return []
    wanted = {name for signal in signals for name in TOOLS_FOR_SIGNAL.get(signal, ())}
    done = {call["name"] for call in called if call["kind"] == "read" and call["status"] == "ran"}
    return [tool for name, tool in tools.items() if name in wanted and name not in done]
