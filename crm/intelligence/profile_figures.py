"""The per-fan figures that are derived, not typed in: fan_profiles' money and
message columns, rewritten from the facts table (facts.py) wherever they differ.

- lifetime_spend, purchase_count, biggest_purchase, first/last_purchase_at, last_purchase_kind
  and _amount: over the fan's purchases (subscription, tip, ppv, custom, paid_message);
  avg_order_value = lifetime_spend / purchase_count, rounded half up to the cent;
- price_range by lifetime spend: under $50 low, under $300 mid, under $1,500 high, else whale;
- buyer_type: subscriber_only when every purchase is a subscription; otherwise the kind of buy
  holding at least 60% of the buy spend (ppv_buyer for PPV and paid messages, tipper,
  custom_buyer), else mixed;
- chargeback_risk: the fan ever charged a purchase back;
- ppv_conversion_rate: of the PPV offers sent to the fan (outbound messages with media and a
  price), the share bought within 7 days;
- message_count, last_message_at: messages received or sent, both directions;
- active_hours: the (up to 3) UTC hours with the most inbound messages, ties to the earlier hour;
- avg_reply_seconds: the mean response_seconds of the fan's messages that have one (the demo's
  and the platforms' replies to the fan);
- positive_message_ratio: inbound messages with sentiment above 0.2; last_sentiment: of the
  latest inbound message.

Figures of a fan without purchases or messages are 0 or NULL as the columns allow. The same
definitions generate the demo data (db/demo/profile.py); tests/intelligence checks they agree.
"""

from typing import Any

import psycopg
from psycopg import sql

from crm.intelligence.facts import FACTS

_FIGURES = sql.SQL("""
SELECT f.fan_id,
    f.lifetime_spend, f.purchase_count, f.avg_order_value, f.biggest_purchase,
    f.first_purchase_at, f.last_purchase_at, f.last_purchase_kind, f.last_purchase_amount,
    CASE WHEN f.purchase_count = 0 THEN NULL
         WHEN f.lifetime_spend < 50 THEN 'low'
         WHEN f.lifetime_spend < 300 THEN 'mid'
         WHEN f.lifetime_spend < 1500 THEN 'high'
         ELSE 'whale' END AS price_range,
    CASE WHEN f.purchase_count = 0 THEN NULL
         WHEN f.ppv_spend + f.tip_spend + f.custom_spend = 0 THEN 'subscriber_only'
         WHEN f.ppv_spend >= 0.6 * (f.ppv_spend + f.tip_spend + f.custom_spend) THEN 'ppv_buyer'
         WHEN f.tip_spend >= 0.6 * (f.ppv_spend + f.tip_spend + f.custom_spend) THEN 'tipper'
         WHEN f.custom_spend >= 0.6 * (f.ppv_spend + f.tip_spend + f.custom_spend)
             THEN 'custom_buyer'
         ELSE 'mixed' END AS buyer_type,
    f.chargeback AS chargeback_risk, f.ppv_conversion_rate,
    f.message_count, f.last_message_at, f.active_hours, f.avg_reply_seconds,
    f.positive_message_ratio, f.last_sentiment
FROM {facts} f
""").format(facts=sql.Identifier(FACTS))

COLUMNS = (
    "lifetime_spend", "purchase_count", "avg_order_value", "biggest_purchase",
    "first_purchase_at", "last_purchase_at", "last_purchase_kind", "last_purchase_amount",
    "price_range", "buyer_type", "chargeback_risk", "ppv_conversion_rate",
    "message_count", "last_message_at", "active_hours", "avg_reply_seconds",
    "positive_message_ratio", "last_sentiment",
)  # fmt: skip

_UPDATE = sql.SQL("""
UPDATE fan_profiles p SET ({targets}) = ({values})
FROM ({figures}) n
WHERE p.id = n.fan_id AND ({columns}) IS DISTINCT FROM ({values})
""").format(
    targets=sql.SQL(", ").join(sql.Identifier(c) for c in COLUMNS),
    columns=sql.SQL(", ").join(sql.SQL("p.{}").format(sql.Identifier(c)) for c in COLUMNS),
    values=sql.SQL(", ").join(sql.SQL("n.{}").format(sql.Identifier(c)) for c in COLUMNS),
    figures=_FIGURES,
)


def update(conn: psycopg.Connection[Any]) -> int:
    """Rewrites the derived columns of every fan in the facts table whose figures changed;
    returns how many fans changed."""
    return conn.execute(_UPDATE).rowcount
