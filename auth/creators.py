"""Creators as the people who act for them see them: found by handle or id (the operator), listed
(the admin), and a user's own view of one creator inside its row-level-security scope (the
API's `GET /v1/me`)."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg

from auth.keys import Role

BY_HANDLE = "SELECT creator_id FROM creator_profiles WHERE handle = %s"
IN_SCOPE = "SELECT 1 FROM creator_profiles WHERE creator_id = app_current_creator()"
EVERY_CREATOR = """
SELECT c.creator_id, c.handle, c.display_name,
       (SELECT count(*) FROM fan_profiles f WHERE f.creator_id = c.creator_id)
FROM creator_profiles c ORDER BY c.created_at, c.handle
"""
MEMBER = """
SELECT c.creator_id, c.handle, c.display_name, a.role, u.email, u.display_name
FROM creator_profiles c
JOIN creator_assignments a ON a.creator_id = c.creator_id AND a.user_id = %s
JOIN users u ON u.id = a.user_id
WHERE c.creator_id = app_current_creator()
"""


@dataclass(frozen=True)
class CreatorSummary:
    id: UUID
    handle: str
    display_name: str
    fans: int


@dataclass(frozen=True)
class Membership:
    """One creator a user works for, and that user, as seen in the creator's scope."""

    creator_id: UUID
    handle: str
    display_name: str
    role: Role
    email: str
    user_name: str


def by_handle(admin: psycopg.Connection[Any], handle: str) -> UUID | None:
    """The creator with `handle` (as the admin: the service role sees no creator unscoped)."""
    row = admin.execute(BY_HANDLE, [handle]).fetchone()
    return None if row is None else UUID(str(row[0]))


def in_scope(conn: psycopg.Connection[Any]) -> bool:
    """Whether the creator of the current scope exists."""
    return conn.execute(IN_SCOPE).fetchone() is not None


def every_creator(admin: psycopg.Connection[Any]) -> list[CreatorSummary]:
    """Every creator the admin sees (all of them as a superuser), oldest first, with fan counts."""
    return [
        CreatorSummary(UUID(str(row[0])), row[1], row[2], row[3])
        for row in admin.execute(EVERY_CREATOR)
    ]


def membership(conn: psycopg.Connection[Any], user_id: UUID) -> Membership | None:
    """The scope's creator, the user `user_id` and their role for it; None when the user does not
    work for it."""
    row = conn.execute(MEMBER, [user_id]).fetchone()
    if row is None:
        return None
    return Membership(UUID(str(row[0])), row[1], row[2], row[3], row[4], row[5])
