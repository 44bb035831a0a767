"""HTTP routes of personas: the voice of one fan (their override, else the creator's default)
and the creator's default. Anyone may read; owners and managers change."""

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel

from auth.access import CallerDep
from personas import store
from personas.model import EffectivePersona, Persona
from personas.render import render_persona

router = APIRouter(tags=["personas"])


class PersonaOut(BaseModel):
    source: Literal["fan", "creator", "builtin"]
    id: UUID | None
    persona: Persona
    prompt_text: str  # how the persona reads in the draft prompt

    @classmethod
    def of(cls, effective: EffectivePersona) -> "PersonaOut":
        return cls(
            source=effective.source,
            id=effective.id,
            persona=effective.persona,
            prompt_text=render_persona(effective.persona),
        )


@router.get("/fans/{fan_id}/persona", response_model=PersonaOut)
def fan_persona(fan_id: UUID, caller: CallerDep) -> PersonaOut:
    """The persona that applies to the fan, and where it comes from."""
    creator = caller.creator_of_fan(fan_id)
    with caller.pool.connection() as conn:
        return PersonaOut.of(store.effective_persona(conn, creator, fan_id))


@router.put("/fans/{fan_id}/persona", response_model=PersonaOut)
def set_fan_persona(fan_id: UUID, persona: Persona, caller: CallerDep) -> PersonaOut:
    """Sets (replaces) the fan's own persona."""
    creator = caller.creator_of_fan(fan_id)
    caller.require_manager(creator)
    with caller.pool.connection() as conn:
        store.save_fan_persona(conn, creator, fan_id, persona)
        return PersonaOut.of(store.effective_persona(conn, creator, fan_id))


@router.delete("/fans/{fan_id}/persona", status_code=204, response_class=Response)
def reset_fan_persona(fan_id: UUID, caller: CallerDep) -> Response:
    """Removes the fan's own persona: the creator's default applies again."""
    creator = caller.creator_of_fan(fan_id)
    caller.require_manager(creator)
    with caller.pool.connection() as conn:
        store.delete_persona(conn, creator, fan_id)
    return Response(status_code=204)


@router.get("/persona", response_model=PersonaOut)
def creator_persona(caller: CallerDep) -> PersonaOut:
    """The creator's default persona (the built-in one until set)."""
    creator = caller.creator()
    with caller.pool.connection() as conn:
        return PersonaOut.of(store.creator_default(conn, creator))


@router.put("/persona", response_model=PersonaOut)
def set_creator_persona(persona: Persona, caller: CallerDep) -> PersonaOut:
    creator = caller.creator()
    caller.require_manager(creator)
    with caller.pool.connection() as conn:
        store.save_creator_default(conn, creator, persona)
        return PersonaOut.of(store.creator_default(conn, creator))
