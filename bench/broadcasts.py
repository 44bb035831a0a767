"""A broadcast to a 10,000-fan segment with template personalisation, on a throwaway database
of the embedded server: one creator, every fan scored (an everyone segment), half with a memory,
half on Fansly (the template's variant), and some of each exclusion (opted out, bought the offered
media, messaged an hour ago). Prints

- the dry run (the segment evaluated, every fan planned and screened, 5 samples) p50 and max
  over repeats;
- the delivery after the approval: the job's work (agent/broadcast_jobs.py `send_due`) from the
  approval until the broadcast is sent, every delivery and outbox message written. A worker picks
  an approved broadcast up within a second (its tick), which this leaves out.

    .venv/bin/python -m bench.broadcasts                  # 10,000 fans, about a minute
    .venv/bin/python -m bench.broadcasts --fans 2000      # quicker

Targets (2 cores): dry run <= 2 s; all deliveries written <= 30 s after the approval.
"""

import argparse
import os
import statistics
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg

from agent.broadcast_jobs import send_due
from agent.broadcasts import BroadcastCreate, create_broadcast, decide_broadcast
from auth.operator import app_connection
from bench.stats import load, stamp, write_results
from crm.broadcasts.dry_run import dry_run_broadcast
from crm.broadcasts.store import get_broadcast
from crm.intelligence.segments import RuleSet, SegmentCreate, create_segment
from crm.templates.store import TemplateCreate, create_template
from db import migrate
from db.connect import creator_scope
from tests.pg import fresh_database

DRY_RUN_TARGET_S = 2.0
DELIVERY_TARGET_S = 30.0
BODY = "hey {fan_name} 💕 {memory|thinking of you} ... {media_title} is yours for {media_price}"
FANSLY = "hey {fan_name} 💕 {media_title} just for you, {media_price} 😘"
CREATOR = "INSERT INTO creator_profiles (creator_id, handle, display_name) VALUES (%s, %s, 'Bench')"
FANS = """
WITH fans AS (
    INSERT INTO fan_profiles (creator_id, display_name)
    SELECT app_current_creator(), 'Fan ' || n FROM generate_series(1, %(fans)s) AS n
    RETURNING id, substr(display_name, 5)::int AS n
),
scores AS (
    INSERT INTO fan_scores
        (creator_id, fan_id, churn_risk, predicted_ltv, upsell_readiness, loyalty, formula_version)
    SELECT app_current_creator(), id, 0.2, n %% 500, 0.5, 0.5, 'bench' FROM fans
),
accounts AS (
    INSERT INTO fan_platform_accounts (creator_id, fan_id, platform, platform_fan_id)
    SELECT app_current_creator(), id, CASE WHEN n %% 2 = 0 THEN 'fansly' ELSE 'onlyfans' END,
           'p-' || n FROM fans
),
memories AS (
    INSERT INTO fan_memories (creator_id, fan_id, kind, body, importance, embedding)
    SELECT app_current_creator(), id, 'preference', 'loves the beach set ' || n %% 50, 0.7,
           array_fill(0.1::real, ARRAY[384])::vector
    FROM fans WHERE n %% 2 = 1
),
opted_out AS (
    INSERT INTO fan_tag_values (creator_id, fan_id, tag)
    SELECT app_current_creator(), id, 'opt_out' FROM fans WHERE n %% 20 = 0
),
bought AS (
    INSERT INTO fan_transactions (creator_id, fan_id, kind, amount, media_id, occurred_at)
    SELECT app_current_creator(), id, 'ppv', 25, %(media)s, now() - interval '3 days'
    FROM fans WHERE n %% 20 = 1
)
INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at)
SELECT app_current_creator(), id, 'outbound', 'sent', 'hi', now() - interval '1 hour'
FROM fans WHERE n %% 20 = 2
"""
MEDIA = """
INSERT INTO media_assets (creator_id, title, kind, price)
VALUES (app_current_creator(), 'Beach set', 'photo', 25) RETURNING id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fans", type=int, default=10_000, help="fans in the segment")
    parser.add_argument("--repeats", type=int, default=5, help="timed dry runs")
    args = parser.parse_args()
    before = load()
    print(f"machine: {os.cpu_count()} cores, load average {before}")
    with fresh_database("bench_broadcasts") as target:
        migrate.migrate(target.admin_url)
        with app_connection(target) as conn:
            figures = measure(conn, args.fans, args.repeats)
    write_results("broadcasts", stamp(figures, before))


def measure(conn: psycopg.Connection[Any], fans: int, repeats: int) -> dict[str, Any]:
    creator, broadcast = _build(conn, fans)
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        with creator_scope(conn, creator):
            run = dry_run_broadcast(conn, broadcast, datetime.now(UTC))
        times.append(time.perf_counter() - began)
    p50, worst = statistics.median(times), max(times)
    print(
        f"dry run, {run.recipients:,} fans: p50 {p50:.2f} s, max {worst:.2f} s over {repeats}"
        f" ({_verdict(worst, DRY_RUN_TARGET_S)} the {DRY_RUN_TARGET_S:.0f} s target);"
        f" would queue {run.would_queue:,}, excluded {run.excluded}, blocked {run.blocked}"
    )
    for sample in run.samples:
        print(f"  sample: {sample.body}")
    with creator_scope(conn, creator):
        decide_broadcast(conn, broadcast, "approved", None)
    began = time.perf_counter()
    send_due(conn, lambda: datetime.now(UTC))
    took = time.perf_counter() - began
    with creator_scope(conn, creator):
        sent = get_broadcast(conn, broadcast)
    written = sent.queued + sent.excluded + sent.blocked + sent.skipped
    print(
        f"delivery after approval: {written:,} deliveries ({sent.queued:,} messages queued) in"
        f" {took:.2f} s ({_verdict(took, DELIVERY_TARGET_S)} the {DELIVERY_TARGET_S:.0f} s"
        f" target), status {sent.status}"
    )
    return {
        "fans": fans,
        "dry_run_p50_s": round(p50, 3),
        "dry_run_max_s": round(worst, 3),
        "delivery_s": round(took, 3),
        "deliveries": written,
        "queued": sent.queued,
        "excluded": sent.excluded,
    }


def _build(conn: psycopg.Connection[Any], fans: int) -> tuple[UUID, UUID]:
    """The creator, its fans, template, segment and a broadcast awaiting approval."""
    creator = UUID(int=1)
    with creator_scope(conn, creator):
        conn.execute(CREATOR, [creator, "benchcreator"])
        row = conn.execute(MEDIA).fetchone()
        assert row is not None
        media = row[0]
        conn.execute(FANS, {"fans": fans, "media": media})
        template = create_template(
            conn, TemplateCreate(name="drop", body=BODY, platform_variants={"fansly": FANSLY})
        )
        everyone = RuleSet.model_validate({"all": []})
        segment = create_segment(conn, SegmentCreate(name="everyone", rules=everyone))
        new = BroadcastCreate(
            name="Beach drop", template_id=template.id, segment_id=segment.id, media_id=media
        )
        broadcast = create_broadcast(conn, new, None)
    conn.execute("ANALYZE")
    return creator, broadcast.id


def _verdict(value: float, target: float) -> str:
    return "meets" if value <= target else "MISSES"


if __name__ == "__main__":
    main()
