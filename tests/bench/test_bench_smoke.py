"""`fanagent bench` end to end on a tiny data set: the data builds, and the context-assembly, HTTP
round-trip and load benchmarks run and print their figures. Not a measurement: a handful of runs on
a test machine say nothing about speed; what is checked is that each figure is there."""

import re

import pytest

from bench import context, memory_write, roundtrip
from bench import load as load_bench
from bench.commands import Plan, run_measurements
from bench.data import TINY, build, load
from bench.instant import HashEmbedder
from tests.pg import fresh_database

PLAN = Plan(
    TINY,
    context.Runs(samples=4, warmup=1),
    within=(4, 1),
    writes=(4, 50),
    across=(2, 1),
    roundtrip=roundtrip.Load(requests=12, warmup=2, concurrency=4, single=3, seconds=30),
    load=load_bench.Settings(concurrency=4, seconds=1, warmup=2, bodies=2, body_mb=8),
    model_drafts=1,
    prompt_fans=1,
)
PERCENTILES = re.compile(r"p50 [\d.]+ ms  p95 [\d.]+ ms  p99 [\d.]+ ms")


def test_context_assembly_and_round_trip_print_their_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    embedder = HashEmbedder()  # MiniLM takes longer to load than this whole test may run
    with fresh_database("bench") as target:
        data = build(target, TINY, embedder, say=lambda _: None)
        variant = roundtrip.Variant("product", embedder="hash")
        figures = run_measurements(data, PLAN, ["context", "roundtrip"], embedder, [variant], print)
    printed = capsys.readouterr().out.splitlines()

    assert data.counts["fan_profiles"] == TINY.fans
    assert data.counts["fan_memories"] == TINY.memories
    total = figures["context"]["total"]
    assert total["n"] == 4 and total["p50_ms"] <= total["p95_ms"] <= total["p99_ms"]
    assert set(figures["context"]["stages"]) == set(context.STAGES)
    assert figures["context"]["draft_without_model"]["n"] == 4
    assert {"load1", "cpus"} <= set(figures["context"]["load_before"])
    trip = figures["roundtrip"]
    assert trip["errors"] == 0 and trip["latency"]["n"] == 12 and trip["drafts_per_s"] > 0
    assert trip["single_client"]["n"] == 3
    assert set(trip["cpu_per_draft_ms"]) == {"server", "postgres", "client"}

    assert printed[0].startswith("context assembly (4 drafts, load ")
    assert PERCENTILES.search(printed[1]) and "[p95 <= 25 ms: " in printed[1]
    stage_lines = [line.split()[0] for line in printed[2 : 2 + len(context.STAGES)]]
    assert stage_lines == list(context.STAGES)
    trip_at = next(i for i, line in enumerate(printed) if line.startswith("HTTP draft round trip"))
    assert re.search(r"4 clients  [\d.]+ drafts/s  p50", printed[trip_at + 1])
    assert "errors 0" in printed[trip_at + 1]
    assert PERCENTILES.search(printed[trip_at + 2])


def test_load_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashEmbedder()
    with fresh_database("bench") as target:
        data = build(target, TINY, embedder, say=lambda _: None)
        variant = roundtrip.Variant("product", embedder="hash")
        figures = run_measurements(data, PLAN, ["load"], embedder, [variant], print)
    printed = capsys.readouterr().out.splitlines()

    load = figures["load"]
    assert load["concurrency"] == 4 and load["drafts_per_s"] > 0 and load["latency"]["n"] > 0
    assert load["server_errors"] == 0 and load["not_200"] == {}
    bodies = load["bodies"]
    assert [one["round"] for one in bodies["rounds"]] == [name for name, *_ in load_bench.ROUNDS]
    for one in bodies["rounds"]:
        assert [post["status"] for post in one["posts"]] == [413, 413]
        assert [post["sent_mb"] for post in one["posts"]] == [8.0, 8.0]
        assert one["samples"] >= 2 and one["rss_before_mb"] > 0
    assert bodies["largest_increase_mb"] == max(one["increase_mb"] for one in bodies["rounds"])

    assert printed[0].startswith("load: HTTP draft round trip, instant model, product (load ")
    assert re.search(r"4 clients  [\d.]+ drafts/s  p50", printed[1]) and PERCENTILES.search(
        printed[1]
    )
    assert "not 200 (0: no answer): none; 5xx 0   [no 5xx: met]" in printed[2]
    assert sum("answered 2 x 413 in" in line for line in printed) == len(load_bench.ROUNDS)
    assert "[peak RSS < +50 MB: " in printed[-1]


def test_memory_writes_are_timed_and_leave_the_data_as_it_was() -> None:
    embedder = HashEmbedder()
    with fresh_database("bench") as target:
        data = build(target, TINY, embedder, say=lambda _: None)
        writes = memory_write.measure_writes(data, embedder, singles=4, batched=100)
        after = load(target, TINY).counts

    assert writes["one_at_a_time"]["n"] == 4
    assert writes["batched"]["facts"] == 100 and writes["batched"]["per_second"] > 0
    assert after == data.counts
