"""The approval gate: the graph stops here while any action it proposed is still pending.

The queue rows, not the resume value, say what was decided: a decision is claimed in the
database first (`queue.decide`, called by `DraftService.decide`), then the thread is resumed.
This node has no side effects, so LangGraph re-running it on every resume is harmless; each
resume that finds an action still pending stops again at the next interrupt.
"""

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agent.gate import queue
from agent.graph.deps import AgentDeps
from agent.graph.nodes.run_tools import waiting_ids
from agent.graph.state import AgentContext, DraftState


def make(deps: AgentDeps) -> Any:
    def await_approval(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        ids = waiting_ids(state)
        while True:
            with deps.scoped(runtime.context.creator_id) as conn:
                pending = [a for a in queue.get_many(conn, ids) if a.status == "pending"]
            if not pending:
                return {}
            interrupt({"awaiting_approval": [str(action.id) for action in pending]})

    return await_approval
