"""Four example segments, shipped to every creator as presets.

The fourth is about inactive fans on one subscription tier; the tiers in this CRM
are the creator's own names (the demo's are standard and vip), so the preset targets the base
tier, standard. A creator with other tier names copies it with theirs.
"""

from dataclasses import dataclass
from typing import Any

from crm.intelligence.segments.rules import RuleSet


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    rules: dict[str, Any]

    def rule_set(self) -> RuleSet:
        return RuleSet.model_validate(self.rules)


PRESETS: tuple[Preset, ...] = (
    Preset(
        "Churn risk, subscribed 90+ days",
        "Fans with churn risk score above 0.7 who have been subscribed for more than 90 days",
        {
            "all": [
                {"field": "churn_risk", "op": "gt", "value": 0.7},
                {"field": "subscribed_days", "op": "gt", "value": 90},
            ]
        },
    ),
    Preset(
        "Ready to buy, no PPV in 30 days",
        "Fans with upsell readiness above 0.8 who have not purchased PPV in the last 30 days",
        {
            "all": [
                {"field": "upsell_readiness", "op": "gt", "value": 0.8},
                {"not": {"recency": "ppv_purchase", "within_days": 30}},
            ]
        },
    ),
    Preset(
        "Top loyalty quartile",
        "Fans in the top loyalty quartile across all platforms",
        {"percentile": "loyalty", "at_least": 0.75},
    ),
    Preset(
        "Inactive on the standard tier",
        "Inactive fans (no message in 14 days) with a subscription on the standard tier",
        {
            "all": [
                {"not": {"recency": "fan_message", "within_days": 14}},
                {"field": "subscribed", "op": "eq", "value": True},
                {"field": "subscription_tier", "op": "eq", "value": "standard"},
            ]
        },
    ),
)
