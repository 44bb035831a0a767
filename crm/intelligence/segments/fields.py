"""The allow-list of what a segment rule may look at. A rule names a field, recency event or
percentile field from here; the compiler turns the name into this fixed SQL, never into an
identifier built from the rule, and every value into a query parameter.

The expressions read three row sources joined per fan: p (fan_profiles), s (fan_scores) and a
(fan_activity); %(as_of)s is the evaluation moment. An evaluation starts from fan_scores and
joins fan_activity and fan_profiles only when the rule reads them (`source_of`): the profile is
a wide row, scores and activity narrow ones.
"""

from dataclasses import dataclass
from typing import Literal, LiteralString

from crm.intelligence.stages import STAGES
from crm.intelligence.temperature import TEMPERATURES

FieldKind = Literal["number", "days_since", "choice", "text", "flag", "set"]

OPERATORS: dict[FieldKind, frozenset[str]] = {
    "number": frozenset(
        {"eq", "ne", "gt", "gte", "lt", "lte", "between", "is_null", "is_not_null"}
    ),
    "days_since": frozenset({"gt", "gte", "lt", "lte", "between", "is_null", "is_not_null"}),
    "choice": frozenset({"eq", "ne", "in", "not_in", "is_null", "is_not_null"}),
    "text": frozenset({"eq", "ne", "in", "not_in", "is_null", "is_not_null"}),
    "flag": frozenset({"eq"}),
    "set": frozenset({"eq", "in"}),
}


@dataclass(frozen=True)
class FieldSpec:
    kind: FieldKind
    expression: LiteralString  # over p, s, a; a timestamp for days_since
    description: str
    choices: tuple[str, ...] = ()
    percentile_of: tuple[LiteralString, LiteralString] | None = None  # (table, column) to rank


FIELDS: dict[str, FieldSpec] = {
    # money (fan_profiles)
    "lifetime_spend": FieldSpec(
        "number", "p.lifetime_spend", "USD spent in all",
        percentile_of=("fan_profiles", "lifetime_spend"),
    ),
    "purchase_count": FieldSpec(
        "number", "p.purchase_count", "purchases", percentile_of=("fan_profiles", "purchase_count")
    ),
    "avg_order_value": FieldSpec(
        "number", "p.avg_order_value", "USD per purchase",
        percentile_of=("fan_profiles", "avg_order_value"),
    ),
    "biggest_purchase": FieldSpec("number", "p.biggest_purchase", "largest purchase, USD"),
    "ppv_conversion_rate": FieldSpec(
        "number", "p.ppv_conversion_rate", "share of PPV offers bought (0 to 1)"
    ),
    "price_range": FieldSpec(
        "choice", "p.price_range", "spend tier", ("low", "mid", "high", "whale")
    ),
    "buyer_type": FieldSpec(
        "choice", "p.buyer_type", "what the fan buys",
        ("subscriber_only", "ppv_buyer", "tipper", "custom_buyer", "mixed"),
    ),
    "discount_sensitivity": FieldSpec(
        "choice", "p.discount_sensitivity", "asks for discounts",
        ("never", "sometimes", "always"),
    ),
    "chargeback_risk": FieldSpec("flag", "p.chargeback_risk", "ever charged back"),
    # relationship and engagement (fan_profiles)
    "relationship_stage": FieldSpec("choice", "p.relationship_stage", "stage", STAGES),
    "temperature": FieldSpec("choice", "p.temperature", "temperature ring", TEMPERATURES),
    "fan_type": FieldSpec(
        "choice", "p.fan_type", "personality",
        ("submissive", "dominant", "romantic", "transactional", "lonely"),
    ),
    "content_format_pref": FieldSpec(
        "choice", "p.content_format_pref", "preferred format",
        ("photo", "video", "audio", "text", "bundle"),
    ),
    "message_count": FieldSpec(
        "number", "p.message_count", "messages both ways",
        percentile_of=("fan_profiles", "message_count"),
    ),
    "avg_reply_seconds": FieldSpec("number", "p.avg_reply_seconds", "mean reply time, seconds"),
    "time_waster_score": FieldSpec("number", "p.time_waster_score", "0 to 100"),
    "language": FieldSpec("text", "p.language", "language code"),
    # scores (fan_scores)
    "churn_risk": FieldSpec(
        "number", "s.churn_risk", "0 to 1", percentile_of=("fan_scores", "churn_risk")
    ),
    "predicted_ltv": FieldSpec(
        "number", "s.predicted_ltv", "USD", percentile_of=("fan_scores", "predicted_ltv")
    ),
    "upsell_readiness": FieldSpec(
        "number", "s.upsell_readiness", "0 to 1", percentile_of=("fan_scores", "upsell_readiness")
    ),
    "loyalty": FieldSpec("number", "s.loyalty", "0 to 1", percentile_of=("fan_scores", "loyalty")),
    # subscription and recency (fan_activity, fan_profiles)
    "subscribed": FieldSpec(
        "flag",
        "(a.subscribed_since IS NOT NULL"
        " AND (a.access_until IS NULL OR a.access_until > %(as_of)s))",
        "has access now",
    ),
    "subscribed_days": FieldSpec(
        "days_since", "a.subscribed_since", "days in the current subscription"
    ),
    "subscription_tier": FieldSpec("text", "a.subscription_tier", "tier giving access now"),
    "subscription_status": FieldSpec(
        "choice", "a.subscription_status", "best subscription status",
        ("trial", "active", "cancelled", "expired"),
    ),
    "platform": FieldSpec("set", "a.platforms", "has an account on (onlyfans, fansly, ...)"),
    "tenure_days": FieldSpec("days_since", "p.created_at", "days since the fan joined"),
    "days_since_fan_message": FieldSpec(
        "days_since", "a.last_inbound_at", "days since the fan last wrote"
    ),
    "days_since_purchase": FieldSpec(
        "days_since", "p.last_purchase_at", "days since any purchase"
    ),
    "days_since_engagement": FieldSpec(
        "days_since", "a.last_active_at", "days since the fan last engaged"
    ),
}  # fmt: skip

# "Has the fan done this within the last N days?" -> the timestamp of the latest such event.
RECENCY_EVENTS: dict[str, LiteralString] = {
    "fan_message": "a.last_inbound_at",
    "creator_message": "a.last_outbound_at",
    "purchase": "p.last_purchase_at",
    "buy": "a.last_buy_at",
    "ppv_purchase": "a.last_ppv_at",
    "tip": "a.last_tip_at",
    "custom_purchase": "a.last_custom_at",
    "engagement": "a.last_active_at",
    "subscription_start": "a.subscribed_since",
}

PERCENTILE_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.percentile_of)


def source_of(expression: str) -> str:
    """The alias an allow-listed expression reads: p, s or a."""
    return expression.lstrip("(")[0]
