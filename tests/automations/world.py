"""A creator whose fans each meet one trigger at FIXED_NOW (written through the application
role), and helpers to store and run rules as the job does."""

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from agent.automations import RunSummary, evaluate_rule
from agent.service import DraftService
from auth.operator import app_connection
from crm.automations.model import RuleCreate
from crm.automations.store import create_rule, get_rule
from crm.templates.store import TemplateCreate, create_template
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import Embedder
from tests.agent.conftest import FIXED_NOW, running
from tests.agent.fakes import ScriptedChatModel
from tests.agent.rows import rows
from tests.db.crm_rows import create_user

NOW = FIXED_NOW
TAG = {"kind": "tag", "tag": "fired"}  # an action that marks each fan a rule fired for


@dataclass(frozen=True)
class Fans:
    creator: UUID
    owner: UUID
    expiring: UUID  # access ends in 2 days
    expired: UUID  # cancelled 3 days ago, access ran out 1 day ago
    newcomer: UUID  # subscribed 2 hours ago
    waiting: UUID  # our message 30 hours ago, no answer
    spender: UUID  # 600 spent, churn risk 0.9, tagged vip 1 hour ago
    quiet: UUID  # meets no trigger


def build(target: DatabaseTarget) -> Fans:
    creator = uuid.uuid4()
    owner = create_user(target, f"owner-{creator.hex[:8]}@example.com")
    with app_connection(target) as conn, creator_scope(conn, creator):

        def one(query: str, **params: Any) -> UUID:
            row = conn.execute(query, {"creator": creator, **params}).fetchone()
            assert row is not None
            return UUID(str(row[0]))

        one(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES (%(creator)s, %(handle)s, 'Creator') RETURNING creator_id",
            handle=f"r{creator.hex[:12]}",
        )
        one(
            "INSERT INTO creator_assignments (creator_id, user_id, role)"
            " VALUES (%(creator)s, %(user)s, 'owner') RETURNING user_id",
            user=owner,
        )
        fans = {
            name: one(
                "INSERT INTO fan_profiles (creator_id, display_name, lifetime_spend, timezone)"
                " VALUES (%(creator)s, %(name)s, %(spend)s, 'UTC') RETURNING id",
                name=name,
                spend=600 if name == "spender" else 20,
            )
            for name in ("expiring", "expired", "newcomer", "waiting", "spender", "quiet")
        }
        for name, fan in fans.items():
            access_until = {"expiring": NOW + timedelta(days=2), "expired": NOW - timedelta(days=1)}
            conn.execute(
                "INSERT INTO fan_activity (fan_id, creator_id, subscribed_since, access_until,"
                " subscription_status) VALUES (%(fan)s, %(creator)s, %(since)s, %(until)s,"
                " %(status)s)",
                {
                    "fan": fan,
                    "creator": creator,
                    "since": None if name == "expired" else NOW - timedelta(days=40),
                    "until": access_until.get(name),
                    "status": {"expiring": "cancelled", "expired": "expired"}.get(name, "active"),
                },
            )
            conn.execute(
                "INSERT INTO fan_scores (creator_id, fan_id, churn_risk, predicted_ltv,"
                " upsell_readiness, loyalty, formula_version)"
                " VALUES (%(creator)s, %(fan)s, %(churn)s, 100, 0.2, 0.5, 'test')",
                {"creator": creator, "fan": fan, "churn": 0.9 if name == "spender" else 0.1},
            )
        for name, event, age in (
            ("expired", "cancelled", timedelta(days=3)),
            ("newcomer", "subscribed", timedelta(hours=2)),
        ):
            subscription_event(conn, creator, fans[name], event, NOW - age)
        one(
            "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at)"
            " VALUES (%(creator)s, %(fan)s, 'outbound', 'sent', 'how was your weekend?',"
            " %(at)s) RETURNING id",
            fan=fans["waiting"],
            at=NOW - timedelta(hours=30),
        )
        one(
            "INSERT INTO fan_tag_values (creator_id, fan_id, tag, created_at)"
            " VALUES (%(creator)s, %(fan)s, 'vip', %(at)s) RETURNING fan_id",
            fan=fans["spender"],
            at=NOW - timedelta(hours=1),
        )
    return Fans(creator, owner, **fans)


def subscription_event(
    conn: psycopg.Connection[Any], creator: UUID, fan: UUID, event: str, at: datetime
) -> None:
    """A subscription of the fan (a platform account of its own) with one event at `at`; call in
    the creator's scope."""

    def one(query: str, **params: Any) -> UUID:
        row = conn.execute(query, {"creator": creator, "fan": fan, **params}).fetchone()
        assert row is not None
        return UUID(str(row[0]))

    account = one(
        "INSERT INTO fan_platform_accounts (creator_id, fan_id, platform, platform_fan_id)"
        " VALUES (%(creator)s, %(fan)s, 'onlyfans', %(ext)s) RETURNING id",
        ext=f"of-{uuid.uuid4().hex[:12]}",
    )
    subscription = one(
        "INSERT INTO fan_subscriptions (creator_id, fan_id, platform_account_id, status,"
        " price, started_at) VALUES (%(creator)s, %(fan)s, %(account)s, 'active', 9.99,"
        " %(at)s) RETURNING id",
        account=account,
        at=NOW - timedelta(days=40),
    )
    one(
        "INSERT INTO fan_subscription_events (creator_id, fan_id, subscription_id,"
        " event_type, occurred_at) VALUES (%(creator)s, %(fan)s, %(sub)s, %(event)s,"
        " %(at)s) RETURNING id",
        sub=subscription,
        event=event,
        at=at,
    )


def store(target: DatabaseTarget, creator: UUID, rule: dict[str, Any]) -> UUID:
    with app_connection(target) as conn, creator_scope(conn, creator):
        return create_rule(conn, RuleCreate.model_validate(rule)).id


def template(target: DatabaseTarget, creator: UUID, body: str) -> UUID:
    """A new message template of the creator."""
    with app_connection(target) as conn, creator_scope(conn, creator):
        return create_template(conn, TemplateCreate(name=f"t{uuid.uuid4().hex[:8]}", body=body)).id


def evaluate(
    target: DatabaseTarget,
    embedder: Embedder,
    creator: UUID,
    rule_id: UUID,
    *,
    at: datetime = NOW,
    then: Callable[[DraftService], Any] | None = None,
) -> RunSummary:
    """One evaluation of the rule at `at`, as the job runs it (then `then` on the service)."""

    async def scenario() -> RunSummary:
        async with running(target, ScriptedChatModel([]), embedder) as service:
            with service.deps.scoped(creator) as conn:
                rule = get_rule(conn, rule_id)
            summary = await asyncio.to_thread(
                evaluate_rule, service.deps, creator, rule, at, triggered_by="test"
            )
            if then is not None:
                await then(service)
            return summary

    return asyncio.run(scenario())


def tagged(target: DatabaseTarget, fans: Fans) -> list[UUID]:
    """The fans TAG marked."""
    found = rows(target, fans.creator, "SELECT fan_id FROM fan_tag_values WHERE tag = 'fired'")
    return [fan for (fan,) in found]
