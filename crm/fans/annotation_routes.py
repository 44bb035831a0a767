"""HTTP routes of the team's notes and tags on a fan (crm/fans/annotations.py). Every role writes
them; a note is deleted by its author, or by an owner or a manager."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from auth.access import CallerDep
from crm.fans import annotations
from crm.fans.annotations import NOTE_EXISTS, TAG_PATTERN

router = APIRouter(tags=["notes and tags"])
OTHERS_NOTE = "a chatter deletes only their own notes; another's needs the owner or a manager"
TagName = Annotated[
    str,
    Path(
        pattern=TAG_PATTERN,
        description='Lowercase letters, digits, "_", ":" or "-"; e.g. whale, likes:cosplay.',
    ),
]


class Note(BaseModel):
    id: UUID
    body: str
    author_user_id: UUID | None
    author_name: str | None
    created_at: dt.datetime


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]


class Tag(BaseModel):
    tag: str
    value: str | None


class TagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        default=None, description="Setting a tag again replaces its value."
    )


@router.get("/fans/{fan_id}/notes", response_model=list[Note])
def notes(fan_id: UUID, caller: CallerDep) -> list[Note]:
    """The fan's notes, newest first."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        return [Note.model_validate(row) for row in annotations.notes(conn, fan_id)]


@router.post("/fans/{fan_id}/notes", response_model=Note, status_code=201)
def add_note(fan_id: UUID, body: NoteIn, caller: CallerDep) -> Note:
    """A note by the caller; the fan never sees it."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        added = annotations.add_note(conn, fan_id, body.body, caller.principal.user_id)
        return Note.model_validate(annotations.note(conn, added["note_id"]))


@router.delete("/notes/{note_id}", status_code=204, response_class=Response)
def delete_note(note_id: UUID, caller: CallerDep) -> Response:
    creator = caller.creator_of(NOTE_EXISTS, note_id, "note")
    with caller.scoped(creator) as conn:
        found = annotations.note(conn, note_id)
        author = found["author_user_id"] if found else None
        if caller.role(creator) == "chatter" and author != str(caller.principal.user_id):
            raise HTTPException(status.HTTP_403_FORBIDDEN, OTHERS_NOTE)
        annotations.delete_note(conn, note_id)
    return Response(status_code=204)


@router.get("/fans/{fan_id}/tags", response_model=list[Tag])
def tags(fan_id: UUID, caller: CallerDep) -> list[Tag]:
    """The fan's tags, by name."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        return [Tag.model_validate(row) for row in annotations.tags(conn, fan_id)]


@router.put("/fans/{fan_id}/tags/{tag}", response_model=Tag)
def set_tag(fan_id: UUID, tag: TagName, body: TagIn, caller: CallerDep) -> Tag:
    """Tags the fan (with an optional value), or replaces the tag's value."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        tagged = annotations.set_tag(conn, fan_id, tag, body.value, caller.principal.user_id)
    return Tag.model_validate(tagged)


@router.delete("/fans/{fan_id}/tags/{tag}", status_code=204, response_class=Response)
def remove_tag(fan_id: UUID, tag: TagName, caller: CallerDep) -> Response:
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        removed = annotations.remove_tag(conn, fan_id, tag)
    if not removed:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"the fan has no tag {tag!r}")
    return Response(status_code=204)
