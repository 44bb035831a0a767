"""A worker of the job engine running the broadcasts' task (agent/broadcast_jobs.py), whose every
batch of deliveries holds its transaction open HOLD_S after writing, so a test can kill it
mid-broadcast: `main(ADMIN_URL, APP_URL)` (tests/jobs/workers.py starts it)."""

import asyncio
import time
from typing import Any

from procrastinate import App, PsycopgConnector

from agent import broadcast_jobs
from crm.broadcasts import store
from db import jobs as engine
from db.connect import DatabaseTarget
from db.pools import sync_pool

HOLD_S = 1.0
write_batch = store.write_batch


def held_write_batch(*args: Any, **kwargs: Any) -> set[Any]:
    written = write_batch(*args, **kwargs)
    time.sleep(HOLD_S)  # the batch's transaction is still open: a kill now loses the batch
    return written


store.write_batch = held_write_batch
app = App(connector=PsycopgConnector())
app.add_tasks_from(engine.maintenance, namespace="jobs")
app.add_tasks_from(broadcast_jobs.blueprint, namespace="broadcasts")


def main(admin_url: str, app_url: str) -> None:
    target = DatabaseTarget(admin_url, app_url, embedded=False)
    with sync_pool(app_url, name="broadcasts", max_size=2, kwargs={"autocommit": True}) as pool:
        deps = {"broadcasts": broadcast_jobs.BroadcastJobDeps(pool)}
        asyncio.run(engine.work(app, target, engine.JobSettings(), deps))
