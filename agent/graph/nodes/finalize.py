"""Finalize: mechanical persona fixes, the draft stored (fan_messages, status 'draft', linked to
the message it answers and this run), and the durable facts of the fan's message remembered.
A preview (free text that is no stored fan message) stores and remembers nothing."""

from typing import Any
from uuid import UUID

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.nodes.check_persona import violations_json
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from crm.conversation import store_draft
from memory.extract import extract_facts
from memory.remember import remember
from personas.check import check_draft
from personas.fix import apply_fixes
from personas.model import Persona


def make(deps: AgentDeps) -> Any:
    def finalize(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        persona = Persona.model_validate(state["persona"])
        draft = apply_fixes(state.get("draft", ""), persona)
        update: DraftState = {
            "draft": draft,
            "violations": violations_json(check_draft(draft, persona)),
            "outcome": "drafted",
        }
        if not state.get("message_id"):
            return update
        message_id = UUID(state["message_id"])
        facts = extract_facts(
            state["message"], source_message_id=message_id, said_on=deps.clock().date()
        )
        timings: dict[str, float] = {}
        with timed(state, "finalize", timings), deps.scoped(context.creator_id) as conn:
            draft_id = store_draft(
                conn,
                context.fan_id,
                draft,
                in_reply_to=message_id,
                user_id=context.user_id,
                thread_id=context.thread_id,
            )
            remembered = remember(conn, deps.embedder, context.fan_id, facts, deps.memory)
        return {
            **update,
            "draft_message_id": str(draft_id),
            "remembered": [str(r.memory.id) for r in remembered if r.outcome != "duplicate"],
            "timings_ms": timings,
        }

    return finalize
