"""HTTP route of the caller itself: `GET /v1/me`, whom the API key belongs to and the creators it
may act for."""

from uuid import UUID

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from auth.access import CallerDep
from auth.creators import membership
from auth.keys import Role

router = APIRouter(tags=["me"])


class User(BaseModel):
    id: UUID
    email: str
    display_name: str


class CreatorAccess(BaseModel):
    id: UUID
    handle: str
    display_name: str
    role: Role


class Me(BaseModel):
    user: User
    creators: list[CreatorAccess]


@router.get("/me", response_model=Me)
def me(caller: CallerDep) -> Me:
    """The key's user and every creator the key may act for, with the user's role for each
    (each read inside that creator's scope; send its id as X-Creator-Id when there are several)."""
    user_id = caller.principal.user_id
    found = []
    for creator_id in caller.principal.roles:
        with caller.scoped(creator_id) as conn:
            member = membership(conn, user_id)
        if member is not None:
            found.append(member)
    if not found:  # every assignment removed since the key was checked
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the key's user works for no creator")
    first = found[0]
    return Me(
        user=User(id=user_id, email=first.email, display_name=first.user_name),
        creators=[
            CreatorAccess(
                id=m.creator_id, handle=m.handle, display_name=m.display_name, role=m.role
            )
            for m in sorted(found, key=lambda m: m.handle)
        ],
    )
