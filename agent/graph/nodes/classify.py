"""Classify: the message's buying-intent signals (fast path, the LLM when unsure or configured),
appended to fan_intent_events."""

import asyncio
from typing import Any
from uuid import UUID

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from agent.intent.classify import IntentResult
from agent.intent.store import record_intent


def make(deps: AgentDeps) -> Any:
    async def classify(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        timings: dict[str, float] = {}
        with timed(state, "classify", timings):
            result = await deps.intents.classify(state["message"])
            message_id = state.get("message_id")
            if message_id:
                await asyncio.to_thread(_record, deps, context, UUID(message_id), result)
        intents = [
            {"signal": signal, "confidence": round(confidence, 4)}
            for signal, confidence in result.detected.items()
        ]
        return {
            "intents": intents,
            "classifier": result.classifier,
            "timings_ms": timings,
        }

    return classify


def _record(deps: AgentDeps, context: AgentContext, message_id: UUID, result: IntentResult) -> None:
    """Blocking: run in a worker thread, off the event loop."""
    with deps.pool.connection() as conn:
        record_intent(conn, context.creator_id, context.fan_id, message_id, result)
