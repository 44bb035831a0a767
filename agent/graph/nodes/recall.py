"""Recall: embed the fan's message once, and find the fan's memories that matter for it."""

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from memory.search import ScoredMemory, within_fan


def make(deps: AgentDeps) -> Any:
    async def recall(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        timings: dict[str, float] = {}

        def search() -> tuple[list[float], list[ScoredMemory]]:
            """Blocking (the model, the database): run in a worker thread, off the event loop."""
            [vector] = deps.embedder.embed([state["message"]])
            with deps.scoped(context.creator_id) as conn:
                return vector, within_fan(
                    conn,
                    context.fan_id,
                    vector,
                    deps.memory,
                    limit=deps.limits.recall,
                    as_of=deps.clock(),
                )

        with timed(state, "recall", timings):
            vector, found = await asyncio.to_thread(search)
        memories = [
            {
                "id": str(m.memory.id),
                "kind": m.memory.kind,
                "body": m.memory.body,
                "score": round(m.score, 6),
            }
            for m in found
        ]
        return {"memories": memories, "embedding": vector, "timings_ms": timings}

    return recall
