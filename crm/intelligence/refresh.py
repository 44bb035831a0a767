"""Recomputing fan intelligence: for every fan of a creator (`recompute_creator`, what
`fanagent scores recompute` and its cron job run), for one fan (`refresh_fan`, `fanagent scores
refresh`), or for the fans queued after their events (`refresh_fans`, the refresher's batches:
crm/intelligence/refresh_queue.py).

Both run the same set-based steps in the caller's creator_scope transaction: the facts
(facts.py), the profile figures, fan_activity, the temperature, the stage machine and the
scores; `refresh_fan` then generates the fan's alerts.

What changes with time alone is the temperature, the stage (decay) and the scores; the rest
changes only with events, which the queued refreshes handle as they arrive. So the periodic
recompute is timed by default: it collects only the time-dependent inputs (and the engagement
timestamps of fan_activity, in case an event arrived without a refresh), about half the work of
a full one;
`full=True` rebuilds every derived figure from the ledgers (a first load, an import, a formula
change). A recompute takes a per-creator advisory lock, so two of them never interleave (their
row locks could otherwise deadlock), and so does a batch of queued fans; a single fan's refresh
locks only its fan's rows.
"""

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from pydantic import BaseModel

from crm.intelligence import activity, alerts, facts, profile_figures, scores, stages, temperature
from crm.intelligence.alerts import Alert
from crm.intelligence.clock import resolve
from crm.intelligence.errors import NotFound
from crm.intelligence.scores import FanScores
from crm.intelligence.stages import StageChange

T = TypeVar("T")
# Any fixed 64-bit number, xor'ed with the creator: "fan intelligence recompute".
_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 7308613))"
# Sorting and hashing 100k fans' aggregates fits in memory with this (per sort/hash node).
_WORK_MEM_SQL = "SELECT set_config('work_mem', '64MB', true)"


class RecomputeReport(BaseModel):
    creator_id: UUID
    as_of: datetime
    full: bool
    fans: int
    profiles_changed: int
    activity_written: int
    temperatures_changed: int
    stage_changes: int
    scores_written: int
    seconds: dict[str, float]  # per step, and "total"


class FanRefresh(BaseModel):
    fan_id: UUID
    as_of: datetime
    scores: FanScores
    stage: str
    stage_changes: list[StageChange]  # oldest first; empty when the stage held
    temperature: str | None
    alerts: list[Alert]


def recompute_creator(
    conn: psycopg.Connection[Any],
    creator_id: UUID,
    *,
    as_of: datetime | None = None,
    full: bool = False,
) -> RecomputeReport:
    """Recomputes every fan of `creator_id` at as_of: what time changes (temperature, stage
    decay, scores), and with `full` also every figure derived from events (the profile's
    money and message figures, fan_activity) from the ledgers, for a first load, an import or
    a formula change. Call inside `creator_scope(conn, creator_id)`."""
    moment = resolve(as_of)
    timer = _Timer()
    lock_creator(conn, creator_id)
    conn.execute(_WORK_MEM_SQL)
    fans = timer.step("facts", lambda: facts.collect(conn, moment, full=full))
    changed = 0
    if full:
        changed = timer.step("profile_figures", lambda: profile_figures.update(conn))
    written = timer.step("activity", lambda: activity.update(conn, moment, full=full))
    warmed = timer.step("temperature", lambda: temperature.update(conn, moment))
    moved = timer.step("stages", lambda: stages.advance(conn, moment))
    scored = timer.step("scores", lambda: scores.update(conn, moment))
    return RecomputeReport(
        creator_id=creator_id,
        as_of=moment,
        full=full,
        fans=fans,
        profiles_changed=changed,
        activity_written=written,
        temperatures_changed=warmed,
        stage_changes=len(moved),
        scores_written=scored,
        seconds=timer.seconds,
    )


def refresh_fan(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    *,
    as_of: datetime | None = None,
    with_alerts: bool = True,
) -> FanRefresh:
    """Recomputes one fan after new events (a message, a purchase, a subscription change):
    figures, activity, temperature, stage (recording a change) and scores, then the fan's new
    alerts. Call inside the fan's creator_scope; NotFound if the creator has no such fan."""
    moment = resolve(as_of)
    found, moved = _recompute_fans(conn, moment, [fan_id])
    if not found:
        raise NotFound(f"no fan {fan_id} for this creator")
    fresh = scores.scores_of(conn, fan_id)
    row = conn.execute(
        "SELECT relationship_stage, temperature FROM fan_profiles WHERE id = %s", [fan_id]
    ).fetchone()
    assert fresh is not None and row is not None  # written just above
    new_alerts = alerts.generate(conn, as_of=moment, fan_ids=[fan_id]) if with_alerts else []
    return FanRefresh(
        fan_id=fan_id,
        as_of=moment,
        scores=fresh,
        stage=row[0],
        stage_changes=moved,
        temperature=row[1],
        alerts=new_alerts,
    )


def refresh_fans(
    conn: psycopg.Connection[Any], fan_ids: Sequence[UUID], *, as_of: datetime | None = None
) -> int:
    """refresh_fan for many fans of the current creator in one set-based pass, their alerts
    included; returns how many of them exist. Call inside the creator's scope, holding
    `lock_creator`."""
    moment = resolve(as_of)
    found, _ = _recompute_fans(conn, moment, fan_ids)
    if found:
        alerts.generate(conn, as_of=moment, fan_ids=list(fan_ids))
    return found


def lock_creator(conn: psycopg.Connection[Any], creator_id: UUID) -> None:
    """Until the transaction ends: no other recompute or batch refresh of this creator."""
    conn.execute(_LOCK_SQL, [str(creator_id)])


def _recompute_fans(
    conn: psycopg.Connection[Any], moment: datetime, fan_ids: Sequence[UUID]
) -> tuple[int, list[StageChange]]:
    """Every derived figure of `fan_ids` from the ledgers; how many exist, and stage changes."""
    found = facts.collect(conn, moment, list(fan_ids))
    if found == 0:
        return 0, []
    profile_figures.update(conn)
    activity.update(conn, moment)
    temperature.update(conn, moment)
    moved = stages.advance(conn, moment)
    scores.update(conn, moment)
    return found, moved


class _Timer:
    def __init__(self) -> None:
        self._started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def step(self, name: str, run: Callable[[], T]) -> T:
        began = time.perf_counter()
        result = run()
        now = time.perf_counter()
        self.seconds[name] = round(now - began, 3)
        self.seconds["total"] = round(now - self._started, 3)
        return result
