"""The agent's background task on the job engine (db/jobs.py): the gate sweep, every minute.
It expires overdue actions and finishes what a crash left (agent/service.py `sweep`), which is
safe to run again: execution is exactly once per action (agent/gate/execution.py)."""

import logging

from procrastinate import Blueprint, JobContext

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
