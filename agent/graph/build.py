"""The drafting graph, its edges in one place.

START -> load_context -> recall and classify, side by side -> suggest -> draft
draft -> run_tools (tool calls) | check_draft (a reply)
run_tools -> await_approval (gated calls queued) | draft (read results)
await_approval -> execute -> draft | END (superseded)
check_draft -> redraft (refused by the guard) | repair (persona) -> check_draft
check_draft -> finalize -> END
"""

from functools import partial

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agent.graph import routing
from agent.graph.deps import AgentDeps
from agent.graph.nodes import (
    await_approval,
    check_draft,
    classify,
    draft,
    execute,
    finalize,
    load_context,
    recall,
    redraft,
    repair,
    run_tools,
    suggest,
)
from agent.graph.state import AgentContext, DraftState

DraftGraph = CompiledStateGraph[DraftState, AgentContext, DraftState, DraftState]


def build_graph(deps: AgentDeps, checkpointer: BaseCheckpointSaver[str]) -> DraftGraph:
    graph = StateGraph(DraftState, context_schema=AgentContext)
    graph.add_node("load_context", load_context.make(deps))
    graph.add_node("recall", recall.make(deps))
    graph.add_node("classify", classify.make(deps))
    graph.add_node("suggest", suggest.make(deps))
    graph.add_node("draft", draft.make(deps))
    graph.add_node("run_tools", run_tools.make(deps))
    graph.add_node("await_approval", await_approval.make(deps))
    graph.add_node("execute", execute.make(deps))
    graph.add_node("check_draft", check_draft.make(deps))
    graph.add_node("redraft", redraft.make(deps))
    graph.add_node("repair", repair.make(deps))
    graph.add_node("finalize", finalize.make(deps))

    graph.add_edge(START, "load_context")
    # Recall and classify each embed the message with an encoder of their own: side by side.
    graph.add_edge("load_context", "recall")
    graph.add_edge("load_context", "classify")
    graph.add_edge(["recall", "classify"], "suggest")
    graph.add_edge("suggest", "draft")
    graph.add_conditional_edges("draft", partial(routing.after_draft, deps.limits))
    graph.add_conditional_edges("run_tools", routing.after_tools)
    graph.add_edge("await_approval", "execute")
    graph.add_conditional_edges("execute", routing.after_execute, ["draft", END])
    graph.add_conditional_edges("check_draft", partial(routing.after_check, deps.limits))
    graph.add_edge("redraft", "check_draft")
    graph.add_edge("repair", "check_draft")
    graph.add_edge("finalize", END)
    return graph.compile(checkpointer=checkpointer)
