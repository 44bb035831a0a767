"""`fanagent bench [NAME]`: what the service adds on top of the model, measured at scale.

The data (100,000 fans, 1,000,000 memories; --quick: 2,000 and 20,000) is built once into a
database of its own and reused; `drafts` runs the embedded model on the demo data instead
(`make run`'s, in a small database of its own: bench/drafts.py). Each benchmark prints its
figures with the machine's load and writes them to bench/results.json; bench/README.md says how
they were taken.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psycopg.conninfo import conninfo_to_dict

from bench import context, memory_write, model, prompt, roundtrip, search
from bench import drafts as drafts_bench
from bench import load as load_bench
from bench.data import FULL, QUICK, BenchData, Scale, ensure
from bench.stats import load, stamp, write_results
from memory.embedders import Embedder

MINE = ("context", "memory", "roundtrip", "load", "model", "prompt")
# On the demo data (`make run`'s, in a database of its own: bench/drafts.py), not the bench data.
DEMO = ("drafts",)
# Benchmarks of other parts of the service, in this folder, run as `python -m bench.NAME` when
# they are there (with --quick when they take it).
OTHERS = ("webhooks", "intelligence", "broadcasts", "rules")
# Their smaller runs for --quick, each flag passed only if the module still takes it.
QUICK_ARGS = {
    "webhooks": {"--events": "1000", "--warmup": "100", "--replay": "200", "--refused": "200"},
    "intelligence": {"--fans": "5000", "--repeats": "5"},
    "broadcasts": {"--fans": "2000", "--repeats": "3"},
    "rules": {"--fans": "5000"},
}
HERE = Path(__file__).resolve().parent
Say = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    scale: Scale
    context: context.Runs
    within: tuple[int, int]  # samples, warm-up
    writes: tuple[int, int]  # facts one at a time, facts batched
    across: tuple[int, int]
    roundtrip: roundtrip.Load
    load: load_bench.Settings
    model_drafts: int
    prompt_fans: int  # per group
    drafts: drafts_bench.Runs = drafts_bench.FULL


PLANS = {
    "full": Plan(
        FULL,
        context.Runs(samples=500, warmup=30),
        within=(1000, 50),
        writes=(300, 5000),
        across=(200, 10),
        roundtrip=roundtrip.Load(requests=4000, warmup=100, concurrency=16, single=100, seconds=30),
        load=load_bench.Settings(concurrency=32, seconds=30, warmup=100),
        model_drafts=3,
        prompt_fans=20,
    ),
    "quick": Plan(
        QUICK,
        context.Runs(samples=60, warmup=5),
        within=(200, 10),
        writes=(50, 500),
        across=(40, 5),
        roundtrip=roundtrip.Load(requests=300, warmup=20, concurrency=16, single=20, seconds=10),
        load=load_bench.Settings(concurrency=32, seconds=10, warmup=32),
        model_drafts=1,
        prompt_fans=5,
        drafts=drafts_bench.QUICK,
    ),
}
# The round trip's server as shipped, and (--variants) with a checkpoint after every step, as
# LangGraph does by default, with and without the saver's lock.
PRODUCT = roundtrip.Variant("product")
EXPERIMENTS = (
    roundtrip.Variant("checkpoint every step", durability="async"),
    roundtrip.Variant(
        "checkpoint every step, saver unlocked", durability="async", saver="unlocked"
    ),
    roundtrip.Variant("saver unlocked", saver="unlocked"),
)
TARGETS = {
    "context": "p95 <= 25 ms",
    "memory.within_fan": "p95 <= 10 ms",
    "memory.across_fans": "p95 <= 50 ms, recall >= 0.95",
    "memory.write": "p95 <= 15 ms",
    "memory.write.batched": ">= 500 facts/s",
    "roundtrip": ">= 200 drafts/s, p99 <= 100 ms at 16 clients",
    "load": "no 5xx",
    "load.bodies": f"peak RSS < +{load_bench.RSS_TARGET_MB} MB",
    "model": "ratio >= 0.95",
    "prompt": "ratio <= 0.10 (long histories)",
}


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "bench",
        help="measure what the service adds on top of the model (see bench/README.md)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "name",
        nargs="?",
        default="all",
        choices=("all", "data", *MINE, *DEMO, *OTHERS),
        help="one benchmark (default: all; data: only build or check the data)",
    )
    parser.add_argument("--quick", action="store_true", help="small data, few repetitions")
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="round trip: also measure the checkpointer experiments (bench/serve.py)",
    )
    parser.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    mode = "quick" if args.quick else "full"
    names = [*MINE, *DEMO, *OTHERS] if args.name == "all" else [args.name]
    say = _say
    figures: dict[str, Any] = {"mode": mode}
    mine = [name for name in names if name in MINE or name == "data"]
    plan = PLANS[mode]
    embedder: Embedder | None = None
    if mine:
        started = time.perf_counter()
        data = ensure(plan.scale, _minilm, rebuild=args.rebuild, say=say)
        figures["data"] = {
            "database": conninfo_to_dict(data.target.admin_url).get("dbname"),
            "counts": data.counts,
            "long_history_fans": len(data.long_fans),
            "ready_in_s": round(time.perf_counter() - started, 1),
        }
        say(f"data: {data.counts}")
        embedder = _minilm() if any(name != "data" for name in mine) else None
        variants = (PRODUCT, *EXPERIMENTS) if args.variants else (PRODUCT,)
        if embedder is not None:
            figures |= run_measurements(data, plan, mine, embedder, variants, say)
        write_results(f"service_{mode}", figures)
        say(f"written to {Path('bench/results.json')} (section service_{mode})")
    if "drafts" in names:
        before = load()
        result = drafts_bench.run(plan.drafts, embedder or _minilm(), rebuild=args.rebuild, say=say)
        stamped = stamp(result, before)
        drafts_bench.print_figures(stamped, say, _load_text(stamped))
        write_results(f"service_{mode}", {"mode": mode, "drafts": stamped})
        say(f"written to {Path('bench/results.json')} (section service_{mode}, drafts)")
    for name in names:
        if name in OTHERS:
            figures_other = _run_other(name, quick=args.quick, say=say)
            if figures_other is not None:
                write_results(f"{name}_run_{mode}", figures_other)
    return 0


def run_measurements(
    data: BenchData,
    plan: Plan,
    names: Sequence[str],
    embedder: Embedder,
    variants: Sequence[roundtrip.Variant],
    say: Say,
) -> dict[str, Any]:
    """Runs the named benchmarks of this module on `data`; prints and returns their figures."""
    figures: dict[str, Any] = {}
    if "context" in names:
        before = load()
        result = asyncio.run(context.measure(data, embedder, plan.context))
        figures["context"] = stamp(result, before)
        _print_context(figures["context"], say)
    if "memory" in names:
        before = load()
        messages, topics = search.queries(embedder.embed, 200)
        within = search.measure_within(data, messages, *plan.within)
        across = search.measure_across(data, topics, *plan.across)
        hnsw = search.measure_across(data, topics, *plan.across, path="hnsw")
        writes = memory_write.measure_writes(data, embedder, *plan.writes)
        figures["memory"] = stamp(
            {
                "within_fan": within,
                "across_fans": across,
                "across_fans_hnsw": hnsw,
                "writes": writes,
            },
            before,
        )
        _print_memory(figures["memory"], say)
    if "roundtrip" in names:
        runs = []
        for variant in variants:
            before = load()
            runs.append(stamp(roundtrip.measure(data, plan.roundtrip, variant), before))
            _print_roundtrip(runs[-1], say)
        figures["roundtrip"] = runs[0] if len(runs) == 1 else {"variants": runs}
    if "load" in names:
        before = load()
        result = load_bench.measure(data, plan.load, variants[0])
        figures["load"] = stamp(result, before)
        _print_load(figures["load"], say)
    if "model" in names:
        before = load()
        result = asyncio.run(model.measure(data, embedder, plan.model_drafts))
        figures["model"] = stamp(result, before)
        _print_model(figures["model"], say)
    if "prompt" in names:
        before = load()
        result = asyncio.run(prompt.measure(data, embedder, plan.prompt_fans))
        figures["prompt"] = stamp(result, before)
        _print_prompt(figures["prompt"], say)
    return figures


def _minilm() -> Embedder:
    from memory.embedders import LocalEmbedder

    return LocalEmbedder()


def _say(text: str) -> None:
    print(text, flush=True)


def _load_text(figures: dict[str, Any]) -> str:
    before, after = figures["load_before"], figures["load_after"]
    return f"load {before['load1']:.2f} -> {after['load1']:.2f} on {before['cpus']} CPUs"


def _ms(p: dict[str, Any]) -> str:
    if not p.get("n"):
        return "no samples"
    return f"p50 {p['p50_ms']:.1f} ms  p95 {p['p95_ms']:.1f} ms  p99 {p['p99_ms']:.1f} ms"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _print_context(figures: dict[str, Any], say: Say) -> None:
    total = figures["total"]
    met = bool(total.get("n")) and total["p95_ms"] <= 25
    say(f"context assembly ({total['n']} drafts, {_load_text(figures)})")
    say(f"  total          {_ms(total)}   [{TARGETS['context']}: {_verdict(met)}]")
    for name, p in figures["stages"].items():
        say(f"  {name:<14} {_ms(p)}")
    whole = figures["draft_without_model"]
    say(f"  whole draft without model tokens (graph, checkpoints) {_ms(whole)}")


def _print_memory(figures: dict[str, Any], say: Say) -> None:
    within, across = figures["within_fan"], figures["across_fans"]
    say(f"memory search ({_load_text(figures)})")
    met = bool(within["search"].get("n")) and within["search"]["p95_ms"] <= 10
    say(
        f"  within one fan   {_ms(within['search'])}"
        f"   [{TARGETS['memory.within_fan']}: {_verdict(met)}]"
    )
    say(f"    memories of the searched fans: {within['memories_of_searched_fans']}")
    for label, found in (("across fans", across), ("  HNSW forced", figures["across_fans_hnsw"])):
        recall = found["recall_memories"].get("mean", 0.0)
        fans = found["recall_fans"].get("mean", 0.0)
        met = bool(found["search"].get("n")) and found["search"]["p95_ms"] <= 50 and recall >= 0.95
        say(
            f"  {label:<16} {_ms(found['search'])}  recall {recall:.3f} (memories)"
            f" {fans:.3f} (fans)   [{TARGETS['memory.across_fans']}: {_verdict(met)}]"
        )
    single, batched = figures["writes"]["one_at_a_time"], figures["writes"]["batched"]
    met = bool(single.get("n")) and single["p95_ms"] <= 15
    say(f"  write, one fact  {_ms(single)}   [{TARGETS['memory.write']}: {_verdict(met)}]")
    met = batched["per_second"] >= 500
    say(
        f"  write, batched   {batched['per_second']} facts/s ({batched['facts']} facts)"
        f"   [{TARGETS['memory.write.batched']}: {_verdict(met)}]"
    )


def _print_roundtrip(figures: dict[str, Any], say: Say) -> None:
    latency = figures["latency"]
    met = bool(latency.get("n")) and figures["drafts_per_s"] >= 200 and latency["p99_ms"] <= 100
    say(f"HTTP draft round trip, instant model, {figures['variant']} ({_load_text(figures)})")
    say(
        f"  {figures['concurrency']} clients  {figures['drafts_per_s']} drafts/s  {_ms(latency)}"
        f"  errors {figures['errors']}   [{TARGETS['roundtrip']}: {_verdict(met)}]"
    )
    say(f"  1 client    {_ms(figures['single_client'])}")
    say(f"  CPU ms per draft: {figures['cpu_per_draft_ms']}")


def _print_load(figures: dict[str, Any], say: Say) -> None:
    latency, bodies = figures["latency"], figures["bodies"]
    met = bool(latency.get("n")) and figures["server_errors"] == 0
    not_200 = ", ".join(f"{status}: {n}" for status, n in figures["not_200"].items()) or "none"
    say(f"load: HTTP draft round trip, instant model, {figures['variant']} ({_load_text(figures)})")
    say(
        f"  {figures['concurrency']} clients  {figures['drafts_per_s']} drafts/s  {_ms(latency)}"
        f"  ({figures['answers']} answers in {figures['elapsed_s']} s)"
    )
    say(
        f"  not 200 (0: no answer): {not_200}; 5xx {figures['server_errors']}"
        f"   [{TARGETS['load']}: {_verdict(met)}]"
    )
    say(f"  CPU ms per draft: {figures['cpu_per_draft_ms']}")
    say(
        f"  server RSS, {bodies['count']} concurrent {bodies['mb']} MB bodies"
        f" (sampled every {bodies['sample_ms']:.0f} ms; kernel peak VmHWM):"
    )
    for one in bodies["rounds"]:
        kernel = one["rss_peak_kernel_mb"]
        statuses = Counter(post["status"] for post in one["posts"])
        answered = ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))
        seconds = " / ".join(f"{post['s']:.1f}" for post in one["posts"])
        say(
            f"    {one['round']:<28} {one['rss_before_mb']:.1f} MB, peak"
            f" {one['rss_peak_sampled_mb']:.1f} sampled / {kernel} kernel:"
            f" +{one['increase_mb']:.1f} MB; answered {answered} in {seconds} s;"
            f" server CPU {one['server_cpu_s']:.1f} s"
        )
    say(
        f"    largest increase +{bodies['largest_increase_mb']:.1f} MB"
        f"   [{TARGETS['load.bodies']}: {_verdict(bodies['met'])}]"
    )


def _print_model(figures: dict[str, Any], say: Say) -> None:
    ratio = figures["ratio"]
    met = ratio is not None and ratio >= 0.95
    say(f"embedded model through the service ({figures['model']}, {_load_text(figures)})")
    say(
        f"  {figures['tokens_per_s_through_service']} tokens/s through the service,"
        f" {figures['tokens_per_s_llama_alone']} tokens/s llama.cpp alone: ratio {ratio}"
        f"   [{TARGETS['model']}: {_verdict(met)}]"
    )
    say(
        f"  service time per draft outside llama.cpp: {figures['service_overhead_ms_per_draft']} ms"
    )


def _print_prompt(figures: dict[str, Any], say: Say) -> None:
    say(f"prompt tokens / history tokens ({_load_text(figures)})")
    for name in ("long_histories", "demo_top_1pct"):
        group = figures[name]
        if not group.get("fans"):
            continue
        ratio = group["ratio"]
        line = (
            f"  {name:<15} {group['fans']} fans, >= {group['messages']['min']} messages:"
            f" ratio p50 {ratio['p50']} max {ratio['max']}"
            f" (prompt p50 {group['prompt_tokens']['p50']:.0f},"
            f" history p50 {group['history_tokens']['p50']:.0f} tokens)"
        )
        if name == "long_histories":
            line += f"   [{TARGETS['prompt']}: {_verdict(ratio['p50'] <= 0.10)}]"
        say(line)


def _run_other(name: str, *, quick: bool, say: Say) -> dict[str, Any] | None:
    """Another benchmark of this folder, run as its own process; None when it is not there."""
    path = HERE / f"{name}.py"
    if not path.exists():
        say(f"{name}: bench/{name}.py is not there yet: skipped")
        return None
    source = path.read_text("utf-8")
    if "def main(" not in source and "def run(" not in source:
        say(f"{name}: bench/{name}.py has no main(): run it as its README says")
        return None
    command = [sys.executable, "-m", f"bench.{name}"]
    if quick and '"--quick"' in source:
        command.append("--quick")
    elif quick:
        for flag, value in QUICK_ARGS.get(name, {}).items():
            if f'"{flag}"' in source:
                command += [flag, value]
    say(f"{name}: {' '.join(command[1:])}")
    before = load()
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - this folder's own module
        command, cwd=HERE.parent, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    for line in completed.stdout.splitlines():
        say(f"  {line}")
    if completed.returncode:
        say(f"  {name} failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return stamp(
        {
            "command": command[1:],
            "returncode": completed.returncode,
            "seconds": round(time.perf_counter() - started, 1),
            "output_tail": output[-4000:],
        },
        before,
    )
