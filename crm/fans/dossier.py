"""Everything known about one fan, for the dossier page: the same reads the agent's tools make
(profile, scores, recent messages, purchases, custom requests), plus the platform accounts, the
team's notes and tags, memories and, for owners and managers only, the personal fields kept from
chatters (real name, email, phone, city, country) and the memories that carry such data
(memory/store.py)."""

from typing import Any
from uuid import UUID

import psycopg

from crm.conversation import recent_messages
from crm.fans.annotations import notes, tags
from crm.fans.customs import custom_requests
from crm.fans.profile import fan_profile, fan_scores
from crm.fans.purchases import purchase_history
from db.rows import fetch_all, fetch_one
from memory.store import list_current

PERSONAL = "SELECT real_name, email, phone_number, city, country FROM fan_profiles WHERE id = %s"
ACCOUNTS = """
SELECT platform, platform_fan_id, username, joined_at FROM fan_platform_accounts
WHERE fan_id = %s ORDER BY platform, platform_fan_id
"""
PURCHASE_SUMMARY = """
SELECT kind, count(*) AS count, sum(amount) AS total, max(occurred_at) AS last_at
FROM fan_transactions WHERE fan_id = %s GROUP BY kind ORDER BY kind
"""


def dossier(conn: psycopg.Connection[Any], fan_id: UUID, *, personal: bool) -> dict[str, Any]:
    """The fan's dossier (in the caller's creator scope); `personal` adds the personal fields
    and memories."""
    memories = [
        {
            "id": str(m.id),
            "kind": m.kind,
            "subject": m.subject,
            "body": m.body,
            "confidence": m.confidence,
            "importance": m.importance,
            "created_at": m.created_at.isoformat(),
        }
        for m in list_current(conn, fan_id, with_personal=personal)
    ]
    return {
        "id": str(fan_id),
        "profile": fan_profile(conn, fan_id),
        "personal": fetch_one(conn, PERSONAL, [fan_id]) if personal else None,
        "platform_accounts": fetch_all(conn, ACCOUNTS, [fan_id]),
        "scores": fan_scores(conn, fan_id),
        "notes": notes(conn, fan_id),
        "tags": tags(conn, fan_id),
        "memories": memories,
        "recent_messages": recent_messages(conn, fan_id, limit=20),
        "purchases": purchase_history(conn, fan_id, limit=20),
        "purchase_summary": fetch_all(conn, PURCHASE_SUMMARY, [fan_id]),
        "custom_requests": custom_requests(conn, fan_id, detail=True),
    }
