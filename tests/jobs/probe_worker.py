"""A worker of the job engine (db/jobs.py: its settings, heartbeat, stalled-job retry) over a
probe task, run as a real process by tests/jobs/test_engine.py:
`main(ADMIN_URL, APP_URL)` (tests/jobs/workers.py). The probe writes one row per run into
probe_runs (made by the test), after holding `hold_s` on its first attempt only."""

import asyncio
import os

import psycopg
from procrastinate import App, Blueprint, JobContext, PsycopgConnector

from db import jobs as engine
from db.connect import DatabaseTarget

probe = Blueprint()
RECORD = "INSERT INTO probe_runs (key, pid, attempt) VALUES (%s, %s, %s)"


@probe.task(name="record", pass_context=True)
async def record(context: JobContext, key: str, hold_s: float = 0.0) -> None:
    attempt = context.job.attempts
    if attempt == 0 and hold_s:
        await asyncio.sleep(hold_s)
    app_url: str = context.additional_context["app_url"]
    async with await psycopg.AsyncConnection.connect(app_url, autocommit=True) as conn:
        await conn.execute(RECORD, [key, os.getpid(), attempt])


app = App(connector=PsycopgConnector())
app.add_tasks_from(engine.maintenance, namespace="jobs")
app.add_tasks_from(probe, namespace="probe")


def main(admin_url: str, app_url: str) -> None:
    target = DatabaseTarget(admin_url, app_url, embedded=False)
    asyncio.run(engine.work(app, target, engine.JobSettings(), {"app_url": app_url}))
