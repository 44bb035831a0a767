"""Drafts with the embedded model, as a chatter gets them (issue 17's targets).

On the demo data (`make run`'s: `db.demo.seed_demo`, 2 creators x 200 fans, seed 7) in a
database of its own, `fanagent_bench_demo`, seeded once and reused, the configured model
(SmolLM2-135M through llama.cpp by default: the compact profile, its limits from `limits_for`)
drafts replies to previews (text stored nowhere) for demo fans who have a conversation with sent
replies, so the creator's own past replies exist as suggestions. Half the messages are small talk
(the demo's inbound texts for none, entertainment, emotional_support, attention_intent), half
want to buy (price_question, discount_request, ready_to_buy, in turn: the graph picks a PPV to
offer at the pricing engine's price, 20% off for a discount), each written in a drawn fan's
style as the demo writes them.

Each draft runs through DraftService.draft_stream, one at a time, after a warm-up pair (one of
each group, untimed; the first loads the model); the clock starts before `DraftService.start`
and records:

    first token   the first streamed token event (even one the guard later takes back)
    complete      the outcome event
    prompt tokens of the first model call (as the model counts them, and cl100k), and in all
    model calls, outcome, refused candidates taken back (replace events)
    sendable      a drafted draft, or at least one suggestion
    contaminated  the final draft repeats the prompt, carries tags or HTML entities:
                  prompts.guard.guard_draft's prompt_echo or markup, or '<', '&lt;', '&amp;', '&#'
    stages        the graph's own timings (context, recall, classify, suggest, model, ...)
    quotes price  the final draft names a price or a discount (no target: only the picked
                  offer's price may be named, which the guard checks)
"""

import asyncio
import datetime as dt
import random
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from uuid import UUID

import numpy as np
import psycopg

from agent.intent.classify import IntentClassifier
from agent.llm.factory import build_chat_model
from agent.llm.port import ChatModel
from agent.llm.settings import LLMSettings
from agent.llm.types import ChatResult, LLMError, StreamDone, StreamEvent, Usage
from agent.runtime import open_service
from agent.service import DraftRequest, DraftService
from bench.data import AS_OF, bench_target, drop_database
from db import migrate
from db.connect import DatabaseTarget
from db.demo import seed_demo
from db.demo import texts as demo_texts
from db.demo.draw import Draw, midnight_utc
from memory.embedders import Embedder
from personas.store import effective_persona
from prompts.guard import Refusal, guard_draft
from prompts.messages import ChatMessage
from prompts.tokens import count_message_tokens
from tools.base import ToolSpec

DATABASE = "fanagent_bench_demo"
DEMO_CREATORS, DEMO_FANS, DEMO_SEED = 2, 200, 7  # `fanagent seed`'s defaults (`make run`)
Group = Literal["plain", "price"]
SIGNALS: dict[Group, tuple[str, ...]] = {
    "plain": ("none", "entertainment", "emotional_support", "attention_intent"),
    "price": ("price_question", "discount_request", "ready_to_buy"),  # each is offered a PPV
}
# Markup a chatter must never see (prompts.guard finds these too, among others).
MARKUP = ("<", "&lt;", "&amp;", "&#")
CONTAMINATION = frozenset({Refusal.PROMPT_ECHO.value, Refusal.MARKUP.value})
PRICE = re.compile(
    r"[$€£]\s?\d|\d(?:[.,]\d+)?\s?(?:[$€£]|usd\b|dollars?\b|bucks\b|euros?\b|c\b)|\d+\s?%",
    re.IGNORECASE,
)
STAGES = ("context", "recall", "classify", "suggest", "model", "finalize")
TARGETS = {
    "plain.first_token_ms": 1500.0,
    "plain.complete_ms": 5000.0,
    "price.complete_ms": 6000.0,
    "plain.first_prompt_tokens": 700.0,
    "contaminated": 0,
    "sendable_share": 0.95,
}
VERBATIM = 10
Say = Callable[[str], None]


@dataclass(frozen=True)
class Runs:
    per_group: int  # drafts of each group, timed
    warmup: int = 1  # drafts of each group before them, not timed (the first loads the model)
    seed: int = 53


FULL, QUICK = Runs(per_group=50), Runs(per_group=3)


@dataclass(frozen=True)
class Call:
    """One model call of a draft (structured-output calls, the intent classifier's, left out)."""

    prompt_tokens: int  # as the model counts them
    prompt_tokens_cl100k: int  # the same messages as the prompt budget counts them
    completion_tokens: int


@dataclass
class RecordingChatModel:
    """`inner` with each draft call's token counts kept in `calls`."""

    inner: ChatModel
    calls: list[Call] = field(default_factory=list)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.inner.name

    def _record(self, messages: Sequence[ChatMessage], usage: Usage) -> None:
        cl100k = count_message_tokens(messages)
        self.calls.append(Call(usage.prompt_tokens, cl100k, usage.completion_tokens))

    async def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        json_schema: dict[str, Any] | None = None,
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> ChatResult:
        result = await self.inner.chat(
            messages,
            tools=tools,
            json_schema=json_schema,
            temperature=temperature,
            max_tokens=max_tokens,
            seed=seed,
            frequency_penalty=frequency_penalty,
        )
        if json_schema is None:
            self._record(messages, result.usage)
        return result

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> AsyncIterator[StreamEvent]:
        async for event in self.inner.stream(
            messages,
            tools=tools,
            temperature=temperature,
            max_tokens=max_tokens,
            seed=seed,
            frequency_penalty=frequency_penalty,
        ):
            if isinstance(event, StreamDone):
                self._record(messages, event.result.usage)
            yield event


@dataclass(frozen=True)
class Ask:
    group: Group
    signal: str
    creator_id: UUID
    fan_id: UUID
    text: str


@dataclass(frozen=True)
class Row:
    group: Group
    signal: str
    message: str
    outcome: str  # drafted | no_usable_draft | ... | failed (the model raised)
    draft: str
    suggestions: list[str]
    refusals: list[str]  # the guard's codes for the last candidate, as the graph reported them
    replaced: int  # streamed candidates the guard took back
    first_token_ms: float | None
    complete_ms: float
    first_prompt_tokens: int | None
    first_prompt_tokens_cl100k: int | None
    prompt_tokens: int
    completion_tokens: int
    model_calls: int
    sendable: bool
    findings: list[str]  # guard_draft's codes on the final draft, and any MARKUP string in it
    contaminated: bool
    quotes_price: bool
    stages_ms: dict[str, float]
    error: str | None = None


def ensure_demo(embedder: Embedder, *, rebuild: bool, say: Say) -> DatabaseTarget:
    """The demo database of this benchmark: migrated, seeded as `make run` seeds, once; seeded
    again when asked to, when a seed stopped part way, when an applied migration changed, or
    when memories lack their vectors (seeded before the seed embedded them)."""
    target = bench_target(DATABASE)
    reason: str | None = "--rebuild"
    if not rebuild:
        try:
            migrate.migrate(target.admin_url)
            reason = _stale(target)
        except migrate.MigrationError as error:
            reason = str(error)
    if reason is None:
        return target
    if reason != "empty":
        say(f"drafts: {reason}: seeding {DATABASE} again")
        drop_database(target)
        target = bench_target(DATABASE)
        migrate.migrate(target.admin_url)
    say(f"drafts: seeding {DATABASE} ({DEMO_CREATORS} creators x {DEMO_FANS} fans)")
    seed(target, DEMO_CREATORS, DEMO_FANS, embedder)
    return target


def seed(target: DatabaseTarget, creators: int, fans_per_creator: int, embedder: Embedder) -> None:
    """The demo (`fanagent seed`'s generator, seed 7, histories ending AS_OF) into `target`."""
    seed_demo(
        target.admin_url,
        creators=creators,
        fans_per_creator=fans_per_creator,
        seed=DEMO_SEED,
        as_of=AS_OF,
        embedder=lambda: embedder,
        if_empty=True,
    )


def _stale(target: DatabaseTarget) -> str | None:
    """Why the migrated demo database is not ready ("empty" when nothing is seeded), or None."""
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        creators = _count(conn, "SELECT count(*) FROM creator_profiles")
        unembedded = _count(conn, "SELECT count(*) FROM fan_memories WHERE embedding IS NULL")
    if creators == 0:
        return "empty"
    if creators != DEMO_CREATORS:
        return f"{creators} creators, not {DEMO_CREATORS}"
    if unembedded:
        return f"{unembedded} memories without a vector"
    return None


def _count(conn: psycopg.Connection[Any], query: str) -> int:
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def conversing_fans(target: DatabaseTarget) -> list[tuple[UUID, UUID]]:
    """(creator, fan) of the fans who wrote and were answered, in id order."""
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT f.creator_id, f.id FROM fan_profiles f"
            " WHERE EXISTS (SELECT 1 FROM fan_messages m WHERE m.fan_id = f.id"
            "               AND m.direction = 'inbound')"
            "   AND EXISTS (SELECT 1 FROM fan_messages m WHERE m.fan_id = f.id"
            "               AND m.direction = 'outbound' AND m.status = 'sent')"
            " ORDER BY f.id"
        ).fetchall()
    return [(row[0], row[1]) for row in rows]


def asks(fans: Sequence[tuple[UUID, UUID]], count: int, seed: int) -> list[Ask]:
    """`count` messages of each group, alternating plain and price, each to a drawn fan in that
    fan's own drawn style; each group's signals take turns."""
    draw = Draw(f"bench-drafts-{seed}", midnight_utc(AS_OF))
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    chosen = rng.sample(list(fans), min(len(fans), 2 * count))
    found: list[Ask] = []
    for n in range(2 * count):
        group: Group = "plain" if n % 2 == 0 else "price"
        signals = SIGNALS[group]
        signal = signals[(n // 2) % len(signals)]
        creator_id, fan_id = chosen[n % len(chosen)]
        voice = demo_texts.FanVoice.draw(draw)
        found.append(
            Ask(group, signal, creator_id, fan_id, demo_texts.inbound(draw, signal, voice))
        )
    return found


def run(runs: Runs, embedder: Embedder, *, rebuild: bool, say: Say) -> dict[str, Any]:
    """The benchmark as `fanagent bench drafts` runs it: the demo database, the configured
    model, the product's embedder and intent classifier, the demo's "now" as the clock."""
    target = ensure_demo(embedder, rebuild=rebuild, say=say)
    anchor = midnight_utc(AS_OF)
    return asyncio.run(measure(target, runs, embedder=embedder, clock=lambda: anchor))


async def measure(
    target: DatabaseTarget,
    runs: Runs,
    *,
    chat_model: ChatModel | None = None,
    embedder: Embedder | None = None,
    intents: IntentClassifier | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> dict[str, Any]:
    """Drafts `runs.per_group` replies of each group through the configured model (or
    `chat_model`, with the compact profile) and returns their figures and the drafts."""
    settings = LLMSettings()
    model = chat_model or build_chat_model(settings)
    profile = settings.draft_profile() if chat_model is None else "compact"
    recorder = RecordingChatModel(model)
    fans = conversing_fans(target)
    if not fans:
        raise RuntimeError(f"no fan with a conversation in {target.admin_url}")
    planned = asks(fans, runs.warmup + runs.per_group, runs.seed)
    overrides: dict[str, Any] = {"profile": profile}
    if clock is not None:
        overrides["clock"] = clock
    rows: list[Row] = []
    async with open_service(
        target, chat_model=recorder, embedder=embedder, intents=intents, **overrides
    ) as service:
        for n, ask in enumerate(planned):
            row = await _draft(service, recorder, ask)
            if n >= 2 * runs.warmup:
                rows.append(row)
    return {
        "model": model.name,
        "profile": profile,
        "limits": asdict(service.deps.limits),
        "fans_with_conversations": len(fans),
        **figures(rows),
        "drafts": [asdict(row) for row in rows],
    }


async def _draft(service: DraftService, recorder: RecordingChatModel, ask: Ask) -> Row:
    recorder.calls.clear()
    first: float | None = None
    replaced = 0
    outcome: dict[str, Any] | None = None
    error: str | None = None
    started = time.perf_counter()
    try:
        request = DraftRequest(ask.creator_id, ask.fan_id, text=ask.text)
        context, state = await asyncio.to_thread(service.start, request)
        async for event in service.draft_stream(context, state):
            if event.event == "token" and first is None and event.data.get("text"):
                first = time.perf_counter() - started
            elif event.event == "replace":
                replaced += 1
            elif event.event == "outcome":
                outcome = event.data
    except LLMError as failed:  # a timeout on a busy machine: say so, go on
        error = f"{type(failed).__name__}: {failed}"
    complete = time.perf_counter() - started
    calls = list(recorder.calls)
    outcome = outcome or {}
    draft = str(outcome.get("draft", ""))
    suggestions = [str(s["text"]) for s in outcome.get("suggestions", [])]
    findings = await asyncio.to_thread(_findings, service, ask, draft)
    usage = outcome.get("usage", {})
    drafted = outcome.get("outcome") == "drafted" and bool(draft.strip())
    return Row(
        group=ask.group,
        signal=ask.signal,
        message=ask.text,
        outcome=str(outcome.get("outcome", "failed")),
        draft=draft,
        suggestions=suggestions,
        refusals=[r["code"] for r in outcome.get("refusals", [])],
        replaced=replaced,
        first_token_ms=round(first * 1000, 1) if first is not None else None,
        complete_ms=round(complete * 1000, 1),
        first_prompt_tokens=calls[0].prompt_tokens if calls else None,
        first_prompt_tokens_cl100k=calls[0].prompt_tokens_cl100k if calls else None,
        prompt_tokens=int(usage.get("prompt_tokens", sum(c.prompt_tokens for c in calls))),
        completion_tokens=int(usage.get("completion_tokens", 0)),
        model_calls=int(usage.get("model_calls", len(calls))),
        sendable=drafted or bool(suggestions),
        findings=findings,
        contaminated=bool(set(findings) & CONTAMINATION) or any(m in draft for m in MARKUP),
        quotes_price=PRICE.search(draft) is not None,
        stages_ms={k: round(v, 1) for k, v in outcome.get("timings_ms", {}).items()},
        error=error,
    )


def _findings(service: DraftService, ask: Ask, draft: str) -> list[str]:
    """guard_draft's codes for the final draft (none for no draft: nothing is shown), and the
    markup strings it carries."""
    if not draft.strip():
        return []
    with service.deps.pool.connection() as conn:
        persona = effective_persona(conn, ask.creator_id, ask.fan_id).persona
    verdict = guard_draft(draft, persona, ask.text, prompts=service.deps.prompts)
    return [f.code.value for f in verdict.findings] + [m for m in MARKUP if m in draft]


def spread(values: Sequence[float | int | None]) -> dict[str, float]:
    """n, p50, p90, max of the values that are there."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return {"n": 0}
    p50, p90 = np.percentile(np.asarray(present), [50, 90])
    return {
        "n": len(present),
        "p50": round(float(p50), 1),
        "p90": round(float(p90), 1),
        "max": round(max(present), 1),
    }


def figures(rows: Sequence[Row]) -> dict[str, Any]:
    groups: dict[str, Any] = {}
    for group in SIGNALS:
        mine = [row for row in rows if row.group == group]
        groups[group] = {
            "drafts": len(mine),
            "first_token_ms": spread([r.first_token_ms for r in mine]),
            "complete_ms": spread([r.complete_ms for r in mine]),
            "first_prompt_tokens": spread([r.first_prompt_tokens for r in mine]),
            "first_prompt_tokens_cl100k": spread([r.first_prompt_tokens_cl100k for r in mine]),
            "prompt_tokens": spread([r.prompt_tokens for r in mine]),
            "model_calls": dict(sorted(Counter(r.model_calls for r in mine).items())),
            "outcomes": dict(Counter(r.outcome for r in mine)),
            "with_suggestions": sum(bool(r.suggestions) for r in mine),
            "taken_back": sum(r.replaced for r in mine),
            "sendable": sum(r.sendable for r in mine),
            "contaminated": sum(r.contaminated for r in mine),
            "quotes_price": sum(r.quotes_price for r in mine),
            "stages_p50_ms": {
                stage: spread([r.stages_ms.get(stage) for r in mine]).get("p50")
                for stage in STAGES
                if any(stage in r.stages_ms for r in mine)
            },
        }
    sendable = sum(row.sendable for row in rows)
    contaminated = sum(row.contaminated for row in rows)
    share = round(sendable / len(rows), 3) if rows else 0.0
    plain, price = groups["plain"], groups["price"]
    verdicts = {
        "plain.first_token_ms": _within(plain["first_token_ms"], TARGETS["plain.first_token_ms"]),
        "plain.complete_ms": _within(plain["complete_ms"], TARGETS["plain.complete_ms"]),
        "price.complete_ms": _within(price["complete_ms"], TARGETS["price.complete_ms"]),
        "plain.first_prompt_tokens": _within(
            plain["first_prompt_tokens"], TARGETS["plain.first_prompt_tokens"]
        ),
        "contaminated": bool(rows) and contaminated == TARGETS["contaminated"],
        "sendable_share": bool(rows) and share >= TARGETS["sendable_share"],
    }
    return {
        "groups": groups,
        "sendable": sendable,
        "sendable_share": share,
        "contaminated": contaminated,
        "failed": sum(row.error is not None for row in rows),
        "targets": TARGETS,
        "met": verdicts,  # latency and token targets judged at p90
    }


def _within(spread_: dict[str, float], limit: float) -> bool:
    return bool(spread_.get("n")) and spread_["p90"] <= limit


def print_figures(result: dict[str, Any], say: Say, load_text: str) -> None:
    groups, met = result["groups"], result["met"]
    say(f"drafts with the embedded model ({result['model']}, {result['profile']}, {load_text})")
    say("  p50 / p90 / max; targets judged at p90")
    for group in SIGNALS:
        g = groups[group]
        say(
            f"  {group:<5} {g['drafts']} drafts  outcomes {g['outcomes']}  model calls"
            f" {g['model_calls']}  taken back {g['taken_back']}"
        )
        first, complete = g["first_token_ms"], g["complete_ms"]
        line = f"    first token {_spread_ms(first)}"
        if group == "plain":
            line += f"   [<= 1.5 s: {_verdict(met['plain.first_token_ms'])}]"
        say(line)
        limit = "<= 5 s" if group == "plain" else "<= 6 s"
        verdict = _verdict(met[f"{group}.complete_ms"])
        say(f"    complete    {_spread_ms(complete)}   [{limit}: {verdict}]")
        line = (
            f"    prompt tokens, first call {_spread(g['first_prompt_tokens'])}"
            f" (cl100k {_spread(g['first_prompt_tokens_cl100k'])}); all calls"
            f" {_spread(g['prompt_tokens'])}"
        )
        if group == "plain":
            line += f"   [<= 700: {_verdict(met['plain.first_prompt_tokens'])}]"
        say(line)
        stages = ", ".join(f"{k} {v:.0f}" for k, v in g["stages_p50_ms"].items())
        say(f"    graph stages p50 (ms): {stages}; drafts quoting a price {g['quotes_price']}")
    drafts = sum(g["drafts"] for g in groups.values())
    say(
        f"  sendable (a draft, or >= 1 suggestion): {result['sendable']} / {drafts}"
        f" = {result['sendable_share']:.0%}   [>= 95%: {_verdict(met['sendable_share'])}]"
    )
    say(
        f"  final drafts with prompt text, tags or entities: {result['contaminated']}"
        f"   [0: {_verdict(met['contaminated'])}]"
    )
    if result["failed"]:
        say(f"  failed (the model raised): {result['failed']}")
    say(f"  {VERBATIM} of the drafts:")
    for row in verbatim(result["drafts"]):
        say(f"    [{row['group']}/{row['signal']}] {row['message']!r}")
        first = row["first_token_ms"]
        timing = (
            f"first token {first / 1000:.2f} s, " if first is not None else "no token, "
        ) + f"complete {row['complete_ms'] / 1000:.2f} s, {row['model_calls']} call(s)"
        if row["draft"]:
            say(f"      -> {row['draft']!r}  ({timing})")
        else:
            refused = ", ".join(row["refusals"]) or row["error"] or "nothing"
            say(f"      -> {row['outcome']} ({refused}; {timing}); suggestions:")
            for text in row["suggestions"] or ["(none)"]:
                say(f"         * {text!r}")


def verbatim(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first VERBATIM drafts, plain and price alternating as they were asked."""
    return list(rows[:VERBATIM])


def _spread(s: dict[str, float]) -> str:
    if not s.get("n"):
        return "none"
    return f"{s['p50']:.0f} / {s['p90']:.0f} / {s['max']:.0f}"


def _spread_ms(s: dict[str, float]) -> str:
    if not s.get("n"):
        return "none"
    return f"{s['p50'] / 1000:.2f} / {s['p90'] / 1000:.2f} / {s['max'] / 1000:.2f} s"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"
