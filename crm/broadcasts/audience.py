"""Who a broadcast reaches and what each fan gets. The audience is a set of fan ids (the
segment's rules evaluated now for a dry run, the snapshot taken at send time for the delivery);
each fan is then excluded (opted out: the tag `opt_out`; bought the offered media; in distress:
an emotional_support signal in the last 7 days; messaged by us in the last N hours), skipped (the
template needs a value the fan lacks), blocked (the outbound guard refuses the rendered message)
or queued. The dry run and the delivery job plan every fan with the same `plan_fan`.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from crm.fans.purchases import BOUGHT_MEDIA
from crm.outbound_guard import Block, screen
from crm.templates.message import message_for
from crm.templates.render import MissingValue
from crm.templates.store import Template
from crm.templates.values import FAN_VALUES

OPT_OUT_TAG = "opt_out"
DISTRESS_DAYS = 7
SAMPLES = 5
EVERYONE = sql.SQL("")
Status = Literal["queued", "excluded", "blocked", "skipped"]

# Over the fans {members} names (a query with a fan_id column), those {where} keeps, by id.
AUDIENCE = sql.SQL("""
SELECT p.id AS fan_id, {values},
    CASE WHEN EXISTS (SELECT 1 FROM fan_tag_values t WHERE t.fan_id = p.id AND t.tag = %(opt_out)s)
              THEN 'opted out'
         WHEN %(exclude_buyers)s AND {bought}
              THEN 'bought the offered media'
         WHEN %(exclude_distress)s AND EXISTS (
              SELECT 1 FROM fan_intent_events e
              WHERE e.fan_id = p.id AND e.signal = 'emotional_support'
                AND e.created_at > %(now)s - make_interval(days => %(distress_days)s))
              THEN 'in distress'
         WHEN %(messaged_hours)s::int > 0 AND EXISTS (
              SELECT 1 FROM fan_messages o
              WHERE o.fan_id = p.id AND o.direction = 'outbound' AND o.status IN ('queued', 'sent')
                AND o.created_at > %(now)s - make_interval(hours => %(messaged_hours)s::int))
              THEN 'messaged recently'
    END AS excluded
FROM ({members}) AS members
JOIN fan_profiles p ON p.id = members.fan_id
{where}
ORDER BY p.id
{limit}
""")


@dataclass(frozen=True)
class Offer:
    """The media a broadcast offers, at its price."""

    media_id: UUID
    title: str
    price: Decimal | None


@dataclass(frozen=True)
class Plan:
    """What a broadcast says and whom it leaves out."""

    template: Template
    offer: Offer | None
    exclude_buyers: bool
    exclude_distress: bool
    exclude_messaged_hours: int | None


@dataclass(frozen=True)
class Planned:
    """One fan's delivery: queued with its message, or why not."""

    fan_id: UUID
    fan_name: str
    status: Status
    reason: str | None
    body: str | None
    block: Block | None = None


def audience_query(
    plan: Plan,
    members: sql.Composable,
    now: datetime,
    *,
    where: sql.Composable = EVERYONE,
    limit: int | None = None,
) -> tuple[sql.Composed, dict[str, Any]]:
    """The audience query over `members` (a query of fan ids), the first `limit` fans by id that
    `where` keeps, and its parameters."""
    params = {
        "now": now,
        "opt_out": OPT_OUT_TAG,
        "media_id": plan.offer.media_id if plan.offer else None,
        "exclude_buyers": plan.exclude_buyers and plan.offer is not None,
        "exclude_distress": plan.exclude_distress,
        "distress_days": DISTRESS_DAYS,
        "messaged_hours": plan.exclude_messaged_hours or 0,
        "limit": limit,
    }
    limited = sql.SQL("LIMIT %(limit)s") if limit is not None else sql.SQL("")
    bought = BOUGHT_MEDIA.format(fan=sql.SQL("p.id"), media=sql.SQL("%(media_id)s::uuid"))
    query = AUDIENCE.format(
        values=FAN_VALUES, bought=bought, members=members, where=where, limit=limited
    )
    return query, params


def audience(
    conn: psycopg.Connection[Any], query: sql.Composed, params: dict[str, Any]
) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(query, params).fetchall()


def plan_fan(plan: Plan, row: dict[str, Any]) -> Planned:
    """What fan `row` (an audience row) gets."""
    fan_id, name = row["fan_id"], row["fan_name"]
    if row["excluded"]:
        return Planned(fan_id, name, "excluded", row["excluded"], None)
    offer = plan.offer
    try:
        body = message_for(
            plan.template,
            row,
            media_title=offer.title if offer else None,
            media_price=offer.price if offer else None,
        )
    except MissingValue as missing:
        return Planned(fan_id, name, "skipped", str(missing), None)
    block = screen(body)
    if block is not None:
        return Planned(fan_id, name, "blocked", f"outbound guard: {block.reason}", body, block)
    return Planned(fan_id, name, "queued", None, body)


@dataclass(frozen=True)
class DryRun:
    recipients: int  # the audience before exclusions
    would_queue: int
    excluded: dict[str, int]  # by reason
    blocked: int
    skipped: int
    samples: list[Planned]  # the first few messages that would go out, and any blocked


def dry_run(plan: Plan, rows: list[dict[str, Any]]) -> DryRun:
    """Every fan planned as the delivery would, nothing written."""
    planned = [plan_fan(plan, row) for row in rows]
    by_status = Counter(p.status for p in planned)
    excluded = Counter(p.reason or "" for p in planned if p.status == "excluded")
    samples = [p for p in planned if p.status == "queued"][:SAMPLES]
    samples += [p for p in planned if p.status == "blocked"][: SAMPLES - len(samples)]
    return DryRun(
        recipients=len(planned),
        would_queue=by_status["queued"],
        excluded=dict(sorted(excluded.items())),
        blocked=by_status["blocked"],
        skipped=by_status["skipped"],
        samples=samples,
    )
