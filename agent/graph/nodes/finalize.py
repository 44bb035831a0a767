"""Finalize: mechanical persona fixes, then the draft stored (fan_messages, status 'draft',
linked to the message it answers and this run) when the guard passes it, or reported as no
usable draft when it does not (nothing stored); the durable facts of the fan's message
remembered (the patterns', and the model's when agent/graph/model_facts.py is on). A preview
(free text that is no stored fan message) stores and remembers nothing."""

import asyncio
from typing import Any
from uuid import UUID

from langgraph.runtime import Runtime

from agent.graph import model_facts
from agent.graph.deps import AgentDeps
from agent.graph.nodes.check_draft import violations_json
from agent.graph.offered import offered_prices
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from crm.conversation import store_draft
from memory.extract import extract_facts
from memory.remember import Remembered, remember
from memory.types import Fact
from personas.check import check_draft
from personas.fix import apply_fixes
from personas.model import Persona
from prompts.guard import guard_draft


def make(deps: AgentDeps) -> Any:
    async def finalize(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        persona = Persona.model_validate(state["persona"])
        fixed = apply_fixes(state.get("draft", ""), persona)
        verdict = guard_draft(
            fixed,
            persona,
            state["message"],
            prompts=deps.prompts,
            offered_prices=offered_prices(state),
        )
        draft = fixed if verdict.sendable else ""
        update: DraftState = {
            "draft": draft,
            "violations": violations_json(check_draft(draft, persona)) if draft else [],
            "refusals": verdict.as_json(),
            "outcome": "drafted" if verdict.sendable else "no_usable_draft",
        }
        if not state.get("message_id"):
            return update
        message_id = UUID(state["message_id"])
        timings: dict[str, float] = {}

        def store(facts: list[Fact]) -> list[Remembered]:
            """Blocking (the database, the embedder): run in a worker thread."""
            with deps.scoped(context.creator_id) as conn:
                if verdict.sendable:
                    update["draft_message_id"] = str(
                        store_draft(
                            conn,
                            context.fan_id,
                            draft,
                            in_reply_to=message_id,
                            user_id=context.user_id,
                            thread_id=context.thread_id,
                        )
                    )
                return remember(conn, deps.embedder, context.fan_id, facts, deps.memory)

        with timed(state, "finalize", timings):
            facts = extract_facts(
                state["message"], source_message_id=message_id, said_on=deps.clock().date()
            )
            if model_facts.enabled(deps):
                facts += await model_facts.model_facts(
                    deps.chat_model,
                    state["message"],
                    message_id,
                    facts,
                    timeout_s=deps.memory.llm_extraction_timeout_s,
                )
            remembered = await asyncio.to_thread(store, facts)
        return {
            **update,
            "remembered": [str(r.memory.id) for r in remembered if r.outcome != "duplicate"],
            "timings_ms": timings,
        }

    return finalize
