"""The embedded model's tokens/s through the service against llama.cpp's own on the same prompt.

Each draft runs through DraftService.draft with the local model (SmolLM2-135M by default, as
configured by FANAGENT_LLM_*), with every llama.cpp generation it makes recorded (its request and
its time). Then the same requests are replayed on the same Llama object, directly. Both start
with llama.cpp's prompt cache emptied, so each pays the same prompt evaluation.

    through the service  completion tokens / the draft's wall time (context, checkpoints,
                         persona check, storing the draft: everything a caller waits for)
    llama.cpp alone      completion tokens / the replayed generations' time
    ratio                the first over the second (1.0: the service adds nothing)
"""

import time
from dataclasses import dataclass, field
from typing import Any

from agent.llm.factory import build_chat_model
from agent.llm.local_backend import LocalChatModel
from agent.llm.settings import LLMSettings
from agent.llm.types import LLMError
from agent.runtime import open_service
from agent.service import DraftRequest
from bench import texts
from bench.data import BenchData
from bench.instant import intents_for
from memory.embedders import Embedder


@dataclass
class _Recorder:
    """Wraps Llama.create_chat_completion: keeps each request and how long it took."""

    original: Any
    calls: list[tuple[dict[str, Any], float, int]] = field(default_factory=list)

    def __call__(self, **request: Any) -> Any:
        started = time.perf_counter()
        response = self.original(**request)
        elapsed = time.perf_counter() - started
        self.calls.append((request, elapsed, int(response["usage"]["completion_tokens"])))
        return response


@dataclass(frozen=True)
class _Draft:
    generations: int
    tokens: int
    service_s: float  # the whole draft
    in_llama_s: float  # its generations
    replay_tokens: int
    replay_s: float


async def measure(data: BenchData, embedder: Embedder, drafts: int) -> dict[str, Any]:
    model = build_chat_model(LLMSettings(backend="local"))
    if not isinstance(model, LocalChatModel):
        raise TypeError("the local backend did not build a LocalChatModel")
    llama: Any = model._load().llama  # llama-cpp-python's Llama, untyped here
    recorder = _Recorder(llama.create_chat_completion)
    fans = data.sample_fans(drafts + 1, seed=37)
    messages = texts.fan_messages(drafts + 1, seed=43)
    rows: list[_Draft] = []
    failures: list[str] = []
    async with open_service(
        data.target,
        chat_model=model,
        embedder=embedder,
        clock=lambda: data.anchor,
        intents=intents_for(embedder),
    ) as service:
        llama.create_chat_completion = recorder
        try:
            for n, (fan, text) in enumerate(zip(fans, messages, strict=True)):
                recorder.calls.clear()
                llama.reset()  # no prompt cache from the previous draft
                started = time.perf_counter()
                try:
                    await service.draft(DraftRequest(fan.creator_id, fan.id, text))
                except LLMError as error:  # a timeout on a busy machine: say so, go on
                    failures.append(f"{type(error).__name__}: {error}")
                    continue
                service_s = time.perf_counter() - started
                calls = list(recorder.calls)
                if n == 0:
                    continue  # the first draft loads the model: not timed, not replayed
                llama.reset()
                replay_s, replay_tokens = 0.0, 0
                for request, _, _ in calls:
                    began = time.perf_counter()
                    response = recorder.original(**request)
                    replay_s += time.perf_counter() - began
                    replay_tokens += int(response["usage"]["completion_tokens"])
                rows.append(
                    _Draft(
                        generations=len(calls),
                        tokens=sum(tokens for *_, tokens in calls),
                        service_s=service_s,
                        in_llama_s=sum(elapsed for _, elapsed, _ in calls),
                        replay_tokens=replay_tokens,
                        replay_s=replay_s,
                    )
                )
        finally:
            llama.create_chat_completion = recorder.original
    return {**_figures(model.name, rows), "failed_drafts": failures}


def _figures(name: str, rows: list[_Draft]) -> dict[str, Any]:
    tokens = sum(row.tokens for row in rows)
    service_s = sum(row.service_s for row in rows)
    replay_s = sum(row.replay_s for row in rows)
    in_llama = sum(row.in_llama_s for row in rows)
    through_service = tokens / service_s if service_s else 0.0
    alone = sum(row.replay_tokens for row in rows) / replay_s if replay_s else 0.0
    return {
        "model": name,
        "drafts": len(rows),
        "generations": sum(row.generations for row in rows),
        "completion_tokens": tokens,
        "replayed_completion_tokens": sum(row.replay_tokens for row in rows),
        "tokens_per_s_through_service": round(through_service, 1),
        "tokens_per_s_llama_alone": round(alone, 1),
        "ratio": round(through_service / alone, 3) if alone else None,
        "service_overhead_ms_per_draft": (
            round((service_s - in_llama) * 1000 / len(rows), 1) if rows else None
        ),
        "share_of_draft_in_llama": round(in_llama / service_s, 3) if service_s else None,
    }
