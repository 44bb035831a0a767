"""HTTP routes of fan memory: list, add (de-duplicated, superseding by subject), edit (a new
version supersedes the old, which stays as history), delete, history, and search within a fan
or across the creator's fans.

Rules: chatters never see a personal memory (where the fan lives, their job, real name, contact
details), as they never see the fan's personal fields. A memory id in a path is a UUID by the
route's `:uuid` convertor, so /memories/search is never taken for one (PUT there is a 405)."""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, LiteralString
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from auth.access import Caller, CallerDep
from memory import search, store
from memory.embedders import Embedder
from memory.remember import remember
from memory.settings import MemorySettings
from memory.types import MAX_BODY, Fact, Memory, MemoryKind

router = APIRouter(tags=["memories"])
MEMORY_EXISTS: LiteralString = "SELECT 1 FROM fan_memories WHERE id = %s"


@dataclass(frozen=True)
class MemoryDeps:
    """What the routes embed and rank with: the agent's own embedder and memory settings, set by
    the server's lifespan."""

    embedder: Embedder
    settings: MemorySettings

    def embed(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]


def memory_deps(request: Request) -> MemoryDeps:
    deps: MemoryDeps = request.app.state.memory
    return deps


MemoryDepsDep = Annotated[MemoryDeps, Depends(memory_deps)]


class MemoryOut(BaseModel):
    id: UUID
    fan_id: UUID
    kind: str
    subject: str | None
    body: str
    source_message_id: UUID | None
    confidence: float
    importance: float
    personal: bool = Field(
        description="Tells where the fan lives, their job, real name or contact details: "
        "owners and managers only."
    )
    superseded_by: UUID | None
    created_at: str
    expires_at: datetime | None = Field(
        description="A plan's end (going to Vegas next week): from then on it is past."
    )

    @classmethod
    def of(cls, memory: Memory) -> "MemoryOut":
        return cls.model_validate({**memory.__dict__, "created_at": memory.created_at.isoformat()})


def _stripped(text: str) -> str:
    """The text without surrounding whitespace (str.strip(), as Fact checks it); never blank."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("must contain more than whitespace")
    return stripped


class FactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: MemoryKind
    body: Annotated[
        str,
        Field(min_length=1, max_length=MAX_BODY, description="One short sentence."),
        AfterValidator(_stripped),
    ]
    subject: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_:-]{0,62}$",
        description="What a fact that can change is about (city, job, pet:dog).",
    )
    confidence: float = Field(default=1.0, ge=0, le=1)
    importance: float | None = Field(
        default=None, ge=0, le=1, description="Unset: the kind's (a pet's name 0.8 ... 0.4)."
    )
    expires_at: AwareDatetime | None = Field(
        default=None, description="A plan's end; unset: the fact does not expire."
    )

    def fact(self) -> Fact:
        return Fact(
            self.kind,
            self.body,
            self.subject,
            self.confidence,
            self.importance,
            expires_at=self.expires_at,
        )


class Remembered(BaseModel):
    outcome: str = Field(description="added, duplicate (reinforced) or superseded")
    memory: MemoryOut
    replaced: MemoryOut | None = Field(
        description="superseded: the previous version (null for a chatter when it is personal)"
    )


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=1000)
    limit: int = Field(default=10, ge=1, le=50)


class ScoredOut(BaseModel):
    memory: MemoryOut
    similarity: float
    score: float


def _with_personal(caller: Caller, creator_id: UUID) -> bool:
    """Whether the caller sees the creator's personal memories: owners and managers do."""
    return caller.role(creator_id) != "chatter"


@router.get("/fans/{fan_id}/memories", response_model=list[MemoryOut])
def list_memories(fan_id: UUID, caller: CallerDep) -> list[MemoryOut]:
    """The fan's current memories, oldest first."""
    creator = caller.creator_of_fan(fan_id)
    with_personal = _with_personal(caller, creator)
    with caller.scoped(creator) as conn:
        found = store.list_current(conn, fan_id, with_personal=with_personal)
    return [MemoryOut.of(m) for m in found]


@router.post("/fans/{fan_id}/memories", response_model=Remembered, status_code=201)
def add_memory(fan_id: UUID, body: FactIn, caller: CallerDep, deps: MemoryDepsDep) -> Remembered:
    """Remembers a fact: a near-identical one is reinforced, one with the subject of a current
    fact replaces it."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        [done] = remember(conn, deps.embedder, fan_id, [body.fact()], deps.settings)
    replaced = done.replaced
    if replaced is not None and replaced.personal and not _with_personal(caller, creator):
        replaced = None
    return Remembered(
        outcome=done.outcome,
        memory=MemoryOut.of(done.memory),
        replaced=MemoryOut.of(replaced) if replaced else None,
    )


@router.put("/memories/{memory_id:uuid}", response_model=MemoryOut)
def edit_memory(memory_id: UUID, body: FactIn, caller: CallerDep, deps: MemoryDepsDep) -> MemoryOut:
    """A new version of the fact; the old one stays in its history."""
    creator = caller.creator_of(MEMORY_EXISTS, memory_id, "memory")
    vector = deps.embed(body.body)
    try:
        with caller.scoped(creator) as conn:
            return MemoryOut.of(store.supersede(conn, memory_id, body.fact(), vector))
    except store.NotCurrent as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error


@router.get("/memories/{memory_id:uuid}/history", response_model=list[MemoryOut])
def memory_history(memory_id: UUID, caller: CallerDep) -> list[MemoryOut]:
    """Every version of the fact, oldest first."""
    creator = caller.creator_of(MEMORY_EXISTS, memory_id, "memory")
    with_personal = _with_personal(caller, creator)
    with caller.scoped(creator) as conn:
        found = store.history(conn, memory_id, with_personal=with_personal)
    return [MemoryOut.of(m) for m in found]


@router.delete("/memories/{memory_id:uuid}", status_code=204, response_class=Response)
def delete_memory(memory_id: UUID, caller: CallerDep) -> Response:
    """Forgets the fact with all its versions."""
    creator = caller.creator_of(MEMORY_EXISTS, memory_id, "memory")
    with caller.scoped(creator) as conn:
        store.delete(conn, memory_id)
    return Response(status_code=204)


@router.post("/fans/{fan_id}/memories/search", response_model=list[ScoredOut])
async def search_fan(
    fan_id: UUID, body: SearchIn, caller: CallerDep, deps: MemoryDepsDep
) -> list[ScoredOut]:
    """The fan's memories ranked for the query (similarity, recency, importance)."""
    creator = caller.creator_of_fan(fan_id)
    with_personal = _with_personal(caller, creator)
    vector = await asyncio.to_thread(deps.embed, body.query)

    def run() -> list[search.ScoredMemory]:
        with caller.scoped(creator) as conn:
            return search.within_fan(
                conn,
                fan_id,
                vector,
                deps.settings,
                text=body.query,
                limit=body.limit,
                with_personal=with_personal,
            )

    found = await asyncio.to_thread(run)
    return [
        ScoredOut(memory=MemoryOut.of(m.memory), similarity=m.similarity, score=m.score)
        for m in found
    ]


@router.post("/memories/search", response_model=list[dict[str, Any]])
async def search_fans(
    body: SearchIn,
    caller: CallerDep,
    deps: MemoryDepsDep,
    min_similarity: Annotated[float | None, Query(ge=-1, le=1)] = None,
) -> list[dict[str, Any]]:
    """The creator's fans who said something like the query ("fans who mentioned a trip"),
    each once with their closest memory."""
    creator = caller.creator()
    vector = await asyncio.to_thread(deps.embed, body.query)
    settings = deps.settings
    if min_similarity is not None:
        settings = settings.model_copy(update={"cross_fan_min_similarity": min_similarity})

    with_personal = _with_personal(caller, creator)

    def run() -> list[search.FanMatch]:
        with caller.scoped(creator) as conn:
            return search.across_fans(
                conn, vector, settings, limit=body.limit, with_personal=with_personal
            )

    return [
        {
            "fan_id": str(m.fan_id),
            "memory": MemoryOut.of(m.memory).model_dump(mode="json"),
            "similarity": m.similarity,
        }
        for m in await asyncio.to_thread(run)
    ]
