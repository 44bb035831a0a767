"""The creator's fans: search, filters and keyset pagination, biggest spenders first.

The cursor is the last row's (lifetime_spend, id), so a page is an index range scan and a fan
never shows twice or goes missing while others are added.
"""

import base64
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from crm.conversation import AWAITING_REPLY, LATEST_MESSAGE
from db.rows import fetch_all

LIST = sql.SQL("""
SELECT f.id, f.display_name, f.relationship_stage, f.temperature, f.lifetime_spend,
       f.purchase_count, f.price_range, f.last_message_at, {awaiting} AS awaiting_reply
FROM fan_profiles f
{latest}
WHERE (%(awaiting_reply)s::boolean IS NULL OR {awaiting} = %(awaiting_reply)s)
  AND (%(q)s::text IS NULL OR f.display_name ILIKE %(q)s OR %(raw_q)s = ANY(f.aliases))
  AND (%(stage)s::text IS NULL OR f.relationship_stage = %(stage)s)
  AND (%(min_spend)s::numeric IS NULL OR f.lifetime_spend >= %(min_spend)s)
  AND (%(max_spend)s::numeric IS NULL OR f.lifetime_spend <= %(max_spend)s)
  AND (%(tag)s::text IS NULL
       OR EXISTS (SELECT 1 FROM fan_tag_values t WHERE t.fan_id = f.id AND t.tag = %(tag)s))
  AND (%(segment)s::uuid IS NULL
       OR EXISTS (SELECT 1 FROM fan_segment_members s
                  WHERE s.fan_id = f.id AND s.segment_id = %(segment)s))
  AND (%(after_spend)s::numeric IS NULL
       OR (f.lifetime_spend, f.id) < (%(after_spend)s, %(after_id)s::uuid))
ORDER BY f.lifetime_spend DESC, f.id DESC
LIMIT %(limit)s
""").format(
    awaiting=AWAITING_REPLY,
    latest=LATEST_MESSAGE.format(fan=sql.SQL("f.id"), until=sql.SQL("'infinity'")),
)


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class FanFilter:
    q: str | None = None
    stage: str | None = None
    tag: str | None = None
    segment: UUID | None = None
    min_spend: Decimal | None = None
    max_spend: Decimal | None = None
    awaiting_reply: bool | None = None  # the fan wrote last (True), or we did (False)


def list_fans(
    conn: psycopg.Connection[Any], where: FanFilter, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of fans and the cursor of the next page (None on the last one)."""
    after_spend, after_id = _decode(cursor) if cursor else (None, None)
    like = None if where.q is None else contains_pattern(where.q)
    params = {
        **where.__dict__,
        "q": like,
        "raw_q": where.q,
        "after_spend": after_spend,
        "after_id": after_id,
        "limit": limit + 1,
    }
    rows = fetch_all(conn, LIST, params)
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode(str(last["lifetime_spend"]), last["id"])


def contains_pattern(text: str) -> str:
    """The (I)LIKE pattern of the values containing `text` literally."""
    return "%" + text.replace("%", r"\%").replace("_", r"\_") + "%"


def _encode(spend: str, fan_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([spend, fan_id]).encode()).decode()


def _decode(cursor: str) -> tuple[Decimal, UUID]:
    try:
        spend, fan_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return Decimal(spend), UUID(fan_id)
    except (ValueError, TypeError, ArithmeticError) as error:
        raise BadCursor("the cursor is not one this API gave out") from error
