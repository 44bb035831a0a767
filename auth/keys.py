"""API keys: created for a user (shown once, stored as a SHA-256 digest) and resolved to who is
calling and which creators they work for, in which role.

The service role cannot read api_keys; it asks fanagent_authenticate(digest) (migration 0010).
Creating users and keys is the admin's (the `fanagent users` / `fanagent keys` commands).
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import psycopg

Role = Literal["owner", "manager", "chatter"]
KEY_PREFIX = "fa_"
PREFIX_SHOWN = 10  # characters of a key kept in clear to tell keys apart

AUTHENTICATE = "SELECT user_id, key_id, creator_id, role FROM fanagent_authenticate(%s)"
INSERT_USER = """
INSERT INTO users (email, display_name) VALUES (%(email)s, %(name)s)
ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name
RETURNING id
"""
ASSIGN = """
INSERT INTO creator_assignments (creator_id, user_id, role) VALUES (%(creator)s, %(user)s, %(role)s)
ON CONFLICT (creator_id, user_id) DO UPDATE SET role = EXCLUDED.role
"""
USER_BY_EMAIL = "SELECT id FROM users WHERE email = %s"
INSERT_KEY = """
INSERT INTO api_keys (user_id, name, key_prefix, key_sha256) VALUES (%s, %s, %s, %s)
ON CONFLICT (key_sha256) DO NOTHING
RETURNING id
"""
REVOKE_KEY = "UPDATE api_keys SET revoked_at = now() WHERE key_prefix = %s AND revoked_at IS NULL"


class UnknownUser(LookupError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, the key, and their role for each creator they work for."""

    user_id: UUID
    key_id: UUID
    roles: dict[UUID, Role]


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def authenticate(conn: psycopg.Connection[Any], key: str) -> Principal | None:
    """The principal of `key`, or None for an unknown, revoked or disabled one (or one whose
    user works for no creator)."""
    rows = conn.execute(AUTHENTICATE, [digest(key)]).fetchall()
    if not rows:
        return None
    user_id, key_id = rows[0][0], rows[0][1]
    return Principal(user_id, key_id, {row[2]: row[3] for row in rows})


def add_user(
    admin: psycopg.Connection[Any], email: str, name: str, creator_id: UUID, role: Role
) -> UUID:
    """Creates (or renames) the user and assigns them to the creator in `role` (as the admin)."""
    row = admin.execute(INSERT_USER, {"email": email, "name": name}).fetchone()
    assert row is not None
    admin.execute(ASSIGN, {"creator": creator_id, "user": row[0], "role": role})
    return UUID(str(row[0]))


def create_key(
    admin: psycopg.Connection[Any], email: str, name: str, key: str | None = None
) -> str:
    """A new key for the user (as the admin); returned once, only its digest is kept. Passing
    `key` registers a known one (the demo keys); registering it twice is a no-op."""
    found = admin.execute(USER_BY_EMAIL, [email]).fetchone()
    if found is None:
        raise UnknownUser(f"no user {email}; add it with `fanagent users add`")
    key = key or new_key()
    admin.execute(INSERT_KEY, [found[0], name, key[:PREFIX_SHOWN], digest(key)])
    return key


def revoke_key(admin: psycopg.Connection[Any], prefix: str) -> int:
    """Revokes the keys starting with `prefix` (as shown by `keys create`); how many."""
    return admin.execute(REVOKE_KEY, [prefix]).rowcount
