"""A broadcast's dry run: its segment evaluated now, every fan planned as the delivery would
plan it (audience.py), nothing written: how many would get a message, who would be left out and
why, and a few of the messages."""

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from crm.broadcasts import store
from crm.broadcasts.audience import DryRun, audience, audience_query, dry_run
from crm.broadcasts.delivery import plan_of, segment_members


def dry_run_broadcast(conn: psycopg.Connection[Any], broadcast_id: UUID, now: datetime) -> DryRun:
    broadcast = store.get_broadcast(conn, broadcast_id)
    plan = plan_of(conn, broadcast)
    members, params, _ = segment_members(conn, broadcast.segment_id, now)
    query, audience_params = audience_query(plan, members, now)
    return dry_run(plan, audience(conn, query, {**params, **audience_params}))
