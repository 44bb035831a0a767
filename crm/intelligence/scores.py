"""The four fan scores (fan_scores), computed set-based from the facts table
(facts.py: fan_transactions, fan_messages, fan_subscription_events, fan_subscriptions).

Formula version v1. Inputs, at as_of:

    idle     days since the fan last engaged (else since the profile was created)
    tenure   days since the profile was created
    lapsed   no subscription gives access any more (facts.py)
    clamp(x) = min(1, max(0, x))

Churn risk, the probability the fan cancels or lapses in the coming month (1 once lapsed):

    recency   = 1 - exp(-idle / 21)                          0 today, 0.63 at 3 weeks
    decline   = (inbound previous 30 days - inbound last 30 days) / inbound previous 30 days,
                at least 0 (0 without messages in the previous 30 days)
    cancelled = 1 when the fan has access but nothing renews (cancelled, or auto-renew off)
    failures  = expirations / (rebills + trial conversions + expirations), 0 without history
    churn_risk = clamp(0.5 recency + 0.15 decline + 0.25 cancelled + 0.1 failures)

Predicted lifetime value (USD), what the fan has paid plus the expected next 12 months:

    monthly   = purchases of the last 90 days / min(3, max(1, tenure / 30)) months
    months    = sum over k = 1..12 of (1 - churn_risk)^k     (12 when churn_risk is 0)
    predicted_ltv = lifetime_spend + monthly * months

Upsell readiness, how receptive the fan is to a PPV, custom or upgrade now (0 once lapsed):

    frequency  = 1 - exp(-buys in the last 90 days / 3)
    response   = PPV conversion rate (offers bought within 7 days), 0.25 when never offered
    trajectory = 0.5 + 0.5 (b30 - p) / max(b30, p), with b30 the buy spend of the last 30 days
                 and p the monthly buy spend of the 60 days before; 0 when both are 0
    recent     = exp(-idle / 14)
    upsell_readiness = clamp(0.35 frequency + 0.2 response + 0.2 trajectory + 0.25 recent)

Loyalty, tenure, consistency, spend level and engagement depth (halved once lapsed):

    tenure_part  = 1 - exp(-tenure / 180)
    consistency  = active months (of the last six 30-day windows, an inbound message or a buy)
                   / min(6, max(1, ceil(tenure / 30)))
    spend_part   = min(1, ln(1 + lifetime_spend) / ln(1 + 1500))   whales ($1,500+) score 1
    engagement   = 1 - exp(-inbound messages / 40)
    loyalty = clamp(0.2 tenure_part + 0.3 consistency + 0.3 spend_part + 0.2 engagement)

Scores are rounded to 4 decimals, the value to the cent. The weights are a first, documented
model, not a fitted one: change them with a new FORMULA_VERSION.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import class_row
from pydantic import BaseModel

from crm.intelligence.facts import FACTS

FORMULA_VERSION = "v1"
WHALE_SPEND = 1500


class FanScores(BaseModel):
    fan_id: UUID
    churn_risk: float
    predicted_ltv: float
    upsell_readiness: float
    loyalty: float
    formula_version: str
    computed_at: datetime


# Scores need each intermediate once: the MATERIALIZED CTE keeps PostgreSQL from pasting the
# churn expression into every place the expected months use it.
_UPSERT = sql.SQL("""
WITH base AS MATERIALIZED (
    SELECT f.fan_id, f.creator_id, f.lifetime_spend,
        CASE WHEN f.lapsed THEN 1.0 ELSE least(1, greatest(0,
            0.5 * (1 - exp(-least(greatest(t.idle, 0) / 21, 700)))
            + 0.15 * CASE WHEN f.inbound_prev_30d > 0
                          THEN greatest(0, (f.inbound_prev_30d - f.inbound_30d)::float8
                                           / f.inbound_prev_30d)
                          ELSE 0 END
            + 0.25 * CASE WHEN f.has_access AND NOT f.renewing THEN 1 ELSE 0 END
            + 0.1 * CASE WHEN f.renewals + f.expirations > 0
                         THEN f.expirations::float8 / (f.renewals + f.expirations)
                         ELSE 0 END)) END AS churn_risk,
        f.spend_90d::float8 / least(3, greatest(1, t.tenure / 30)) AS monthly,
        CASE WHEN f.lapsed THEN 0.0 ELSE least(1, greatest(0,
            0.35 * (1 - exp(-f.buys_90d::float8 / 3))
            + 0.2 * coalesce(f.ppv_conversion_rate, 0.25)
            + 0.2 * CASE WHEN f.buy_spend_30d + f.buy_spend_30_90d = 0 THEN 0
                         ELSE 0.5 + 0.5 * (f.buy_spend_30d - f.buy_spend_30_90d / 2)::float8
                              / greatest(f.buy_spend_30d, f.buy_spend_30_90d / 2) END
            + 0.25 * exp(-least(greatest(t.idle, 0) / 14, 700)))) END AS upsell_readiness,
        least(1, greatest(0,
            0.2 * (1 - exp(-least(t.tenure / 180, 700)))
            + 0.3 * least(1, f.active_months::float8
                             / least(6, greatest(1, ceil(t.tenure / 30))))
            + 0.3 * least(1, ln(1 + f.lifetime_spend::float8) / ln(1 + %(whale)s::float8))
            + 0.2 * (1 - exp(-f.inbound_count::float8 / 40))))
            * CASE WHEN f.lapsed THEN 0.5 ELSE 1 END AS loyalty
    FROM {facts} f
    CROSS JOIN LATERAL (
        SELECT date_part('epoch', %(as_of)s - coalesce(f.last_active_at, f.created_at))
                   / 86400 AS idle,
               greatest(0, date_part('epoch', %(as_of)s - f.created_at) / 86400) AS tenure
    ) t
),
scored AS (
    SELECT b.fan_id, b.creator_id,
        (round(b.churn_risk * 10000) / 10000)::real AS churn_risk,
        (b.lifetime_spend + b.monthly * CASE
            WHEN b.churn_risk < 1e-9 THEN 12.0
            ELSE (1 - b.churn_risk) * (1 - power(1 - b.churn_risk, 12)) / b.churn_risk
        END)::numeric(12, 2) AS predicted_ltv,
        (round(b.upsell_readiness * 10000) / 10000)::real AS upsell_readiness,
        (round(b.loyalty * 10000) / 10000)::real AS loyalty
    FROM base b
),
updated AS (
    UPDATE fan_scores x SET
        churn_risk = s.churn_risk, predicted_ltv = s.predicted_ltv,
        upsell_readiness = s.upsell_readiness, loyalty = s.loyalty,
        formula_version = %(version)s, computed_at = %(as_of)s
    FROM scored s
    WHERE x.fan_id = s.fan_id
    RETURNING x.fan_id
),
inserted AS (
    INSERT INTO fan_scores (fan_id, creator_id, churn_risk, predicted_ltv, upsell_readiness,
                            loyalty, formula_version, computed_at)
    SELECT s.fan_id, s.creator_id, s.churn_risk, s.predicted_ltv, s.upsell_readiness,
           s.loyalty, %(version)s, %(as_of)s
    FROM scored s
    WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.fan_id = s.fan_id)
    -- A concurrent refresh of the same new fan inserted it first.
    ON CONFLICT (fan_id) DO UPDATE SET
        churn_risk = excluded.churn_risk, predicted_ltv = excluded.predicted_ltv,
        upsell_readiness = excluded.upsell_readiness, loyalty = excluded.loyalty,
        formula_version = excluded.formula_version, computed_at = excluded.computed_at
    RETURNING fan_id
)
SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted)
""").format(facts=sql.Identifier(FACTS))

_SELECT = """
SELECT fan_id, churn_risk, predicted_ltv, upsell_readiness, loyalty, formula_version, computed_at
FROM fan_scores WHERE fan_id = %(fan_id)s
"""


def update(conn: psycopg.Connection[Any], as_of: datetime) -> int:
    """Computes and stores the scores of every fan in the facts table; returns how many."""
    params = {"as_of": as_of, "version": FORMULA_VERSION, "whale": WHALE_SPEND}
    row = conn.execute(_UPSERT, params).fetchone()
    return int(row[0]) if row else 0


def scores_of(conn: psycopg.Connection[Any], fan_id: UUID) -> FanScores | None:
    """The fan's stored scores, or None before the first computation."""
    with conn.cursor(row_factory=class_row(FanScores)) as cursor:
        return cursor.execute(_SELECT, {"fan_id": fan_id}).fetchone()
