"""The team's own annotations on a fan: free-text notes (fan_notes) and tags with an optional value
(fan_tag_values). The dossier, the HTTP API and the agent's tools (tools/annotations.py) read and
write them here."""

from typing import Any, LiteralString
from uuid import UUID

import psycopg

from db.rows import fetch_all, fetch_one

TAG_PATTERN = r"^[a-z0-9][a-z0-9_:-]{0,62}$"  # the CHECK on fan_tag_values.tag

NOTE_EXISTS: LiteralString = "SELECT 1 FROM fan_notes WHERE id = %s"
_NOTE = """
SELECT n.id, n.body, n.author_user_id, u.display_name AS author_name, n.created_at
FROM fan_notes n
LEFT JOIN users u ON u.id = n.author_user_id
"""
NOTES = _NOTE + "WHERE n.fan_id = %(fan_id)s ORDER BY n.created_at DESC, n.id"
NOTE = _NOTE + "WHERE n.id = %(note_id)s"
INSERT_NOTE = """
INSERT INTO fan_notes (creator_id, fan_id, author_user_id, body)
VALUES (app_current_creator(), %(fan_id)s, %(user_id)s, %(body)s)
RETURNING id AS note_id, body, created_at
"""
DELETE_NOTE = "DELETE FROM fan_notes WHERE id = %(note_id)s"

TAGS = "SELECT tag, value FROM fan_tag_values WHERE fan_id = %(fan_id)s ORDER BY tag"
UPSERT_TAG = """
INSERT INTO fan_tag_values (creator_id, fan_id, tag, value, created_by)
VALUES (app_current_creator(), %(fan_id)s, %(tag)s, %(value)s, %(user_id)s)
ON CONFLICT (fan_id, tag) DO UPDATE SET value = EXCLUDED.value, created_by = EXCLUDED.created_by
RETURNING tag, value
"""
TAG_MANY = """
INSERT INTO fan_tag_values (creator_id, fan_id, tag, value, created_by)
SELECT app_current_creator(), f.fan_id, %(tag)s, %(value)s, %(user_id)s
FROM unnest(%(fan_ids)s::uuid[]) AS f (fan_id)
ON CONFLICT (fan_id, tag) DO UPDATE SET value = EXCLUDED.value, created_by = EXCLUDED.created_by
"""
DELETE_TAG = "DELETE FROM fan_tag_values WHERE fan_id = %(fan_id)s AND tag = %(tag)s"


def notes(conn: psycopg.Connection[Any], fan_id: UUID) -> list[dict[str, Any]]:
    """The fan's notes, newest first, with their author's name."""
    return fetch_all(conn, NOTES, {"fan_id": fan_id})


def add_note(
    conn: psycopg.Connection[Any], fan_id: UUID, body: str, user_id: UUID | None
) -> dict[str, Any]:
    """The new note (note_id, body, created_at)."""
    note = fetch_one(conn, INSERT_NOTE, {"fan_id": fan_id, "body": body, "user_id": user_id})
    assert note is not None
    return note


def note(conn: psycopg.Connection[Any], note_id: UUID) -> dict[str, Any] | None:
    return fetch_one(conn, NOTE, {"note_id": note_id})


def delete_note(conn: psycopg.Connection[Any], note_id: UUID) -> None:
    conn.execute(DELETE_NOTE, {"note_id": note_id})


def tags(conn: psycopg.Connection[Any], fan_id: UUID) -> list[dict[str, Any]]:
    """The fan's tags (tag, value), by name."""
    return fetch_all(conn, TAGS, {"fan_id": fan_id})


def set_tag(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    tag: str,
    value: str | None,
    user_id: UUID | None,
) -> dict[str, Any]:
    """Tags the fan, or replaces the tag's value; returns the tag (tag, value)."""
    params = {"fan_id": fan_id, "tag": tag, "value": value, "user_id": user_id}
    tagged = fetch_one(conn, UPSERT_TAG, params)
    assert tagged is not None
    return tagged


def tag_fans(
    conn: psycopg.Connection[Any],
    fan_ids: list[UUID],
    tag: str,
    value: str | None,
    user_id: UUID | None,
) -> None:
    """Tags every fan of `fan_ids` at once (replacing the tag's value where they had it)."""
    params = {"fan_ids": fan_ids, "tag": tag, "value": value, "user_id": user_id}
    conn.execute(TAG_MANY, params)


def remove_tag(conn: psycopg.Connection[Any], fan_id: UUID, tag: str) -> bool:
    """Untags the fan; False when the fan had no such tag."""
    return conn.execute(DELETE_TAG, {"fan_id": fan_id, "tag": tag}).rowcount > 0
