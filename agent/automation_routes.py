"""HTTP routes of the automation rules (crm/automations, agent/automations.py): list and read
them (anyone on the creator's team), create, pause, resume and run one now (owners and managers:
a chatter gets 403), and their history: the runs, newest first, and what a run did per fan (only
display names identify the fans). The job worker evaluates the active rules every minute."""

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel

from agent.automations import evaluate_rule
from agent.routes import ServiceDep
from auth.access import CallerDep
from crm.automations.history import run_actions, runs
from crm.automations.model import Rule, RuleCreate, Run, RunAction
from crm.automations.store import (
    RULE_EXISTS,
    SegmentNotFound,
    create_rule,
    get_rule,
    list_rules,
    set_paused,
)
from crm.intelligence.errors import InvalidRequest
from crm.templates.store import TemplateNotFound

router = APIRouter(prefix="/automations", tags=["automations"])
RUN_EXISTS = "SELECT 1 FROM automation_rule_runs WHERE id = %s"


class RunNow(BaseModel):
    run_id: UUID
    fired: int
    outcome: str
    auto_approved: list[UUID]


@router.get("/rules", response_model=list[Rule])
def rules(caller: CallerDep) -> list[Rule]:
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        return list_rules(conn)


@router.post("/rules", response_model=Rule, status_code=201)
def create(new: RuleCreate, caller: CallerDep) -> Rule:
    """A new rule (active unless `paused`); 409 when the creator has one of that name, 422 for
    a message template or a trigger's segment that is not the creator's."""
    creator = caller.creator()
    caller.require_manager(creator)
    try:
        with caller.scoped(creator) as conn:
            return create_rule(conn, new)
    except InvalidRequest as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    except (TemplateNotFound, SegmentNotFound) as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error


@router.get("/rules/{rule_id}", response_model=Rule)
def rule(rule_id: UUID, caller: CallerDep) -> Rule:
    creator = caller.creator_of(RULE_EXISTS, rule_id, "rule")
    with caller.scoped(creator) as conn:
        return get_rule(conn, rule_id)


@router.post("/rules/{rule_id}/pause", response_model=Rule)
def pause(rule_id: UUID, caller: CallerDep) -> Rule:
    """The rule does nothing until resumed."""
    return _set_paused(caller, rule_id, True)


@router.post("/rules/{rule_id}/resume", response_model=Rule)
def resume(rule_id: UUID, caller: CallerDep) -> Rule:
    return _set_paused(caller, rule_id, False)


@router.post("/rules/{rule_id}/run", response_model=RunNow)
async def run_now(rule_id: UUID, caller: CallerDep, service: ServiceDep) -> RunNow:
    """Evaluates the rule now, as the worker does every minute; 409 when it is paused."""
    creator = caller.creator_of(RULE_EXISTS, rule_id, "rule")
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        found = get_rule(conn, rule_id)
    if found.paused:
        raise HTTPException(status.HTTP_409_CONFLICT, "the rule is paused: resume it first")
    summary = await asyncio.to_thread(
        evaluate_rule, service.deps, creator, found, service.deps.clock(), triggered_by="api"
    )
    return RunNow(
        run_id=summary.run_id,
        fired=summary.fired,
        outcome=summary.outcome,
        auto_approved=summary.auto_approved,
    )


@router.get("/rules/{rule_id}/runs", response_model=list[Run])
def rule_runs(
    rule_id: UUID, caller: CallerDep, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> list[Run]:
    """The rule's evaluations, newest first."""
    creator = caller.creator_of(RULE_EXISTS, rule_id, "rule")
    with caller.scoped(creator) as conn:
        return runs(conn, rule_id, limit=limit)


@router.get("/runs/{run_id}/actions", response_model=list[RunAction])
def actions(
    run_id: UUID, caller: CallerDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[RunAction]:
    """What the run did per fan: executed, queued for approval (with why), blocked, failed."""
    creator = caller.creator_of(RUN_EXISTS, run_id, "run")
    with caller.scoped(creator) as conn:
        return run_actions(conn, run_id, limit=limit)


def _set_paused(caller: CallerDep, rule_id: UUID, paused: bool) -> Rule:
    creator = caller.creator_of(RULE_EXISTS, rule_id, "rule")
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        return set_paused(conn, rule_id, paused)
