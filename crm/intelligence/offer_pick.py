"""The PPV to suggest with a reply to a fan who wants to buy (asks a price, is ready to buy,
wants more, has a big budget): the vault item the message names (words of its title or tags)
that the fan has not bought, else the newest item the fan has neither bought nor been sent;
priced for this fan by the pricing engine. A fan who asks for a discount gets the same pick at
DISCOUNT_PERCENT off that price (never below the item's lowest price). A custom made for one
fan is never offered to another, and a fan asking for a custom is answered by the custom flow,
not a PPV. Nothing is sent: the chatter offers it with the reply, through the approval gate,
and the draft may name that price."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from crm.fans.purchases import PPV_PURCHASES
from crm.intelligence.pricing import discounted_price, suggest_price
from db.text_search import ANY_WORD

BUYING = frozenset({"price_question", "ready_to_buy", "wants_more", "high_intent"})
DISCOUNT = "discount_request"
CUSTOM = "wants_custom"
DISCOUNT_PERCENT = 20

_PICK = sql.SQL("""
WITH asked AS (SELECT {any_word} AS words),
items AS (
    SELECT m.id, m.created_at,
           to_tsvector('english', m.title || ' ' || array_to_string(m.tags, ' ')) AS words,
           EXISTS (SELECT 1 FROM fan_messages s
                   WHERE s.fan_id = %(fan_id)s AND s.media_id = m.id
                     AND s.direction = 'outbound' AND s.status IN ('queued', 'sent'))
           AS sent
    FROM media_assets m
    WHERE m.kind <> 'bundle' AND NOT EXISTS ({bought})
      AND NOT EXISTS (SELECT 1 FROM fan_custom_requests c WHERE c.media_id = m.id)
)
SELECT items.id
FROM items, asked
WHERE coalesce(items.words @@ asked.words, false) OR NOT items.sent
ORDER BY coalesce(items.words @@ asked.words, false) DESC,
         ts_rank(items.words, coalesce(asked.words, ''::tsquery)) DESC,
         items.created_at DESC, items.id
LIMIT 1
""").format(any_word=sql.SQL(ANY_WORD), bought=PPV_PURCHASES.format(media=sql.SQL("m.id")))


@dataclass(frozen=True)
class PickedOffer:
    media_id: UUID
    title: str
    price: Decimal  # what the fan is offered it for
    list_price: Decimal | None
    explanation: str
    full_price: Decimal  # the pricing engine's, for this fan, before any discount
    percent_off: int | None = None  # the discount, for a fan who asked for one

    def as_json(self) -> dict[str, Any]:
        return {
            "media_id": str(self.media_id),
            "title": self.title,
            "price": float(self.price),
            "list_price": None if self.list_price is None else float(self.list_price),
            "explanation": self.explanation,
            "full_price": float(self.full_price),
            "percent_off": self.percent_off,
        }


def pick_offer(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    text: str,
    signals: Collection[str],
    *,
    as_of: datetime | None = None,
) -> PickedOffer | None:
    """The PPV to offer with the reply to `text` (in the creator's scope); None when the
    message carries no buying signal (or asks for a custom) or the vault has nothing the fan
    could buy."""
    asked_discount = DISCOUNT in signals
    if not (BUYING & set(signals) or asked_discount) or CUSTOM in signals:
        return None
    row = conn.execute(_PICK, {"fan_id": fan_id, "text": text}).fetchone()
    if row is None:
        return None
    engine = suggest_price(conn, fan_id, row[0], as_of=as_of)
    full = engine.suggested_price
    price = discounted_price(engine, DISCOUNT_PERCENT) if asked_discount else full
    percent_off = round((1 - price / full) * 100) if price < full else None
    explanation = engine.explanation
    if percent_off:
        explanation += f" {percent_off}% off for a fan who asked for a discount: ${price}."
    return PickedOffer(
        row[0], engine.title, price, engine.list_price, explanation, full, percent_off
    )
