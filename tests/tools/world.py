"""A small CRM for tool tests, written through the application role: creator A with the fan the
runs are for (Max), a second fan, media, purchases, messages, scores and custom requests; and
creator B with a fan, media and a request of its own that A's runs must never reach."""

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString
from uuid import UUID

import psycopg

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from tests.db.crm_rows import create_user
from tests.memory.helpers import new_message
from tools.base import RunContext
from tools.registry import ALL_TOOLS

NOW = datetime.now(UTC)


@dataclass(frozen=True)
class Creator:
    id: UUID
    fan: UUID  # the fan the runs are for
    other_fan: UUID
    user: UUID
    inbound: UUID  # the fan's latest message, which a run answers
    media: dict[str, UUID]  # by title
    pending_request: UUID
    declined_request: UUID
    other_fans_request: UUID

    def ctx(self, **changes: Any) -> RunContext:
        base = RunContext(self.id, self.fan, f"thread-{self.fan}", self.user, self.inbound)
        return replace(base, **changes)


def call(conn: psycopg.Connection[Any], ctx: RunContext, name: str, **arguments: Any) -> Any:
    """Runs the tool `name` as the agent does: parsed and checked arguments, in ctx's creator
    scope. The result must survive a JSON round trip unchanged."""
    tool = ALL_TOOLS[name]
    with creator_scope(conn, ctx.creator_id):
        result = tool.invoke(conn, ctx, tool.parse(arguments))
    assert json.loads(json.dumps(result)) == result
    return result


def queue_action(conn: psycopg.Connection[Any], ctx: RunContext, action: str) -> UUID:
    """A pending hitl_action_queue row for the run, whose id a write tool can carry."""
    with creator_scope(conn, ctx.creator_id):
        row = conn.execute(
            "INSERT INTO hitl_action_queue (creator_id, fan_id, thread_id, action, args, reason)"
            " VALUES (%s, %s, %s, %s, '{}', 'test') RETURNING id",
            [ctx.creator_id, ctx.fan_id, ctx.thread_id, action],
        ).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def build_creator(target: DatabaseTarget) -> Creator:
    creator = uuid.uuid4()
    user = create_user(target, f"chatter-{creator.hex[:8]}@example.com")
    with app_connection(target) as conn, creator_scope(conn, creator):
        one = _Rows(conn, creator)
        one(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES (%(creator)s, %(handle)s, 'Creator') RETURNING creator_id",
            handle=f"t{creator.hex[:12]}",
        )
        one(
            "INSERT INTO creator_assignments (creator_id, user_id, role)"
            " VALUES (%(creator)s, %(user)s, 'chatter') RETURNING user_id",
            user=user,
        )
        fan = one(
            "INSERT INTO fan_profiles (creator_id, display_name, real_name, email, phone_number,"
            " city, country, aliases, lifetime_spend, purchase_count, price_range,"
            " relationship_stage, emotional_drivers)"
            " VALUES (%(creator)s, 'Max', 'Maximilian Secret', 'max@example.com', '+1555',"
            " 'Berlin', 'DE', '{maxx_insta}', 41.99, 3, 'mid', 'active_buyer', '{attention}')"
            " RETURNING id"
        )
        other_fan = one(
            "INSERT INTO fan_profiles (creator_id, display_name) VALUES (%(creator)s, 'Other')"
            " RETURNING id"
        )
        account = one(
            "INSERT INTO fan_platform_accounts (creator_id, fan_id, platform, platform_fan_id)"
            " VALUES (%(creator)s, %(fan)s, 'onlyfans', 'of-max') RETURNING id",
            fan=fan,
        )
        one(
            "INSERT INTO fan_subscriptions (creator_id, fan_id, platform_account_id, tier,"
            " status, price, started_at) VALUES (%(creator)s, %(fan)s, %(account)s, 'vip',"
            " 'active', 9.99, %(at)s) RETURNING id",
            fan=fan,
            account=account,
            at=NOW - timedelta(days=30),
        )
        one(
            "INSERT INTO fan_tag_values (creator_id, fan_id, tag, value)"
            " VALUES (%(creator)s, %(fan)s, 'whale', 'yes') RETURNING fan_id",
            fan=fan,
        )
        media = {
            title: one(
                "INSERT INTO media_assets (creator_id, title, kind, tags, price, created_at)"
                " VALUES (%(creator)s, %(title)s, %(kind)s, %(tags)s, %(price)s, %(at)s)"
                " RETURNING id",
                title=title,
                kind=kind,
                tags=tags,
                price=price,
                at=NOW - timedelta(days=age),
            )
            for title, kind, tags, price, age in (
                ("Beach set", "photo", ["beach"], 12, 3),
                ("Shower video", "video", ["shower", "beach"], 25, 2),
                ("Whisper audio", "audio", ["asmr"], 5, 1),
            )
        }
        for fan_id, kind, amount, media_id, age in (
            (fan, "subscription", 9.99, None, 10),
            (fan, "ppv", 12, media["Beach set"], 3),
            (fan, "tip", 20, None, 1),
            (other_fan, "ppv", 25, media["Shower video"], 2),
        ):
            one(
                "INSERT INTO fan_transactions (creator_id, fan_id, kind, amount, media_id,"
                " occurred_at) VALUES (%(creator)s, %(fan)s, %(kind)s, %(amount)s, %(media)s,"
                " %(at)s) RETURNING id",
                fan=fan_id,
                kind=kind,
                amount=amount,
                media=media_id,
                at=NOW - timedelta(days=age),
            )
        for fan_id, direction, status, body, minutes in (
            (fan, "inbound", "received", "hi there", 180),
            (fan, "outbound", "sent", "hey you!", 120),
            (fan, "outbound", "draft", "an unsent draft", 90),
            (other_fan, "inbound", "received", "the other fan's secret", 70),
        ):
            one(
                "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at)"
                " VALUES (%(creator)s, %(fan)s, %(direction)s, %(status)s, %(body)s, %(at)s)"
                " RETURNING id",
                fan=fan_id,
                direction=direction,
                status=status,
                body=body,
                at=NOW - timedelta(minutes=minutes),
            )
        inbound = new_message(conn, fan, "what's new today?")
        one(
            "INSERT INTO fan_scores (creator_id, fan_id, churn_risk, predicted_ltv,"
            " upsell_readiness, loyalty, formula_version)"
            " VALUES (%(creator)s, %(fan)s, 0.25, 310.5, 0.7, 0.8, 'v1') RETURNING fan_id",
            fan=fan,
        )
        request = (
            "INSERT INTO fan_custom_requests (creator_id, fan_id, description, status)"
            " VALUES (%(creator)s, %(fan)s, 'A video saying my name', %(status)s) RETURNING id"
        )
        pending = one(request, fan=fan, status="pending_review")
        declined = one(request, fan=fan, status="declined")
        others = one(request, fan=other_fan, status="pending_review")
    return Creator(creator, fan, other_fan, user, inbound, media, pending, declined, others)


class _Rows:
    """Inserts into the creator's tables; each statement returns the new row's id."""

    def __init__(self, conn: psycopg.Connection[Any], creator: UUID) -> None:
        self._conn = conn
        self._creator = creator

    def __call__(self, statement: LiteralString, **params: Any) -> UUID:
        row = self._conn.execute(statement, {"creator": self._creator, **params}).fetchone()
        assert row is not None
        return UUID(str(row[0]))
