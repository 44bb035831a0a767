"""Context assembly: what a draft costs before the model writes a token.

For fans drawn as drafts come (in proportion to the messages they send), one at a time:

    store_message  the fan's message stored (DraftService.start: the fan checked, the message
                   inserted, the fan's open drafts and pending actions superseded)
    load_context   the fan's profile and scores, the persona, the recent messages (the node)
    recall         the message embedded (MiniLM) and the fan's memories ranked (the node);
                   split into `embed` and `memory_search`
    classify       the message embedded by the intent encoder, the fast intent path, the intent
                   event stored (the node); it runs beside recall, as in the graph, so the
                   total is less than the sum of the stages
    render         the draft prompt within its token budget (what the draft node sends)

The nodes are the graph's own, called on one state in the graph's order (recall and classify
side by side), so LangGraph's scheduling and the checkpoints are left out here;
`draft_without_model` is the whole graph run in-process (DraftService.draft with the instant
model), checkpoints and the persona check included.
"""

import asyncio
import itertools
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from langgraph.runtime import Runtime

from agent.graph.nodes import classify, load_context, recall
from agent.graph.nodes.draft import first_prompt
from agent.graph.state import DraftState
from agent.runtime import open_service
from agent.service import DraftRequest, DraftService
from bench import texts
from bench.data import BenchData
from bench.instant import TimedEmbedder, instant_chat_model, intents_for
from bench.stats import Stopwatch, percentiles
from memory.embedders import Embedder

STAGES = ("store_message", "load_context", "embed", "memory_search", "classify", "render")


@dataclass(frozen=True)
class Runs:
    samples: int
    warmup: int


async def measure(data: BenchData, embedder: Embedder, runs: Runs) -> dict[str, Any]:
    timed = TimedEmbedder(embedder)
    count = runs.samples + runs.warmup
    fans = data.sample_fans(count, seed=11)
    messages = texts.fan_messages(count, seed=13)
    watch = Stopwatch()
    whole: list[float] = []
    model = instant_chat_model()
    async with open_service(
        data.target,
        chat_model=model,
        embedder=timed,
        clock=lambda: data.anchor,
        intents=intents_for(embedder),
    ) as service:
        nodes = Nodes(service)
        for n, (fan, text) in enumerate(zip(fans, messages, strict=True)):
            stages, _ = await nodes.assemble(DraftRequest(fan.creator_id, fan.id, text), timed)
            if n >= runs.warmup:
                for name, ms in stages.items():
                    watch.add(name, ms)
        draft_fans = data.sample_fans(count, seed=12)
        for n, (fan, text) in enumerate(zip(draft_fans, messages, strict=True)):
            started = time.perf_counter()
            await service.draft(DraftRequest(fan.creator_id, fan.id, text))
            if n >= runs.warmup:
                whole.append((time.perf_counter() - started) * 1000)
    summary = watch.summary()
    return {
        "total": summary.pop("total"),
        "stages": {name: summary[name] for name in STAGES},
        "draft_without_model": percentiles(whole),
        "embedder": embedder.name,
    }


async def _timed(step: Awaitable[DraftState]) -> tuple[DraftState, float]:
    """The node's update and its own milliseconds."""
    started = time.perf_counter()
    update = await step
    return update, (time.perf_counter() - started) * 1000


class Nodes:
    """The graph's context nodes, called on one state as the graph calls them."""

    def __init__(self, service: DraftService) -> None:
        deps = service.deps
        self.service, self.deps = service, deps
        self.load_context = load_context.make(deps)
        self.recall = recall.make(deps)
        self.classify = classify.make(deps)

    async def assemble(
        self, request: DraftRequest, embedder: TimedEmbedder
    ) -> tuple[dict[str, float], DraftState]:
        """One draft's context: the milliseconds of each stage, and the state."""
        marks = [time.perf_counter()]
        context, state = self.service.start(request)
        runtime = Runtime(context=context)
        marks.append(time.perf_counter())
        state.update(self.load_context(state, runtime))
        marks.append(time.perf_counter())
        (recalled, recall_ms), (classified, classify_ms) = await asyncio.gather(
            _timed(self.recall(state, runtime)), _timed(self.classify(state, runtime))
        )
        state.update(recalled)
        state.update(classified)
        marks.append(time.perf_counter())
        state["chat"] = first_prompt(state, self.deps)
        marks.append(time.perf_counter())
        store, load, _, render = (
            (later - earlier) * 1000 for earlier, later in itertools.pairwise(marks)
        )
        embed = embedder.calls_ms[-1]
        stages = {
            "store_message": store,
            "load_context": load,
            "embed": embed,
            "memory_search": recall_ms - embed,
            "classify": classify_ms,
            "render": render,
            "total": (marks[-1] - marks[0]) * 1000,
        }
        return stages, state
