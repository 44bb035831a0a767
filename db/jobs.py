"""The job engine: procrastinate (PostgreSQL only) over our database. Infrastructure only: the
tasks live beside what they do (crm/jobs.py, agent/jobs.py) and agent/worker.py puts them
together and runs the workers.

The engine's tables are in their own schema (migration 0023); its connections are the
application role's with that schema on their search_path. N API processes and M workers share
one queue: a job is fetched by one worker only; a periodic task is deferred once per tick however
many workers run (the database refuses the second defer). A worker sends a heartbeat; one that
stops sending it (killed, frozen, its machine gone) is stalled after `stalled_after_s` and
`retry_stalled_jobs` puts the jobs it held back in the queue, so a killed worker loses nothing.
Tasks are therefore written to be run again: each does its work in transactions of its own.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from procrastinate import App, Blueprint, JobContext, PsycopgConnector, exceptions
from procrastinate.jobs import Status
from procrastinate.tasks import Task
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from db.connect import DatabaseTarget

JOB_SCHEMA = "procrastinate"
EVERY_SECOND = "* * * * * *"  # cron with procrastinate's sixth field, the seconds
EVERY_FIVE_SECONDS = "* * * * * */5"
EVERY_MINUTE = "* * * * *"
log = logging.getLogger("fanagent.jobs")
Deps = TypeVar("Deps")


class JobSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FANAGENT_JOBS_", env_file=".env", extra="ignore")

    concurrency: int = Field(
        default=4,
        ge=1,
        description="Jobs one worker runs at once (a slow sweep and the "
        "every-second refresh side by side).",
    )
    heartbeat_s: float = Field(default=10.0, gt=0, description="How often a worker says it lives.")
    stalled_after_s: float = Field(
        default=30.0,
        gt=0,
        description="A worker without a heartbeat this long is taken for dead: the jobs it was "
        "running go back in the queue. Keep it a few heartbeats long.",
    )
    poll_s: float = Field(
        default=5.0,
        gt=0,
        description="The longest a new job waits for a worker should a notification be lost "
        "(workers are woken by LISTEN/NOTIFY at once).",
    )


PeriodicFunction = Callable[[JobContext, int], Awaitable[int]]


def periodic(
    blueprint: Blueprint, name: str, cron: str
) -> Callable[[PeriodicFunction], Task[Any, Any, Any]]:
    """Registers `(context, timestamp) -> count` as the periodic task `name` of `blueprint`:
    one run at a time across every worker (its lock), at most one more waiting (its queueing
    lock: a tick while one waits is skipped, not piled up)."""

    def register(function: PeriodicFunction) -> Task[Any, Any, Any]:
        task = blueprint.task(name=name, queueing_lock=name, lock=name, pass_context=True)
        return blueprint.periodic(cron=cron)(task(function))

    return register


maintenance = Blueprint()


@periodic(maintenance, "retry_stalled_jobs", EVERY_FIVE_SECONDS)
async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
    """Puts back in the queue the jobs of workers whose heartbeat stopped; returns how many.

    A stalled periodic job whose next tick already waits in the queue cannot go back (they share
    a queueing lock): it is marked failed instead, which frees its lock for the waiting one, a
    run of the same task that does the same work. Left `doing`, it would hold its lock forever
    and the task would never run again."""
    manager = context.app.job_manager
    settings = JobSettings()
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=settings.stalled_after_s))
    for job in stalled:
        try:
            await manager.retry_job(job)
            log.warning("job %s (%s) of a stalled worker: retried", job.id, job.task_name)
        except exceptions.UniqueViolation:
            await manager.finish_job(job, Status.FAILED, delete_job=False)
            log.warning(
                "job %s (%s) of a stalled worker: its next run waits already, it is failed",
                job.id,
                job.task_name,
            )
    return len(stalled)


def connector(target: DatabaseTarget, *, max_size: int = 4) -> PsycopgConnector:
    """The engine's connections: the application role, the engine's schema first."""
    return PsycopgConnector(
        conninfo=target.app_url,
        kwargs={"options": f"-c search_path={JOB_SCHEMA}"},
        min_size=1,
        max_size=max_size,
    )


async def work(
    app: App, target: DatabaseTarget, settings: JobSettings, deps: dict[str, Any]
) -> None:
    """Runs one worker of `app`'s tasks until SIGINT or SIGTERM (a running job is let finish).
    `deps` reaches the tasks as their context's additional_context (see `task_deps`)."""
    with app.replace_connector(connector(target, max_size=settings.concurrency + 2)):
        async with app.open_async():
            await app.run_worker_async(
                concurrency=settings.concurrency,
                update_heartbeat_interval=settings.heartbeat_s,
                stalled_worker_timeout=settings.stalled_after_s,
                fetch_job_polling_interval=settings.poll_s,
                delete_jobs="successful",
                additional_context=deps,
            )


def task_deps(context: JobContext, kind: type[Deps]) -> Deps:
    """What the worker gave the tasks of a package: the one value of type `kind` in `deps`."""
    found = [value for value in context.additional_context.values() if isinstance(value, kind)]
    if len(found) != 1:
        raise LookupError(f"the worker gives its tasks no single {kind.__name__}")
    return found[0]
