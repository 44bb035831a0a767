"""A fan in distress: one whose messages showed emotional_support (loneliness, grief, stress, a
bad day) in the last DISTRESS_DAYS days. Nothing that sells reaches such a fan without a person
deciding: broadcasts leave them out, and a rule's action for them is never auto-approved."""

from psycopg import sql

DISTRESS_DAYS = 14
REASON = "in distress (emotional_support in the last 14 days)"

_IN_DISTRESS = sql.SQL("""EXISTS (
    SELECT 1 FROM fan_intent_events distress
    WHERE distress.fan_id = {fan} AND distress.signal = 'emotional_support'
      AND distress.created_at > {now} - make_interval(days => {days}))""")


def in_distress(fan: sql.Composable, now: sql.Composable) -> sql.Composable:
    """The SQL condition: the fan `fan` (a column) is in distress at `now` (a placeholder)."""
    return _IN_DISTRESS.format(fan=fan, now=now, days=sql.Literal(DISTRESS_DAYS))
