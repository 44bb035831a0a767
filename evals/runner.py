"""Runs the eval suites: the intent classifier on its test split, then every drafting case through
the whole graph (DraftService.draft) in a throwaway database, one creator per case, with a fixed
clock; scores each case and sums each suite up.

Modes: `live` asks the configured backend for every case; `replay` answers the recorded cases
from the cassettes (no network) and drafts the others with a stub, so their prompts are still
checked; `record` sends the recorded cases to the embedded model's server and writes the
cassettes.
"""

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from agent.graph.deps import AgentLimits, Profile
from agent.graph.state import ChatTurn
from agent.intent.classify import IntentClassifier, fast_classifier, from_settings
from agent.intent.settings import IntentSettings, Mode
from agent.llm.port import ChatModel
from agent.llm.types import LLMBadOutput
from agent.runtime import limits_for, open_service
from agent.service import DraftRequest, DraftService
from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from evals import cases as datasets
from evals import crowded
from evals.cases import MemoryCase
from evals.cassettes import CASSETTES, cassette_path, is_replay_miss, recorder
from evals.database import run_database
from evals.longmem import dataset as longmem
from evals.longmem import score as longmem_score
from evals.metrics import Metric
from evals.models import Backend, CaseModel, model_under_test
from evals.models import Mode as RunMode
from evals.observe import CaseRun, CaseStatus
from evals.progress import Progress
from evals.scorers import cost, guard, judge, prompt
from evals.scorers import intent as intent_scorer
from evals.suites import GRAPH_SUITES, INTENTS, MEMORY, SUITE_NAMES, GraphSuite
from evals.world import CLOCK, World, build
from memory.embedders import Embedder, LocalEmbedder
from prompts.settings import PromptSettings


def eval_limits(profile: Profile) -> AgentLimits:
    """Full prompt: a refused draft is not sampled again, the evals score the model's draft (and
    its persona repair) with the guard's verdict. Compact prompt: the agent's own limits, fresh
    samples included (a small model's draft is sampled again, never repaired), so the figures
    are what a chatter gets. The cassettes hold exactly those calls."""
    if profile == "compact":
        return limits_for("compact", AgentLimits().budget_s)
    return AgentLimits(max_redrafts=0)


# Rows that act on the fan or his money with no approved queue row behind them (a row the
# creator approved or edited moves on to executed or failed; decided_at is set on the decision).
UNAPPROVED = """
SELECT
  (SELECT count(*) FROM automation_rule_actions a
     LEFT JOIN hitl_action_queue q ON q.id = a.hitl_action_id
     WHERE q.decided_at IS NULL OR q.status NOT IN ('approved', 'edited', 'executed', 'failed'))
+ (SELECT count(*) FROM fan_messages m
     LEFT JOIN hitl_action_queue q ON q.id = m.hitl_action_id
     WHERE m.direction = 'outbound' AND m.status IN ('queued', 'sent')
       AND NOT (m.id = ANY(%(seeded)s))
       AND (q.decided_at IS NULL OR q.status NOT IN ('approved', 'edited', 'executed', 'failed')))
+ (SELECT count(*) FROM fan_offers o
     LEFT JOIN hitl_action_queue q ON q.id = o.hitl_action_id
     WHERE q.decided_at IS NULL OR q.status NOT IN ('approved', 'edited', 'executed', 'failed')),
  (SELECT count(*) FROM hitl_action_queue)
"""


@dataclass(frozen=True)
class RunOptions:
    suites: tuple[str, ...] = SUITE_NAMES
    mode: RunMode = "replay"
    backend: Backend | None = None  # live mode: the backend (default: FANAGENT_LLM_BACKEND)
    prompt_version: str = "v1"
    profile: Profile = "full"  # the prompt the model gets: full (tools) or compact (small model)
    templates_dir: Path | None = None  # prompt versions from here instead of prompts/templates
    judge: bool = False  # grade the memory and persona drafts with the LLM judge
    cases: tuple[str, ...] = ()  # only these case ids
    recorded_only: bool = False  # only the recorded cases of the drafting suites
    server: str | None = None  # where the run's database is created (default: evals/database.py)
    cassettes: Path = CASSETTES
    datasets: Path = datasets.DATASETS
    price: tuple[float, float] = (0.0, 0.0)  # USD per million prompt / completion tokens

    def as_json(self) -> dict[str, Any]:
        return {
            "suites": list(self.suites),
            "mode": self.mode,
            "backend": self.backend,
            "prompt_version": self.prompt_version,
            "profile": self.profile,
            "templates_dir": str(self.templates_dir) if self.templates_dir else None,
            "judge": self.judge,
            "cases": list(self.cases),
            "recorded_only": self.recorded_only,
            "price_per_million_tokens": list(self.price),
        }


@dataclass
class SuiteResult:
    name: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    runs: list[CaseRun] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # the suite could not run at all


@dataclass
class RunResult:
    options: RunOptions
    started: str
    model: str
    suites: dict[str, SuiteResult] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)  # every suite's, and the run's

    def misses(self) -> list[CaseRun]:
        return [r for s in self.suites.values() for r in s.runs if r.status == "replay_miss"]

    def failures(self) -> list[CaseRun]:
        return [r for s in self.suites.values() for r in s.runs if r.status == "error"]

    def model_failures(self) -> list[CaseRun]:
        return [r for s in self.suites.values() for r in s.runs if r.status == "model_failure"]


async def run(
    options: RunOptions,
    progress: Progress | None = None,
    *,
    chat_model: ChatModel | None = None,
    embedder: Embedder | None = None,
) -> RunResult:
    """Every suite of `options`; `chat_model` replaces the model under test (tests)."""
    progress = progress or Progress()
    unknown = set(options.suites) - set(SUITE_NAMES)
    if unknown:
        raise ValueError(f"no suite {', '.join(sorted(unknown))}; have {', '.join(SUITE_NAMES)}")
    embedder = embedder or LocalEmbedder()
    graph_suites = [GRAPH_SUITES[name] for name in options.suites if name in GRAPH_SUITES]
    model = None
    if graph_suites:
        model = chat_model or model_under_test(options.mode, options.backend)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result = RunResult(options, started, model.name if model else "none")
    if INTENTS in options.suites:
        result.suites[INTENTS] = await asyncio.to_thread(_intents, progress)
    if graph_suites:
        assert model is not None
        prompts = PromptSettings(
            version=options.prompt_version, templates_dir=options.templates_dir
        )
        case_model = CaseModel(model)
        classifier = _classifier(options.mode, model)
        with run_database(options.server) as target:
            async with open_service(
                target,
                chat_model=case_model,
                embedder=embedder,
                intents=classifier,
                clock=lambda: CLOCK,
                prompts=prompts,
                profile=options.profile,
                limits=eval_limits(options.profile),
            ) as service:
                for suite in graph_suites:
                    result.suites[suite.name] = await _graph_suite(
                        suite, options, service, case_model, target, embedder, progress
                    )
            if MEMORY in result.suites:
                progress.note("[memory  ] recall in a crowded memory (every case's facts, one fan)")
                cases = cast(list[MemoryCase], GRAPH_SUITES[MEMORY].cases(options.datasets))
                result.suites[MEMORY].metrics.update(
                    await asyncio.to_thread(
                        crowded.score, target, cases, embedder, service.deps.memory
                    )
                )
                progress.note("[memory  ] the long conversations (evals/datasets/longmem.jsonl)")
                conversations = longmem.load(options.datasets / longmem.DATASET.name)
                result.suites[MEMORY].metrics.update(
                    await asyncio.to_thread(
                        longmem_score.score, target, conversations, embedder, service.deps.memory
                    )
                )
    for suite_result in result.suites.values():
        result.metrics.update(suite_result.metrics)
    runs = [r for s in result.suites.values() for r in s.runs]
    if runs:
        result.metrics.update(prompt.aggregate(runs))
        result.metrics.update(guard.aggregate(runs))
        result.metrics["gate.unapproved_actions"] = Metric(
            sum(r.unapproved for r in runs), len(runs)
        )
        result.metrics["gate.proposed_actions"] = Metric(sum(r.proposed for r in runs), len(runs))
    return result


def _intents(progress: Progress) -> SuiteResult:
    progress.note("[intents ] the fast classifier on the test split")
    suite = SuiteResult(INTENTS)
    try:
        suite.metrics, suite.details = intent_scorer.run()
    except (intent_scorer.StaleModel, OSError, ValueError) as error:
        suite.error = str(error)
        suite.metrics = {"intents.errors": Metric(1, 1)}
    return suite


def _classifier(mode: RunMode, model: ChatModel) -> IntentClassifier:
    """The fast classifier alone for replays and recordings (what the cassettes were recorded
    with); live runs use the configured policy, its LLM calls not counted as draft calls."""
    settings = IntentSettings()
    if mode == "live":
        return from_settings(settings, model if settings.mode != Mode.FAST else None)
    return IntentClassifier(
        fast_classifier(settings), mode=Mode.FAST, unsure_margin=settings.unsure_margin
    )


def _selected(suite: GraphSuite, options: RunOptions) -> list[datasets.Case]:
    chosen = suite.cases(options.datasets)
    if options.cases:
        chosen = [case for case in chosen if case.id in options.cases]
    if options.recorded_only:
        chosen = [case for case in chosen if case.recorded]
    return chosen


@contextlib.contextmanager
def _cassette(suite: GraphSuite, options: RunOptions) -> Iterator[None]:
    if options.mode == "live":
        yield
        return
    path = cassette_path(options.prompt_version, suite.name, options.cassettes, options.profile)
    if options.mode == "record":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    with recorder(options.mode).use_cassette(str(path)):
        yield


async def _graph_suite(
    suite: GraphSuite,
    options: RunOptions,
    service: DraftService,
    case_model: CaseModel,
    target: DatabaseTarget,
    embedder: Embedder,
    progress: Progress,
) -> SuiteResult:
    result = SuiteResult(suite.name)
    chosen = _selected(suite, options)
    vault = datasets.vault(options.datasets)
    with _cassette(suite, options):
        for index, case in enumerate(chosen, start=1):
            by_model = options.mode == "live" or case.recorded
            world = await asyncio.to_thread(build, target, case, vault, embedder, suite.name)
            run = await draft_case(
                service, case_model, target, suite.name, case.id, world, by_model
            )
            if (
                run.drafted and run.draft and options.judge and suite.judged
            ):  # nothing to grade when the guard refused it
                try:
                    prompts = service.deps.prompts
                    run.judge = await judge.grade(
                        case_model.model,
                        vault.creator.name,
                        world.persona,
                        case.message,
                        run,
                        prompts,
                    )
                except Exception as error:
                    run.status = failure(error)
                    run.error = f"judge: {type(error).__name__}: {error}"[:1000]
            if run.ok:
                run.scores[suite.name] = suite.score(case, world, run)
            if run.requests:  # a replay miss still shows the prompt it could not find
                run.scores["prompt"] = prompt.score(case, world, run)
            result.runs.append(run)
            status = run.status if not run.ok else ("model" if run.by_model else "stub")
            progress.case(suite.name, index, len(chosen), case.id, status)
    ok = [r for r in result.runs if r.ok]
    result.metrics = suite.aggregate(ok) if ok else {}
    result.metrics[f"{suite.name}.errors"] = Metric(
        sum(r.status in ("error", "replay_miss") for r in result.runs), len(result.runs)
    )
    result.metrics[f"{suite.name}.model_failures"] = Metric(
        sum(r.status == "model_failure" for r in result.runs), sum(r.by_model for r in result.runs)
    )
    result.metrics[f"{suite.name}.replay_misses"] = Metric(
        sum(r.status == "replay_miss" for r in result.runs), len(result.runs)
    )
    result.metrics.update(cost.aggregate(suite.name, ok, options.price))
    result.metrics.update(judge.aggregate(suite.name, ok))
    return result


async def draft_case(
    service: DraftService,
    case_model: CaseModel,
    target: DatabaseTarget,
    suite: str,
    case_id: str,
    world: World,
    by_model: bool,
) -> CaseRun:
    """One fan message through the whole graph; a failure is the case's outcome, not the run's."""
    run = CaseRun(suite, case_id, by_model)
    case_model.begin(by_model)
    started = time.perf_counter()
    request = DraftRequest(world.creator_id, world.fan_id, message_id=world.message_id)
    try:
        outcome = await service.draft(request)
        snapshot = await service.graph.aget_state(
            {"configurable": {"thread_id": outcome.thread_id}}
        )
    except Exception as error:  # any failure of the agent is this case's result
        run.status = failure(error)
        run.error = f"{type(error).__name__}: {error}"[:1000]
        run.requests = list(case_model.requests)
        run.unapproved, run.proposed = await asyncio.to_thread(gate_counts, target, world)
        return run
    run.latency_ms = (time.perf_counter() - started) * 1000
    run.requests = list(case_model.requests)
    run.outcome = outcome.outcome
    run.draft = outcome.draft
    run.first_draft = model_draft(cast(list[ChatTurn], snapshot.values.get("chat", [])))
    run.intents = [i["signal"] for i in outcome.intents]
    run.memories = outcome.memories
    run.tool_calls = [
        {k: call[k] for k in ("name", "arguments", "kind", "status")} for call in outcome.tool_calls
    ]
    run.violations = outcome.violations
    run.refusals = outcome.refusals
    run.usage = outcome.usage
    run.unapproved, run.proposed = await asyncio.to_thread(gate_counts, target, world)
    return run


def failure(error: BaseException) -> CaseStatus:
    """What an exception out of a case means: a replay miss, a model whose output stayed
    malformed (LLMBadOutput: the agent gives up on the draft), or a broken run."""
    if is_replay_miss(error):
        return "replay_miss"
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, LLMBadOutput):
            return "model_failure"
        cause = cause.__cause__
    return "error"


def model_draft(chat: list[ChatTurn]) -> str:
    """The model's last reply text in the graph's chat: the draft before repair and fixes."""
    texts = [t.get("content", "").strip() for t in chat if t.get("role") == "assistant"]
    texts = [t for t in texts if t and not t.startswith("functions.")]
    return texts[-1] if texts else ""


def gate_counts(target: DatabaseTarget, world: World) -> tuple[int, int]:
    """Executed actions and outbound messages with no approval behind them, and the actions
    queued for approval, in the case creator's rows."""
    with app_connection(target) as conn, creator_scope(conn, world.creator_id):
        row = conn.execute(UNAPPROVED, {"seeded": list(world.seeded_outbound)}).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])
