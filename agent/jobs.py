"""The agent's background tasks on the job engine (db/jobs.py), every minute: the gate sweep,
which expires overdue actions and finishes what a crash left (agent/service.py `sweep`), safe to
run again: execution is exactly once per action (agent/gate/execution.py); and the evaluation of
the automation rules (agent/automations.py), safe too: a fan fires once per rule and period."""

import asyncio
import logging

from procrastinate import Blueprint, JobContext

from agent.automations import evaluate_active_rules
from agent.service import DraftService
from db.jobs import EVERY_MINUTE, periodic, task_deps

blueprint = Blueprint()
log = logging.getLogger("fanagent.gate")


@periodic(blueprint, "sweep_gate", EVERY_MINUTE)
async def sweep_gate(context: JobContext, timestamp: int) -> int:
    """Returns how many sends and threads the sweep finished."""
    finished = await task_deps(context, DraftService).sweep()
    if finished:
        log.info("gate sweep resumed threads: %d", finished)
    return finished


@periodic(blueprint, "evaluate_rules", EVERY_MINUTE)
async def evaluate_rules(context: JobContext, timestamp: int) -> int:
    """Evaluates every active automation rule; returns how many fans they fired for."""
    service = task_deps(context, DraftService)
    return await asyncio.to_thread(evaluate_active_rules, service.deps)
