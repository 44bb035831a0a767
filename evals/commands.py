"""`fanagent evals run` and `fanagent evals list`: score the prompts, model and persona rules
offline against the labelled datasets, write a report, and fail on a regression.

    fanagent evals run --replay                 every suite, offline, from the cassettes
    fanagent evals run --suite safety --replay  one suite
    fanagent evals run --record                 re-record the cassettes (embedded model server)
    fanagent evals run --backend ollama         every case against a live model
    fanagent evals run --compare v1 v2 --replay two prompt versions side by side
    fanagent evals run --replay --profile compact  the embedded model's compact prompt
    fanagent evals longmem generate             rebuild the long-conversation memory dataset
    fanagent evals longmem score                score it alone and print recall per kind

Exit status: 0 when nothing regressed, 1 on a regression against the baseline (or, with
--compare, of the second version against the first), a replay miss or a case that failed to
run, and when the run cannot start (settings, database, model), 2 on bad arguments.
"""

import argparse
import asyncio
import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from agent.graph.deps import Profile
from auth.operator import CommandFailed, UsageError, run_command
from evals import baseline as baselines
from evals import report
from evals.cases import DATASETS, load_jsonl
from evals.cassettes import RECORDING_URL, RECORDING_URL_ENV
from evals.longmem.commands import register as register_longmem
from evals.models import Backend, Mode
from evals.progress import Progress
from evals.runner import RunOptions, RunResult, run
from evals.suites import GRAPH_SUITES, SUITE_NAMES
from prompts import registry

REPORTS = Path(__file__).resolve().parent / "reports"


def register(subparsers: "argparse._SubParsersAction[Any]") -> None:
    evals = subparsers.add_parser(
        "evals", help="offline evals of prompts and models: datasets, scores, regression gate"
    )
    actions = evals.add_subparsers(required=True, metavar="ACTION")

    runner = actions.add_parser("run", help="run the suites, write a report, compare")
    runner.add_argument(
        "--suite",
        action="append",
        choices=SUITE_NAMES,
        help="a suite to run (repeatable; default: all)",
    )
    runner.add_argument(
        "--backend",
        choices=get_args(Backend),
        help="live runs: the chat model's backend (default: FANAGENT_LLM_BACKEND, else local)",
    )
    runner.add_argument(
        "--prompt-version", default=None, help="the prompt templates' version (default: v1)"
    )
    runner.add_argument(
        "--prompts-dir",
        type=Path,
        help="read the prompt versions from this folder instead of prompts/templates",
    )
    mode = runner.add_mutually_exclusive_group()
    mode.add_argument(
        "--replay",
        action="store_true",
        help="offline: the recorded cases answered from evals/cassettes, the rest drafted by a "
        "stub (their prompts still checked)",
    )
    mode.add_argument(
        "--record",
        action="store_true",
        help=f"record the cassettes against the embedded model's server at {RECORDING_URL} "
        f"(or at ${RECORDING_URL_ENV})",
    )
    runner.add_argument(
        "--profile",
        choices=get_args(Profile),
        default="full",
        help="the prompt the model gets: full (every section, tools) or compact (what the "
        "embedded model drafts with); each has its cassettes and baseline (default: full)",
    )
    runner.add_argument("--judge", action="store_true", help="grade drafts with the LLM judge")
    runner.add_argument("--case", action="append", default=[], help="only this case (repeatable)")
    runner.add_argument(
        "--recorded-only", action="store_true", help="only the recorded cases of each suite"
    )
    runner.add_argument(
        "--compare",
        nargs=2,
        metavar=("V1", "V2"),
        help="run two prompt versions and put them side by side (V2 judged against V1)",
    )
    runner.add_argument("--out", type=Path, help="the report folder (default: evals/reports/...)")
    runner.add_argument(
        "--baseline",
        type=Path,
        help="the figures to compare with (default: evals/baseline.json, with --profile "
        "compact evals/baseline-compact.json)",
    )
    runner.add_argument(
        "--update-baseline", action="store_true", help="write this run's figures as the baseline"
    )
    runner.add_argument(
        "--price",
        nargs=2,
        type=float,
        default=(0.0, 0.0),
        metavar=("IN", "OUT"),
        help="USD per million prompt and completion tokens, for the cost figure (default 0 0)",
    )
    runner.add_argument("--quiet", action="store_true", help="no progress on stderr")
    runner.set_defaults(handler=run_evals)

    listing = actions.add_parser("list", help="the suites and their cases")
    listing.add_argument("--suite", choices=list(GRAPH_SUITES))
    listing.set_defaults(handler=list_command)
    register_longmem(actions)


def run_evals(args: argparse.Namespace) -> int:
    options = _options(args)
    if args.baseline is None:
        compact = options.profile == "compact"
        args.baseline = baselines.COMPACT_BASELINE if compact else baselines.BASELINE
    progress = Progress(quiet=args.quiet)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        if args.compare:
            return _compare(args, options, progress, stamp)
        result = asyncio.run(run(options, progress))
    except (ValueError, OSError, RuntimeError) as error:  # settings, database, model setup
        raise CommandFailed(str(error)) from error
    saved = baselines.load(args.baseline)
    comparisons = baselines.compare(
        result.metrics,
        saved.metrics if saved else {},
        saved.tolerances if saved else None,
    )
    profile = "" if options.profile == "full" else f"-{options.profile}"
    folder = args.out or REPORTS / f"{stamp}-{options.prompt_version}{profile}-{options.mode}"
    against = f"`{args.baseline.name}`" if saved else "nothing (no baseline file)"
    path = report.write(result, comparisons, folder, against)
    bad = baselines.regressions(comparisons)
    _summary(result, bad, path)
    if args.update_baseline:
        if result.misses() or result.failures():
            raise CommandFailed("not updating the baseline: some cases did not run")
        about = {
            "model": result.model,
            "mode": options.mode,
            "prompt_version": options.prompt_version,
            "profile": options.profile,
            "judge": options.judge,
            "run": result.started,
        }
        baselines.save(result.metrics, about, args.baseline, saved)
        print(f"baseline written: {args.baseline}")
        return 0
    return 1 if bad or result.misses() or result.failures() else 0


def _options(args: argparse.Namespace) -> RunOptions:
    """The run's options; UsageError if the arguments contradict or name no prompt version."""
    mode: Mode = "replay" if args.replay else "record" if args.record else "live"
    if mode != "live" and args.backend:
        raise UsageError(
            "--replay and --record use the cassettes' backend (openai client, embedded model "
            "server); --backend is for live runs"
        )
    if mode == "record" and args.case:
        raise UsageError("--record rewrites each suite's cassette: record whole suites (--suite)")
    if args.compare and args.update_baseline:
        raise UsageError("--compare does not write a baseline")
    version = args.prompt_version or "v1"
    have = registry.versions(args.prompts_dir)
    for wanted in args.compare or [version]:
        if wanted not in have:
            raise UsageError(f"no prompt version {wanted!r}; have {', '.join(have)}")
    return RunOptions(
        suites=tuple(args.suite or SUITE_NAMES),
        mode=mode,
        backend=args.backend,
        prompt_version=version,
        profile=args.profile,
        templates_dir=args.prompts_dir,
        judge=args.judge,
        cases=tuple(args.case),
        recorded_only=args.recorded_only,
        price=(args.price[0], args.price[1]),
    )


def _compare(args: argparse.Namespace, options: RunOptions, progress: Progress, stamp: str) -> int:
    first, second = args.compare
    results: dict[str, RunResult] = {}
    for version in (first, second):
        progress.note(f"== prompt version {version}")
        results[version] = asyncio.run(run(replace(options, prompt_version=version), progress))
    comparisons = baselines.compare(results[second].metrics, results[first].metrics)
    folder = args.out or REPORTS / f"{stamp}-{first}-vs-{second}-{options.mode}"
    path = report.write_compare(results, comparisons, folder)
    bad = baselines.regressions(comparisons)
    misses = sum(len(r.misses()) for r in results.values())
    for c in bad:
        print(f"REGRESSION {c.name}: {c.baseline} -> {c.value} ({c.reason})")
    print(f"{second} vs {first}: {len(bad)} regression(s), {misses} replay miss(es); {path}")
    failed = any(r.failures() for r in results.values())
    return 1 if bad or misses or failed else 0


def _summary(result: RunResult, bad: list[baselines.Comparison], path: Path) -> None:
    misses, failures = result.misses(), result.failures()
    for c in bad:
        print(f"REGRESSION {c.name}: {c.baseline} -> {c.value:.4g} ({c.reason})")
    if misses:
        cases = ", ".join(f"{r.suite}/{r.case_id}" for r in misses[:8])
        print(
            f"REPLAY MISS in {len(misses)} case(s) ({cases}{', ...' if len(misses) > 8 else ''}): "
            "the prompts sent are not in the cassettes. A prompt, persona rendering or the tools "
            "offered changed; re-record with --record if that is intended."
        )
    for r in failures[:8]:
        print(f"FAILED {r.suite}/{r.case_id}: {(r.error or '').splitlines()[0][:200]}")
    verdict = "FAIL" if bad or misses or failures else "PASS"
    print(
        f"{verdict}: {len(bad)} regression(s), {len(misses)} replay miss(es), "
        f"{len(failures)} failed case(s), {len(result.model_failures())} draft(s) the model "
        f"could not produce; report: {path}"
    )


def list_command(args: argparse.Namespace) -> int:
    names = [args.suite] if args.suite else list(GRAPH_SUITES)
    for name in names:
        suite = GRAPH_SUITES[name]
        cases = load_jsonl(DATASETS / suite.dataset, suite.case_type)
        recorded = [c.id for c in cases if c.recorded]
        print(f"{name}: {len(cases)} cases, {len(recorded)} recorded ({suite.description})")
        print(f"  recorded: {', '.join(recorded)}")
    if not args.suite:
        print("intents: the fast classifier on the test split of evals/datasets/intents.jsonl")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    register(parser.add_subparsers(required=True, metavar="COMMAND"))
    args = parser.parse_args(["evals", *(argv if argv is not None else sys.argv[1:])])
    return run_command(args.handler, args)
