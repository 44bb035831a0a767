"""Check the draft: the persona's rules (personas/check.py: what a repair can mend) and the
draft guard (prompts/guard.py: whether it could be sent at all)."""

from typing import Any

from agent.graph.deps import AgentDeps
from agent.graph.offered import offered_prices
from agent.graph.state import DraftState
from personas.check import Violation, check_draft
from personas.model import Persona
from prompts.guard import guard_draft


def violations_json(violations: list[Violation]) -> list[dict[str, str]]:
    return [{"rule": v.rule.value, "detail": v.detail, "hint": v.hint} for v in violations]


def make(deps: AgentDeps) -> Any:
    def check(state: DraftState) -> DraftState:
        persona = Persona.model_validate(state["persona"])
        draft = state.get("draft", "")
        verdict = guard_draft(
            draft,
            persona,
            state["message"],
            prompts=deps.prompts,
            offered_prices=offered_prices(state),
        )
        return {
            "violations": violations_json(check_draft(draft, persona)),
            "refusals": verdict.as_json(),
        }

    return check
