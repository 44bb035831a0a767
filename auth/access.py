"""Who is calling the HTTP API and which creator a request acts for.

A request carries `Authorization: Bearer <key>`. It acts for one creator at a time, inside that
creator's row-level-security scope: the creator of the fan or queued action it names (found
among the creators the caller works for, so another creator's ids answer 404, exactly like ids
that do not exist), or for listings the `X-Creator-Id` header (optional when the caller works
for one creator only).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, LiteralString
from uuid import UUID

import psycopg
from fastapi import Depends, Header, HTTPException, Request, status
from psycopg_pool import ConnectionPool

from auth.keys import Principal, Role, authenticate
from db.connect import creator_scope

FAN_EXISTS: LiteralString = "SELECT 1 FROM fan_profiles WHERE id = %s"
ACTION_EXISTS: LiteralString = "SELECT 1 FROM hitl_action_queue WHERE id = %s"
CHATTER_FORBIDDEN = "chatters cannot do this: it needs the creator's owner or a manager"


@dataclass(frozen=True)
class Caller:
    principal: Principal
    pool: ConnectionPool[psycopg.Connection[Any]]
    creator_header: UUID | None

    @contextmanager
    def scoped(self, creator_id: UUID) -> Iterator[psycopg.Connection[Any]]:
        with self.pool.connection() as conn, creator_scope(conn, creator_id):
            yield conn

    def role(self, creator_id: UUID) -> Role:
        return self.principal.roles[creator_id]

    def creator(self) -> UUID:
        """The creator a listing acts for: the header's, or the caller's only one."""
        if self.creator_header is not None:
            if self.creator_header not in self.principal.roles:
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such creator")
            return self.creator_header
        if len(self.principal.roles) == 1:
            return next(iter(self.principal.roles))
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            "you work for several creators: say which one in the X-Creator-Id header",
        )

    def creator_of(self, query: LiteralString, row_id: UUID, what: str) -> UUID:
        """The caller's creator that has the row `row_id`; 404 when none has it."""
        candidates = (
            [self.creator_header] if self.creator_header is not None else list(self.principal.roles)
        )
        for creator_id in candidates:
            if creator_id not in self.principal.roles:
                break
            with self.scoped(creator_id) as conn:
                if conn.execute(query, [row_id]).fetchone() is not None:
                    return creator_id
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {what} {row_id}")

    def creator_of_fan(self, fan_id: UUID) -> UUID:
        return self.creator_of(FAN_EXISTS, fan_id, "fan")

    def require_manager(self, creator_id: UUID) -> None:
        """Owners and managers only (approvals, personas, policies)."""
        if self.role(creator_id) == "chatter":
            raise HTTPException(status.HTTP_403_FORBIDDEN, CHATTER_FORBIDDEN)


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing Authorization header: send 'Authorization: Bearer <API key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "the Authorization header must be 'Bearer <API key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return key.strip()


def app_pool(request: Request) -> "ConnectionPool[psycopg.Connection[Any]]":
    """The application role's pool, opened by the server's lifespan (row-level security applies:
    every query runs in a creator's scope)."""
    pool: ConnectionPool[psycopg.Connection[Any]] = request.app.state.app_pool
    return pool


def current_caller(
    pool: Annotated["ConnectionPool[psycopg.Connection[Any]]", Depends(app_pool)],
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_creator_id: Annotated[
        UUID | None,
        Header(description="The creator to act for, when your key works for several."),
    ] = None,
) -> Caller:
    key = _bearer(authorization)
    with pool.connection() as conn:
        principal = authenticate(conn, key)
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "unknown or revoked API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Caller(principal, pool, x_creator_id)


CallerDep = Annotated[Caller, Depends(current_caller)]
