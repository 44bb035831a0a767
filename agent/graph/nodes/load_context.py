"""Load context: the creator, the fan's profile and scores, the persona, the recent messages."""

from typing import Any
from uuid import UUID

from langgraph.runtime import Runtime

from agent.graph.conversation import recent
from agent.graph.deps import AgentDeps
from agent.graph.fan_context import fan_snapshot
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from personas.store import effective_persona


def make(deps: AgentDeps) -> Any:
    def load_context(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        timings: dict[str, float] = {}
        with timed(state, "context", timings), deps.scoped(context.creator_id) as conn:
            snapshot = fan_snapshot(conn, context.fan_id)
            persona = effective_persona(conn, context.creator_id, context.fan_id).persona
            message_id = state.get("message_id")
            conversation = recent(
                conn,
                context.fan_id,
                limit=deps.limits.recent_messages,
                excluding=UUID(message_id) if message_id else None,
            )
        return {
            "creator_name": snapshot.creator_name,
            "fan_summary": snapshot.summary,
            "persona": persona.model_dump(mode="json"),
            "conversation": conversation,
            "timings_ms": timings,
        }

    return load_context
