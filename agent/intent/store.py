"""fan_intent_events: one append-only row per label a classification detected."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import psycopg
from psycopg.rows import TupleRow

from agent.intent.classify import IntentResult
from db.connect import creator_scope

INSERT_EVENTS = """
INSERT INTO fan_intent_events (creator_id, fan_id, message_id, signal, confidence, classifier)
SELECT %(creator_id)s, %(fan_id)s, %(message_id)s, found.signal, found.confidence, %(classifier)s
FROM unnest(%(signals)s::text[], %(confidences)s::real[]) AS found (signal, confidence)
RETURNING id
"""
SELECT_FOR_MESSAGE = """
SELECT id, fan_id, message_id, signal, confidence, classifier, created_at
FROM fan_intent_events
WHERE creator_id = %(creator_id)s AND message_id = %(message_id)s
ORDER BY created_at, signal
"""


@dataclass(frozen=True)
class IntentEvent:
    id: UUID
    fan_id: UUID
    message_id: UUID
    signal: str
    confidence: float
    classifier: str
    created_at: dt.datetime


def record_intent(
    conn: psycopg.Connection[TupleRow],
    creator_id: UUID,
    fan_id: UUID,
    message_id: UUID,
    result: IntentResult,
) -> list[UUID]:
    """Appends one row per detected label ("none" when nothing was detected) in the creator's
    scope; a message of another creator is refused by the foreign keys and row-level security."""
    detected = result.detected
    params = {
        "creator_id": creator_id,
        "fan_id": fan_id,
        "message_id": message_id,
        "classifier": result.classifier,
        "signals": list(detected),
        "confidences": list(detected.values()),
    }
    with creator_scope(conn, creator_id):
        return [row[0] for row in conn.execute(INSERT_EVENTS, params).fetchall()]


def events_for_message(
    conn: psycopg.Connection[TupleRow], creator_id: UUID, message_id: UUID
) -> list[IntentEvent]:
    """Every classification recorded for one message, oldest first."""
    with creator_scope(conn, creator_id):
        rows = conn.execute(
            SELECT_FOR_MESSAGE, {"creator_id": creator_id, "message_id": message_id}
        ).fetchall()
    return [IntentEvent(*row) for row in rows]
