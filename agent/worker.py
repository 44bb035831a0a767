"""`fanagent worker`: one worker of the job engine (db/jobs.py) running every background task:
the gate sweep and the automation rules (agent/jobs.py), the sending of approved broadcasts
(agent/broadcast_jobs.py), the refresh of queued fans, the embedding of new messages and the
segments' membership (crm/jobs.py), the retry of jobs whose
worker died (db/jobs.py). Run as many as you like beside any number of API processes: each job
runs once. `make run` starts one beside `fanagent serve`.
"""

import argparse
import asyncio
import logging

from procrastinate import App, PsycopgConnector

from agent import broadcast_jobs
from agent import jobs as agent_jobs
from agent.runtime import open_service
from crm import jobs as crm_jobs
from db import connect
from db import jobs as engine
from db.connect import DatabaseTarget

# The connector is replaced by the target's when a worker runs (engine.work).
app = App(connector=PsycopgConnector())
app.add_tasks_from(engine.maintenance, namespace="jobs")
app.add_tasks_from(crm_jobs.blueprint, namespace="crm")
app.add_tasks_from(agent_jobs.blueprint, namespace="agent")
app.add_tasks_from(broadcast_jobs.blueprint, namespace="broadcasts")


async def run(target: DatabaseTarget, settings: engine.JobSettings) -> None:
    """Builds what the tasks use (the agent's service: pools, model, embedder), then works
    until SIGINT or SIGTERM."""
    async with open_service(target) as service:
        crm = crm_jobs.CrmJobDeps(service.deps.pool, service.deps.embedder)
        broadcasts = broadcast_jobs.BroadcastJobDeps(service.deps.pool)
        deps = {"agent": service, "crm": crm, "broadcasts": broadcasts}
        await engine.work(app, target, settings, deps)


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    worker = subparsers.add_parser(
        "worker",
        help="run the background jobs (gate sweep, automation rules, broadcasts, fan refresh,"
        " message embedding, segment membership) until stopped",
    )
    worker.set_defaults(handler=work)


def work(_: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("fanagent").setLevel(logging.INFO)
    settings = engine.JobSettings()
    asyncio.run(run(connect.resolve(), settings))
    return 0
