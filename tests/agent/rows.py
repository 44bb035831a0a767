"""What the gate left in the database, read through the application role."""

from typing import Any
from uuid import UUID

from agent.gate import queue
from auth.operator import app_connection
from crm.conversation import receive
from db.connect import DatabaseTarget, creator_scope


def rows(target: DatabaseTarget, creator: UUID, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with app_connection(target) as conn, creator_scope(conn, creator):
        return conn.execute(query, list(params)).fetchall()


def outbox(target: DatabaseTarget, creator: UUID) -> list[tuple[Any, ...]]:
    """Queued outbound messages: what a platform connector would deliver."""
    return rows(
        target,
        creator,
        "SELECT body, media_id, price FROM fan_messages WHERE status = 'queued'"
        " ORDER BY created_at",
    )


def executed(target: DatabaseTarget, creator: UUID) -> list[tuple[Any, ...]]:
    """The audit trail of executed actions."""
    return rows(
        target,
        creator,
        "SELECT hitl_action_id, action, args, outcome FROM automation_rule_actions"
        " ORDER BY executed_at",
    )


def action_status(target: DatabaseTarget, creator: UUID, action_id: str) -> str:
    [(status,)] = rows(
        target, creator, "SELECT status FROM hitl_action_queue WHERE id = %s", UUID(action_id)
    )
    return str(status)


def fan_writes(target: DatabaseTarget, creator: UUID, fan: UUID, text: str) -> UUID:
    """A new message from the fan, stored as a platform webhook stores it."""
    with app_connection(target) as conn, creator_scope(conn, creator):
        return receive(conn, fan, text, on_fan_message=queue.supersede_on_fan_message)
