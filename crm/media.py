"""The creator's media vault (media_assets): one item, and a search of the vault for the team,
optionally with what a fan has of each item: bought it (a PPV purchase) or was sent or offered it
before (an outbound message queued or sent with it, or a discount offer on it). The agent's
list_media tool (tools/media.py) reads the same columns."""

from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg import sql

from crm.fans.listing import contains_pattern
from crm.fans.purchases import PPV_PURCHASES
from db.rows import fetch_all

MediaKind = Literal["photo", "video", "audio", "bundle"]
MEDIA_COLUMNS = sql.SQL(
    "m.id AS media_id, m.title, m.kind, m.tags, m.price, m.explicitness, m.duration_seconds"
)
SELECT_MEDIA = sql.SQL("SELECT {columns} FROM media_assets m WHERE m.id = %(media_id)s").format(
    columns=MEDIA_COLUMNS
)
SEARCH_VAULT = sql.SQL("""
SELECT {columns},
       CASE WHEN %(fan_id)s::uuid IS NOT NULL THEN EXISTS ({bought}) END AS already_bought,
       CASE WHEN %(fan_id)s::uuid IS NOT NULL THEN
           EXISTS (SELECT 1 FROM fan_messages s
                   WHERE s.fan_id = %(fan_id)s AND s.media_id = m.id
                     AND s.direction = 'outbound' AND s.status IN ('queued', 'sent'))
           OR EXISTS (SELECT 1 FROM fan_offers o WHERE o.fan_id = %(fan_id)s AND o.media_id = m.id)
       END AS already_sent
FROM media_assets m
WHERE (%(like)s::text IS NULL OR m.title ILIKE %(like)s
       OR EXISTS (SELECT 1 FROM unnest(m.tags) t WHERE t ILIKE %(like)s))
  AND (%(tag)s::text IS NULL OR m.tags @> ARRAY[%(tag)s::text])
  AND (%(kind)s::text IS NULL OR m.kind = %(kind)s::text)
ORDER BY m.created_at DESC, m.id
LIMIT %(limit)s
""").format(columns=MEDIA_COLUMNS, bought=PPV_PURCHASES.format(media=sql.SQL("m.id")))


def search_vault(
    conn: psycopg.Connection[Any],
    *,
    q: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    fan_id: UUID | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The vault's items, newest first: `q` in the title or a tag (any case), with `tag`, of
    `kind`; with `fan_id`, already_bought and already_sent for that fan (else None)."""
    params = {
        "like": None if q is None else contains_pattern(q),
        "tag": tag,
        "kind": kind,
        "fan_id": fan_id,
        "limit": limit,
    }
    return fetch_all(conn, SEARCH_VAULT, params)
