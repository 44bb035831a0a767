"""Suggest: the creator's team's own past replies to fan messages like this one
(crm/suggestions.py), and for a fan who wants to buy, the PPV to offer with the reply at the
pricing engine's price (crm/intelligence/offer_pick.py). Both are offered beside the draft,
sendable whatever the model writes (the offer through the approval gate); a small model's
compact prompt takes the replies as examples of the creator's voice and is told of the offer."""

from typing import Any
from uuid import UUID

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from crm.intelligence.offer_pick import pick_offer
from crm.suggestions import suggest_replies

SUGGESTIONS = 3


def make(deps: AgentDeps) -> Any:
    def suggest(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        message_id = UUID(state["message_id"]) if state.get("message_id") else None
        signals = [i["signal"] for i in state.get("intents", [])]
        timings: dict[str, float] = {}
        with timed(state, "suggest", timings), deps.scoped(context.creator_id) as conn:
            found = suggest_replies(
                conn,
                context.fan_id,
                state["message"],
                signals,
                now=deps.clock(),
                message_id=message_id,
                query=state.get("embedding") or None,
                limit=SUGGESTIONS,
            )
            offer = pick_offer(conn, context.fan_id, state["message"], signals, as_of=deps.clock())
        return {
            "suggestions": [s.as_json() for s in found],
            "offer": offer.as_json() if offer else None,
            "embedding": [],
            "timings_ms": timings,
        }

    return suggest
