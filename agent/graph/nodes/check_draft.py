"""Persona check: the draft against the rules of the fan's persona (personas/check.py)."""

from typing import Any

from agent.graph.state import DraftState
from personas.check import Violation, check_draft
from personas.model import Persona


def violations_json(violations: list[Violation]) -> list[dict[str, str]]:
    return [{"rule": v.rule.value, "detail": v.detail, "hint": v.hint} for v in violations]


def make() -> Any:
    def check_persona(state: DraftState) -> DraftState:
        persona = Persona.model_validate(state["persona"])
        return {"violations": violations_json(check_draft(state.get("draft", ""), persona))}

    return check_persona
