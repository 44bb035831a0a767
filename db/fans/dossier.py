"""Everything known about one fan, for the dossier page: built from the same reads the agent's
tools make (tools/), plus the platform accounts, notes, memories and, for owners and managers
only, the personal fields seed 004 keeps from chatters."""

from typing import Any
from uuid import UUID

import psycopg

from memory.store import list_current
from tools.base import RunContext
from tools.fans import get_fan_profile, get_fan_scores
from tools.fields import NoArguments
from tools.messages import RecentMessagesArgs, get_recent_messages
from tools.purchases import PurchaseHistoryArgs, get_purchase_history
from tools.rows import fetch_all, fetch_one

PERSONAL = "SELECT real_name, email, phone_number, city, country FROM fan_profiles WHERE id = %s"
ACCOUNTS = """
SELECT platform, platform_fan_id, username, joined_at FROM fan_platform_accounts
WHERE fan_id = %s ORDER BY platform, platform_fan_id
"""
NOTES = """
SELECT id, body, author_user_id, created_at FROM fan_notes
WHERE fan_id = %s ORDER BY created_at DESC, id
"""
PURCHASE_SUMMARY = """
SELECT kind, count(*) AS count, sum(amount) AS total, max(occurred_at) AS last_at
FROM fan_transactions WHERE fan_id = %s GROUP BY kind ORDER BY kind
"""


def dossier(
    conn: psycopg.Connection[Any], creator_id: UUID, fan_id: UUID, *, personal: bool
) -> dict[str, Any]:
    """The fan's dossier (in the caller's creator scope); `personal` adds seed 004's fields."""
    run = RunContext(creator_id, fan_id, thread_id="dossier")
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
        for m in list_current(conn, fan_id)
    ]
    return {
        "id": str(fan_id),
        "profile": get_fan_profile(conn, run, NoArguments()),
        "personal": fetch_one(conn, PERSONAL, [fan_id]) if personal else None,
        "platform_accounts": fetch_all(conn, ACCOUNTS, [fan_id]),
        "scores": get_fan_scores(conn, run, NoArguments())["scores"],
        "notes": fetch_all(conn, NOTES, [fan_id]),
        "memories": memories,
        "recent_messages": get_recent_messages(conn, run, RecentMessagesArgs(limit=20))["messages"],
        "purchases": get_purchase_history(conn, run, PurchaseHistoryArgs(limit=20))["purchases"],
        "purchase_summary": fetch_all(conn, PURCHASE_SUMMARY, [fan_id]),
    }
