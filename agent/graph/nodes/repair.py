"""Repair: the model rewrites a draft that broke the persona, told which rules and how."""

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.deps import AgentDeps
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from agent.graph.usage import added
from personas.check import Rule, Violation
from personas.model import Persona
from prompts.render import render_repair


def make(deps: AgentDeps) -> Any:
    async def repair(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        violations = [
            Violation(Rule(v["rule"]), v["detail"], v["hint"]) for v in state["violations"]
        ]
        prompt = render_repair(
            state["creator_name"],
            Persona.model_validate(state["persona"]),
            state["message"],
            state.get("draft", ""),
            violations,
            deps.prompts,
        )
        timings: dict[str, float] = {}
        with timed(state, "model", timings):
            result = await deps.chat_model.chat(prompt.messages, max_tokens=deps.limits.max_tokens)
        return {
            "draft": result.content.strip() or state.get("draft", ""),
            "repairs": state.get("repairs", 0) + 1,
            "usage": added(state, result.usage),
            "timings_ms": timings,
        }

    return repair
