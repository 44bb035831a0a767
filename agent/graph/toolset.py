"""Which tools the model is offered for a message: those its buying intent calls for.

Every tool schema costs prompt tokens (all of them, over 2,000) and distracts a small model, and
the fan's profile, memories and recent messages are in the prompt already. So a message with no
buying signal gets no tools and a plain reply; a price question gets the media tools; a fan in
distress gets none (no upsell).

Within a thread: a tool that already ran is not offered again, nor an action the creator (or the
sweep) decided: same tool and same target (the request or media it names; the fan for the rest).
A custom request is recorded first (open_custom_request); its tools to list, accept or decline
come only while the fan has a request pending review that they have not been decided for.
"""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from agent.graph.deps import AgentDeps
from agent.graph.state import AgentContext, DraftState, ToolCallRecord
from tools.base import Tool
from tools.customs import pending_request_ids

SELLING = ("list_media", "check_already_purchased", "get_purchase_history", "send_ppv_offer")
DECIDING_CUSTOMS = ("get_custom_requests", "accept_custom_request", "decline_custom_request")
TOOLS_FOR_SIGNAL: Mapping[str, tuple[str, ...]] = {
    "ready_to_buy": SELLING,
    "price_question": SELLING,
    "wants_more": SELLING,
    "high_intent": SELLING,
    "escalation_intent": SELLING,
    "discount_request": ("get_purchase_history", "offer_discount"),
    "churn_risk": ("get_fan_scores", "get_purchase_history", "offer_discount"),
    "wants_custom": ("open_custom_request", *DECIDING_CUSTOMS),
}
# Distress outranks selling: with it, nothing that sells is offered.
NO_SELLING = frozenset({"emotional_support"})
# The argument naming what an action acts on; an action without one acts on the fan.
TARGETS: Mapping[str, str] = {
    "send_ppv_offer": "media_id",
    "accept_custom_request": "request_id",
    "decline_custom_request": "request_id",
}

ActionKey = tuple[str, str | None]  # (tool, target)


def action_key(name: str, arguments: Mapping[str, Any]) -> ActionKey:
    """Which action a call is, for "the same action": its tool and its target."""
    target = TARGETS.get(name)
    return name, str(arguments.get(target)) if target else None


def decided_actions(called: Sequence[ToolCallRecord]) -> dict[ActionKey, str]:
    """The thread's queued actions that are no longer pending, with what became of them."""
    return {
        action_key(call["name"], call["arguments"]): call["status"]
        for call in called
        if call["action_id"] and call["status"] != "queued"
    }


def tools_for(
    intents: Iterable[Mapping[str, Any]],
    tools: Mapping[str, Tool[Any]],
    called: Sequence[ToolCallRecord],
    pending_requests: Callable[[], Collection[str]],
) -> list[Tool[Any]]:
    """The tools to offer; `pending_requests` (the ids of the fan's requests pending review)
    is asked only when a custom request could be decided."""
    signals = {intent["signal"] for intent in intents}
    if signals & NO_SELLING:
        return []
    wanted = {name for signal in signals for name in TOOLS_FOR_SIGNAL.get(signal, ())}
    ran = {call["name"] for call in called if call["status"] == "ran"}
    decided = decided_actions(called)
    offered = [
        tool
        for name, tool in tools.items()
        if name in wanted and name not in ran and (name, None) not in decided
    ]
    if not wanted & set(DECIDING_CUSTOMS):
        return offered
    requests = pending_requests()
    undecided = {
        name for name in DECIDING_CUSTOMS if any((name, r) not in decided for r in requests)
    }
    return [tool for tool in offered if tool.name not in DECIDING_CUSTOMS or tool.name in undecided]


def offered_tools(deps: AgentDeps, context: AgentContext, state: DraftState) -> list[Tool[Any]]:
    """tools_for the run's state. Blocking (it may read the fan's pending requests): run it in
    a worker thread."""

    def pending_requests() -> list[str]:
        with deps.scoped(context.creator_id) as conn:
            return pending_request_ids(conn, context.fan_id)

    return tools_for(
        state.get("intents", []), deps.tools, state.get("tool_calls", []), pending_requests
    )
