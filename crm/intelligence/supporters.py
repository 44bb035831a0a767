"""The supporter segmentation (one badge per fan), which the inbox tabs and the smart alerts share.

    vip        lifetime spend of at least $1,000
    hot_lead   conversion probability of at least 70%
    cold       no engagement for 30 days or more (or never)
    dormant    no engagement for 7 to 30 days
    active     everyone else: engaged in the last 7 days

The conversion probability is the fan's upsell readiness score (scores.py), which weighs the
behavioural signals this CRM records: recent chat and buying activity,
previous purchases and the response to PPV offers. A fan is "online" when their last inbound
message is under 15 minutes old (the platforms' presence is not known here).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

SupporterSegment = Literal["vip", "hot_lead", "active", "dormant", "cold"]
VIP_MIN_SPEND = Decimal(1000)
HOT_LEAD_MIN = 0.7
DORMANT_AFTER = timedelta(days=7)
COLD_AFTER = timedelta(days=30)
ONLINE_WITHIN = timedelta(minutes=15)


def segment_of(
    lifetime_spend: Decimal, conversion: float, last_active_at: datetime | None, as_of: datetime
) -> SupporterSegment:
    """The fan's badge: the first of vip, hot_lead, cold, dormant that applies, else active."""
    if lifetime_spend >= VIP_MIN_SPEND:
        return "vip"
    if conversion >= HOT_LEAD_MIN:
        return "hot_lead"
    if last_active_at is None or as_of - last_active_at >= COLD_AFTER:
        return "cold"
    if as_of - last_active_at >= DORMANT_AFTER:
        return "dormant"
    return "active"


def priority_score(
    conversion: float, *, online: bool, vip: bool, waiting_reply: bool, bought_last_7_days: bool
) -> int:
    """The inbox priority: conversion probability (0 to 100), +20 online, +15 VIP, +10 for a
    fan waiting for a reply, +10 for a purchase in the last 7 days; at most 150."""
    score = round(100 * conversion)
    score += 20 if online else 0
    score += 15 if vip else 0
    score += 10 if waiting_reply else 0
    score += 10 if bought_last_7_days else 0
    return min(150, score)
