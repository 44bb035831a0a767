"""Where the graph goes after each step that branches."""

from typing import Literal

from agent.graph.deps import AgentLimits
from agent.graph.state import DraftState
from prompts.guard import Refusal


def after_draft(
    limits: AgentLimits, state: DraftState
) -> Literal["run_tools", "draft", "check_draft"]:
    """Tool calls in the model's last turn are handled; an empty turn is asked again while
    turns are left; otherwise the text is the draft."""
    if state["chat"][-1].get("tool_calls"):
        return "run_tools"
    if state.get("plain_reply") and state.get("turns", 0) < limits.max_turns:
        return "draft"
    return "check_draft"


def after_tools(state: DraftState) -> Literal["await_approval", "draft"]:
    """Gated calls wait for the creator; read results go straight back to the model."""
    return "await_approval" if state.get("waiting") else "draft"


def after_execute(state: DraftState) -> Literal["draft", "__end__"]:
    """A superseded thread ends; otherwise the model replies knowing what was decided."""
    return "__end__" if state.get("outcome") == "superseded" else "draft"


def after_check(limits: AgentLimits, state: DraftState) -> Literal["redraft", "repair", "finalize"]:
    """A draft the guard refused is sampled again, a bounded number of times, unless a persona
    repair can mend all that is wrong with it; a draft that breaks the persona is rewritten by
    the model, a bounded number of times; then it is final (stored when the guard passes it,
    else reported as no usable draft)."""
    codes = {r["code"] for r in state.get("refusals", [])}
    repairable = bool(state.get("violations")) and state.get("repairs", 0) < limits.max_repairs
    redraft = codes and not (codes == {Refusal.PERSONA} and repairable)
    if redraft and state.get("redrafts", 0) < limits.max_redrafts:
        return "redraft"
    if repairable:
        return "repair"
    return "finalize"
