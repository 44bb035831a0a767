"""Fan intelligence at scale: seeds 100,000 fans with the demo loader (`fanagent seed`) into a
throwaway database on the embedded server, then prints

- the recompute of every fan (figures, temperature, stages, scores), cold and again;
- segment evaluation (count + first 100 members) p50/p95 over repeats, per preset;
- the inbox tabs, alert generation and refresh_fan for one fan.

    .venv/bin/python -m bench.intelligence                 # 100,000 fans, about 6 minutes
    .venv/bin/python -m bench.intelligence --fans 20000    # quicker
    .venv/bin/python -m bench.intelligence --keep           # leave the database for EXPLAIN

Targets (2 cores): recompute <= 10 s for 100,000 fans; one segment evaluation <= 200 ms.
"""

import argparse
import datetime as dt
import functools
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from auth.operator import app_connection
from crm.intelligence import alerts, recompute_creator, refresh_fan
from crm.intelligence.inbox import InboxTab, inbox
from crm.intelligence.segments import PRESETS, RuleSet, evaluate
from db import connect, migrate
from db.connect import DatabaseTarget, creator_scope
from db.demo import seed_demo
from memory.embedders import build_embedder
from tests.pg import fresh_database, maintenance_url

AS_OF_DAY = dt.date(2026, 1, 15)
AS_OF = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
RECOMPUTE_TARGET_S = 10.0
SEGMENT_TARGET_MS = 200.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    seed_options(parser)
    parser.add_argument("--repeats", type=int, default=30, help="timed segment evaluations")
    args = parser.parse_args()
    with seeded_creator(args) as (target, creator), app_connection(target) as conn:
        _recompute(conn, creator, target.admin_url)
        _cpu_seconds(conn, creator)
        _segments(conn, creator, args.repeats)
        _inbox_and_alerts(conn, creator)
    print(f"load average after: {_load()}")


def seed_options(parser: argparse.ArgumentParser) -> None:
    """--fans, --keep and --reuse: the options of `seeded_creator`."""
    parser.add_argument("--fans", type=int, default=100_000, help="fans (one creator)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="DBNAME", help="an already seeded database")


@contextmanager
def seeded_creator(args: argparse.Namespace) -> Iterator[tuple[DatabaseTarget, UUID]]:
    """A database with one demo creator of `args.fans` fans (seed 7, histories ending on
    AS_OF_DAY), vacuumed and analyzed as after a bulk load, and that creator."""
    print(f"machine: {os.cpu_count()} cores, load average {_load()}")
    with _database(args.reuse, args.keep) as target:
        if args.reuse is None:
            began = time.perf_counter()
            report = seed_demo(
                target.admin_url,
                creators=1,
                fans_per_creator=args.fans,
                seed=7,
                as_of=AS_OF_DAY,
                embedder=build_embedder,
            )
            print(
                f"seeded {report.rows['fan_profiles']:,} fans,"
                f" {report.rows['fan_messages']:,} messages,"
                f" {report.rows['fan_transactions']:,} transactions,"
                f" {report.rows['fan_subscription_events']:,} subscription events"
                f" in {time.perf_counter() - began:.0f} s"
            )
        with psycopg.connect(target.admin_url, autocommit=True) as admin:
            admin.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
            version = admin.execute("SHOW server_version").fetchone()
            row = admin.execute("SELECT creator_id FROM creator_profiles LIMIT 1").fetchone()
            assert row is not None and version is not None
        print(f"postgres {version[0]}; as of {AS_OF:%Y-%m-%d}")
        yield target, UUID(str(row[0]))


def _recompute(conn: psycopg.Connection[Any], creator: UUID, admin_url: str) -> None:
    runs = (
        ("full rebuild (every figure from the ledgers; first load)", True, AS_OF),
        ("scores recompute (the cron's: decay, temperature, scores)", False, AS_OF),
        ("scores recompute a day later", False, AS_OF + dt.timedelta(days=1)),
    )
    for label, full, as_of in runs:
        with creator_scope(conn, creator):
            report = recompute_creator(conn, creator, as_of=as_of, full=full)
        if full:  # autovacuum analyzes tables after such a change; do it now, not in a minute
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute("ANALYZE fan_profiles, fan_scores, fan_activity")
        total = report.seconds["total"]
        verdict = "" if full else (" (meets" if total <= RECOMPUTE_TARGET_S else " (MISSES")
        verdict += "" if full else f" the {RECOMPUTE_TARGET_S:.0f} s target)"
        steps = ", ".join(f"{k} {v:.2f}" for k, v in report.seconds.items() if k != "total")
        print(
            f"{label}, {report.fans:,} fans: {total:.2f} s{verdict} [{steps}]"
            f"; wrote {report.profiles_changed:,} profiles, {report.activity_written:,} activity"
            f" rows, {report.temperatures_changed:,} temperatures, {report.stage_changes:,}"
            f" stage changes, {report.scores_written:,} scores"
        )


def _cpu_seconds(conn: psycopg.Connection[Any], creator: UUID) -> None:
    """The timed recompute once more without parallel workers, so that the one backend does all
    the work, and its CPU time from /proc: the work itself, whatever else the machine runs."""
    row = conn.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    stat = Path(f"/proc/{row[0]}/stat")
    if not stat.exists():
        print("cpu: the server is not local; skipped")
        return
    conn.execute("SET max_parallel_workers_per_gather = 0")
    before = _cpu_of(stat)
    began = time.perf_counter()
    with creator_scope(conn, creator):
        report = recompute_creator(conn, creator, as_of=AS_OF + dt.timedelta(days=2))
    cpu = _cpu_of(stat) - before
    conn.execute("RESET max_parallel_workers_per_gather")
    print(
        f"scores recompute, one backend, no parallel workers: {cpu:.2f} s of CPU"
        f" ({time.perf_counter() - began:.2f} s wall) for {report.fans:,} fans"
    )


def _cpu_of(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _segments(conn: psycopg.Connection[Any], creator: UUID, repeats: int) -> None:
    for preset in PRESETS:
        rules = preset.rule_set()
        with creator_scope(conn, creator):
            total = evaluate(conn, rules, as_of=AS_OF, limit=100).total
        times = _timed(repeats, functools.partial(_evaluate, conn, creator, rules))
        p50, p95 = _percentiles(times)
        verdict = "meets" if p95 <= SEGMENT_TARGET_MS else "MISSES"
        print(
            f"segment '{preset.name}': {total:,} members; p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            f" over {repeats} ({verdict} the {SEGMENT_TARGET_MS:.0f} ms target)"
        )


def _evaluate(conn: psycopg.Connection[Any], creator: UUID, rules: RuleSet) -> None:
    with creator_scope(conn, creator):
        evaluate(conn, rules, as_of=AS_OF, limit=100)


def _inbox_and_alerts(conn: psycopg.Connection[Any], creator: UUID) -> None:
    for tab in InboxTab:

        def page(tab: InboxTab = tab) -> None:
            with creator_scope(conn, creator):
                inbox(conn, tab, as_of=AS_OF)

        p50, p95 = _percentiles(_timed(10, page))
        print(f"inbox tab {tab.value}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    began = time.perf_counter()
    with creator_scope(conn, creator):
        made = alerts.generate(conn, as_of=AS_OF)
    print(f"alerts: {len(made):,} generated in {1000 * (time.perf_counter() - began):.0f} ms")
    with creator_scope(conn, creator):
        fans = [
            UUID(str(r[0]))
            for r in conn.execute(
                "SELECT id FROM fan_profiles ORDER BY lifetime_spend DESC LIMIT 20"
            ).fetchall()
        ]
    times = []
    for fan in fans:
        began = time.perf_counter()
        with creator_scope(conn, creator):
            refresh_fan(conn, fan, as_of=AS_OF)
        times.append(1000 * (time.perf_counter() - began))
    p50, p95 = _percentiles(times)
    print(f"refresh_fan (top spenders): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def _timed(repeats: int, run: Callable[[], None]) -> list[float]:
    run()  # warm the caches and the plan
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - began))
    return times


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@contextmanager
def _database(reuse: str | None, keep: bool) -> Iterator[DatabaseTarget]:
    if reuse is not None:
        admin_url = make_conninfo(maintenance_url(), dbname=reuse)
        yield DatabaseTarget(admin_url, connect.app_url_for(admin_url, None), embedded=True)
        return
    if keep:
        name = f"fanagent_bench_intelligence_{int(time.time())}"
        with psycopg.connect(maintenance_url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        admin_url = make_conninfo(maintenance_url(), dbname=name)
        migrate.migrate(admin_url)
        print(f"database kept: {name} (drop it when done)")
        yield DatabaseTarget(admin_url, connect.app_url_for(admin_url, None), embedded=True)
        return
    with fresh_database("bench") as target:
        migrate.migrate(target.admin_url)
        yield target


if __name__ == "__main__":
    main()
