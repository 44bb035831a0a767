"""Recall: the fan's message as a vector (the one stored with it, else embedded once and
stored), and what the fan's memory holds for it: the extracted facts and the fan's own past
messages (crm/episodes.py), merged by score, each citing its source (a memory id, or a
message id with kind "message")."""

import asyncio
from typing import Any
from uuid import UUID

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from crm.episodes import recall_episodes, store_vector, stored_vector
from memory.search import within_fan
from memory.store import as_stored


def make(deps: AgentDeps) -> Any:
    async def recall(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        message_id = UUID(state["message_id"]) if state.get("message_id") else None
        shown = {UUID(turn["id"]) for turn in state.get("conversation", [])}
        timings: dict[str, float] = {}

        def search() -> tuple[list[float], list[dict[str, Any]]]:
            """Blocking (the model, the database): run in a worker thread, off the event loop."""
            with deps.scoped(context.creator_id) as conn:
                vector = stored_vector(conn, message_id) if message_id else None
                if vector is None:
                    vector = as_stored(deps.embedder.embed([state["message"]])[0])
                    if message_id:
                        store_vector(conn, message_id, vector)
                limit, now = deps.limits.recall, deps.clock()
                text = state["message"]
                facts = within_fan(
                    conn, context.fan_id, vector, deps.memory, text=text, limit=limit, as_of=now
                )
                episodes = recall_episodes(
                    conn,
                    context.fan_id,
                    vector,
                    deps.memory,
                    text=text,
                    exclude=shown | ({message_id} if message_id else set()),
                    limit=limit,
                    as_of=now,
                )
            found = [
                {
                    "id": str(m.memory.id),
                    "kind": m.memory.kind,
                    "body": m.memory.body_on(now),
                    "score": round(m.score, 6),
                }
                for m in facts
            ] + [e.as_memory() for e in episodes]
            return vector, sorted(found, key=lambda m: (-m["score"], m["id"]))[:limit]

        with timed(state, "recall", timings):
            vector, memories = await asyncio.to_thread(search)
        return {"memories": memories, "embedding": vector, "timings_ms": timings}

    return recall
