"""Each trigger as SQL: the creator's fans it holds for at as_of, each with its period, the
occasion that makes it fire once (the access end of an expiring subscription, the event of a
cancellation, the message left unanswered, the milestone, the score's window, the tag's time,
the segment entry, the trial's event, the key date's occurrence).

Every query returns (fan_id, period) and reads only the creator's rows (row-level security);
its parameters are named (as_of, since, until, ...), never spliced into the text.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, LiteralString

from crm.automations.model import (
    Expired,
    Expiring,
    KeyDate,
    NewSubscriber,
    NoReply,
    ScoreThreshold,
    SegmentEntered,
    SpendMilestone,
    TagAdded,
    TrialConverted,
    TrialStarted,
    Trigger,
)
from memory.store import UPCOMING_KEY_DATES, key_date_params

# Follow-ups look back this far past their delay: an older unanswered message is let be.
NO_REPLY_LOOKBACK = timedelta(days=7)

_EXPIRING: LiteralString = """
SELECT a.fan_id, to_char(a.access_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS period
FROM fan_activity a
WHERE a.access_until > %(as_of)s AND a.access_until <= %(until)s
"""
# The latest cancellation or expiry in the window, of a fan without access now.
_EXPIRED: LiteralString = """
SELECT DISTINCT ON (e.fan_id) e.fan_id, e.id::text AS period
FROM fan_subscription_events e
JOIN fan_activity a ON a.fan_id = e.fan_id
WHERE e.event_type IN ('cancelled', 'expired') AND e.occurred_at > %(since)s
  AND e.occurred_at <= %(as_of)s
  AND (a.subscribed_since IS NULL OR a.access_until <= %(as_of)s)
ORDER BY e.fan_id, e.occurred_at DESC
"""
# The latest subscription event of the given types in the window (a new subscriber, a trial).
_SUBSCRIPTION_EVENT: LiteralString = """
SELECT DISTINCT ON (e.fan_id) e.fan_id, e.id::text AS period
FROM fan_subscription_events e
WHERE e.event_type = ANY(%(event_types)s)
  AND e.occurred_at > %(since)s AND e.occurred_at <= %(as_of)s
ORDER BY e.fan_id, e.occurred_at DESC
"""
_EVENT_TYPES: dict[type, list[str]] = {
    NewSubscriber: ["subscribed", "resubscribed", "trial_started"],
    TrialStarted: ["trial_started"],
    TrialConverted: ["trial_converted"],
}
# Our latest message, sent at least `hours` ago, that nothing followed: neither the fan's
# answer (which cancels the follow-up) nor another message of ours (which restarts the wait).
_NO_REPLY: LiteralString = """
SELECT o.fan_id, o.id::text AS period
FROM fan_messages o
WHERE o.direction = 'outbound' AND o.status IN ('queued', 'sent')
  AND o.created_at > %(since)s AND o.created_at <= %(until)s
  AND NOT EXISTS (
      SELECT 1 FROM fan_messages later
      WHERE later.fan_id = o.fan_id AND later.created_at > o.created_at
        AND (later.direction = 'inbound' OR later.status IN ('queued', 'sent')))
"""
_SPEND_MILESTONE: LiteralString = """
SELECT p.id AS fan_id, %(amount)s::text AS period
FROM fan_profiles p
WHERE p.lifetime_spend >= %(amount)s
"""
_SCORE: dict[str, LiteralString] = {
    "churn_risk": "SELECT s.fan_id, %(window)s AS period FROM fan_scores s"
    " WHERE s.churn_risk >= %(at_least)s",
    "upsell_readiness": "SELECT s.fan_id, %(window)s AS period FROM fan_scores s"
    " WHERE s.upsell_readiness >= %(at_least)s",
}
_TAG_ADDED: LiteralString = """
SELECT t.fan_id, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS period
FROM fan_tag_values t
WHERE t.tag = %(tag)s AND t.created_at <= %(as_of)s
"""
# Members who entered the segment (materialised by crm:materialise_segments) since the rule was
# created; a fan who left and came back has a new entry, so a new period.
_SEGMENT_ENTERED: LiteralString = """
SELECT m.fan_id, to_char(m.entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS period
FROM fan_segment_members m
WHERE m.segment_id = %(segment_id)s AND m.entered_at >= %(since)s AND m.entered_at <= %(as_of)s
"""


# A key date's occurrence: the memory and the day (a birthday fires once a year). Both parts
# are constants.
_KEY_DATE: LiteralString = f"""
SELECT upcoming.fan_id, upcoming.occasion AS period
FROM ({UPCOMING_KEY_DATES}) upcoming
WHERE %(which)s = 'any' OR upcoming.subject = 'birthday'
"""  # noqa: S608


@dataclass(frozen=True)
class TriggerQuery:
    sql: LiteralString
    params: dict[str, Any]


def trigger_query(trigger: Trigger, as_of: datetime, created_at: datetime) -> TriggerQuery:
    """The SQL of (fan_id, period) rows the trigger holds for at as_of, for a rule created at
    created_at (a segment entry counts from then on)."""
    base: dict[str, Any] = {"as_of": as_of}
    if isinstance(trigger, Expiring):
        return TriggerQuery(_EXPIRING, {**base, "until": as_of + timedelta(days=trigger.days)})
    if isinstance(trigger, Expired):
        since = as_of - timedelta(days=trigger.within_days)
        return TriggerQuery(_EXPIRED, {**base, "since": since})
    if isinstance(trigger, NewSubscriber | TrialStarted | TrialConverted):
        since = as_of - timedelta(days=trigger.within_days)
        types = _EVENT_TYPES[type(trigger)]
        return TriggerQuery(_SUBSCRIPTION_EVENT, {**base, "since": since, "event_types": types})
    if isinstance(trigger, NoReply):
        until = as_of - timedelta(hours=trigger.hours)
        return TriggerQuery(_NO_REPLY, {**base, "until": until, "since": until - NO_REPLY_LOOKBACK})
    if isinstance(trigger, SpendMilestone):
        return TriggerQuery(_SPEND_MILESTONE, {**base, "amount": trigger.amount})
    if isinstance(trigger, ScoreThreshold):
        window = int(as_of.timestamp() // (trigger.every_days * 86400))
        params = {**base, "at_least": trigger.at_least, "window": f"{trigger.score}:{window}"}
        return TriggerQuery(_SCORE[trigger.score], params)
    if isinstance(trigger, TagAdded):
        return TriggerQuery(_TAG_ADDED, {**base, "tag": trigger.tag})
    if isinstance(trigger, SegmentEntered):
        params = {**base, "segment_id": trigger.segment_id, "since": created_at}
        return TriggerQuery(_SEGMENT_ENTERED, params)
    if isinstance(trigger, KeyDate):
        params = {**base, **key_date_params(as_of, trigger.days), "which": trigger.which}
        return TriggerQuery(_KEY_DATE, params)
    raise TypeError(f"not a trigger: {trigger!r}")
