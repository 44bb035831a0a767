"""API keys for test users, made as the admin makes them (`fanagent users add`, `keys create`)."""

import uuid
from uuid import UUID

import psycopg

from auth.keys import Role, add_user, create_key
from db.connect import DatabaseTarget


def key_for(target: DatabaseTarget, creator: UUID, role: Role) -> str:
    """A new user working for `creator` in `role`, and a key of theirs."""
    email = f"{role}-{uuid.uuid4().hex[:10]}@example.com"
    with psycopg.connect(target.admin_url, autocommit=True) as admin:
        add_user(admin, email, role.title(), creator, role)
        return create_key(admin, email, "test")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
