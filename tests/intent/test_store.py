"""fan_intent_events through the application role: one row per detected label, appended, and
only ever in the creator's own scope."""

from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import errors

from agent.intent.classify import IntentResult
from agent.intent.scores import Scores
from agent.intent.signals import LABELS
from agent.intent.store import events_for_message, record_intent
from db.connect import DatabaseTarget, creator_scope
from tests.db.crm_rows import create_creator_with_everything


def result(classifier: str, **detected: float) -> IntentResult:
    confidences = dict.fromkeys(LABELS, 0.05) | detected
    return IntentResult(Scores(confidences, tuple(detected)), classifier, False, 3.0)


@pytest.fixture(scope="module")
def two_creators(database: DatabaseTarget) -> tuple[tuple[UUID, dict[str, Any]], ...]:
    return create_creator_with_everything(database), create_creator_with_everything(database)


def test_one_row_per_detected_signal_and_reclassifying_appends(
    database: DatabaseTarget, two_creators: Any
) -> None:
    (creator, rows), _ = two_creators
    fan, message = rows["fan_profiles"], rows["fan_messages"]
    with psycopg.connect(database.app_url) as conn:
        before = {event.id for event in events_for_message(conn, creator, message)}
        first = record_intent(
            conn, creator, fan, message, result("fast:v1", wants_custom=0.8, price_question=0.6)
        )
        second = record_intent(conn, creator, fan, message, result("llm:local:x", none=0.7))
        events = events_for_message(conn, creator, message)
    assert len(first) == 2 and len(second) == 1
    assert {e.id for e in events} == before | set(first) | set(second)
    mine = {(e.signal, round(e.confidence, 3), e.classifier) for e in events if e.id not in before}
    assert mine == {
        ("wants_custom", 0.8, "fast:v1"),
        ("price_question", 0.6, "fast:v1"),
        ("none", 0.7, "llm:local:x"),
    }
    assert all(e.fan_id == fan and e.message_id == message for e in events)


def test_another_creator_sees_none_of_the_events(
    database: DatabaseTarget, two_creators: Any
) -> None:
    (creator, rows), (other, _) = two_creators
    message = rows["fan_messages"]
    with psycopg.connect(database.app_url) as conn:
        record_intent(conn, creator, rows["fan_profiles"], message, result("fast:v1", none=0.9))
        assert events_for_message(conn, creator, message)
        assert events_for_message(conn, other, message) == []


def test_writing_into_another_creators_message_is_refused(
    database: DatabaseTarget, two_creators: Any
) -> None:
    (creator, rows), (other, _) = two_creators
    fan, message = rows["fan_profiles"], rows["fan_messages"]
    with psycopg.connect(database.app_url) as conn:
        before = len(events_for_message(conn, creator, message))
        with pytest.raises(errors.ForeignKeyViolation):
            record_intent(conn, other, fan, message, result("fast:v1", churn_risk=0.9))
        assert len(events_for_message(conn, creator, message)) == before


def test_recorded_events_cannot_be_rewritten(database: DatabaseTarget, two_creators: Any) -> None:
    (creator, rows), _ = two_creators
    with psycopg.connect(database.app_url) as conn:
        [event] = record_intent(
            conn, creator, rows["fan_profiles"], rows["fan_messages"], result("fast:v1", none=0.9)
        )
        with pytest.raises(errors.InsufficientPrivilege), creator_scope(conn, creator):
            conn.execute("UPDATE fan_intent_events SET confidence = 0 WHERE id = %s", [event])
