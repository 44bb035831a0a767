"""Load context: the creator, the fan's profile and scores, the persona, the recent messages."""

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.fan_context import fan_snapshot
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from crm.conversation import recent_messages
from personas.store import effective_persona


def make(deps: AgentDeps) -> Any:
    def load_context(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        timings: dict[str, float] = {}
        with timed(state, "context", timings), deps.scoped(context.creator_id) as conn:
            snapshot = fan_snapshot(conn, context.fan_id)
            persona = effective_persona(conn, context.creator_id, context.fan_id).persona
            message_id = state.get("message_id")
            # The conversation as the fan saw it, without the message answered.
            wanted = deps.limits.recent_messages
            found = recent_messages(conn, context.fan_id, wanted + 1)
            conversation = [
                {
                    "id": m["message_id"],
                    "at": m["created_at"],
                    "direction": m["direction"],
                    "body": m["body"],
                }
                for m in found
                if m["message_id"] != message_id
            ][-wanted:]
        return {
            "creator_name": snapshot.creator_name,
            "fan_name": snapshot.fan_name,
            "fan_summary": snapshot.summary,
            "persona": persona.model_dump(mode="json"),
            "conversation": conversation,
            "timings_ms": timings,
        }

    return load_context
