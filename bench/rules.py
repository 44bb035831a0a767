"""Automation rules at scale: seeds one creator with 100,000 fans with the demo loader (`fanagent
seed`) into a throwaway database on the embedded server, rebuilds their figures, then times the
evaluation of automation rules as the worker runs it (agent/automations.py `evaluate_rule`):

- "expiring in 3 days" (tag the fan, then a message through the approval gate): its first run,
  which fires for every fan whose access ends within 3 days, a run a minute later (the steady
  state: every fan already fired), and a run a day later (the next day's fans);
- a win-back ("expired in the last 30 days": a 20% discount and a message) the same way;
- a follow-up ("no reply for 24 hours after our message": a message) the same way;
- a broad rule, "spent $1 or more" (a tag), whose first run fires for most fans at once.

    .venv/bin/python -m bench.rules                 # 100,000 fans, about 10 minutes, mostly seeding
    .venv/bin/python -m bench.rules --fans 20000    # quicker
    .venv/bin/python -m bench.rules --reuse NAME    # an already seeded database (e.g. --keep of
                                                    # bench.intelligence)

Target (2 cores): one evaluation over 100,000 fans <= 10 s.
"""

import argparse
import asyncio
import datetime as dt
import time
from typing import Any
from uuid import UUID

from agent.automations import evaluate_rule
from agent.runtime import open_service
from auth.operator import app_connection
from bench.intelligence import AS_OF, seed_options, seeded_creator
from crm.automations.model import Rule, RuleCreate
from crm.automations.store import create_rule
from crm.intelligence import recompute_creator
from db.connect import DatabaseTarget, creator_scope

TARGET_S = 10.0
RULES: dict[str, dict[str, Any]] = {
    "expiring in 3 days": {
        "trigger": {"kind": "expiring", "days": 3},
        "actions": [
            {"kind": "tag", "tag": "expiring-soon"},
            {"kind": "message", "text": "your sub ends soon babe, stay with me?"},
        ],
    },
    "win-back (expired, 30 days)": {
        "trigger": {"kind": "expired", "within_days": 30},
        "actions": [
            {"kind": "discount", "percent": 20, "days": 3},
            {"kind": "message", "text": "i miss you! 20% off anything this week"},
        ],
    },
    "follow-up (no reply in 24 hours)": {
        "trigger": {"kind": "no_reply", "hours": 24},
        "actions": [{"kind": "message", "text": "still there? thinking of you"}],
    },
    "spent $1 or more": {
        "trigger": {"kind": "spend_milestone", "amount": 1},
        "actions": [{"kind": "tag", "tag": "buyer"}],
    },
}
RUNS = (("first run", dt.timedelta()), ("a minute later", dt.timedelta(minutes=1)))
NEXT_DAY = ("a day later", dt.timedelta(days=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    seed_options(parser)
    args = parser.parse_args()
    with seeded_creator(args) as (target, creator):
        with app_connection(target) as conn, creator_scope(conn, creator):
            began = time.perf_counter()
            report = recompute_creator(conn, creator, as_of=AS_OF, full=True)
            print(f"figures of {report.fans:,} fans rebuilt in {time.perf_counter() - began:.1f} s")
        asyncio.run(_measure(target, creator))


async def _measure(target: DatabaseTarget, creator: UUID) -> None:
    async with open_service(target) as service:
        for name, body in RULES.items():
            with service.deps.scoped(creator) as conn:
                rule = create_rule(conn, RuleCreate.model_validate({"name": name, **body}))
            print(f"\n{name}:")
            for label, later in (*RUNS, NEXT_DAY):
                await asyncio.to_thread(_timed, service.deps, creator, rule, label, AS_OF + later)


def _timed(deps: Any, creator: UUID, rule: Rule, label: str, at: dt.datetime) -> None:
    began = time.perf_counter()
    summary = evaluate_rule(deps, creator, rule, at, triggered_by="bench")
    seconds = time.perf_counter() - began
    verdict = "meets" if seconds <= TARGET_S else "MISSES"
    print(
        f"  {label:15} {seconds:6.2f} s  fired for {summary.fired:,} fans ({summary.outcome})"
        f"  {verdict} <= {TARGET_S:.0f} s"
    )


if __name__ == "__main__":
    main()
