"""The seeded build of evals/datasets/longmem.jsonl (`fanagent evals longmem generate`).

Pure Python, no model: per conversation a `random.Random` seeded with the conversation's
index draws the fan's facts (evals/longmem/threads.py), the days of 38-52 chat sessions over 4-8
months, and the talk between the facts (chat.py); the fan's messages are typed as fans type
(agent/intent/corpus/noise.py), never mangling a fact's value. Same code, same file, byte for
byte (a test regenerates it and compares)."""

import datetime as dt
import random
from pathlib import Path

from agent.intent.corpus.noise import casual, fan_style
from evals.longmem import chat, pools, threads
from evals.longmem.dataset import DATASET, Conversation, Question, Turn, dumps
from evals.longmem.plan import Beat, Content, Plan
from evals.longmem.text import pick

SEED = 18
CONVERSATIONS = 20
MIN_TURNS = 300
LAST_DAY = dt.datetime(2026, 10, 20, tzinfo=dt.UTC)  # conversations end before the evals' CLOCK
CHANGEABLE = ("pets", "job", "city", "car")


def build(count: int = CONVERSATIONS) -> list[Conversation]:
    return [conversation(index) for index in range(count)]


def write(out: Path = DATASET) -> list[Conversation]:
    conversations = build()
    out.write_text(dumps(conversations), encoding="utf-8")
    return conversations


def conversation(index: int) -> Conversation:
    rng = random.Random(f"longmem/{SEED}/{index}")  # noqa: S311 - data, not a secret
    ident = f"lm-{index + 1:02d}"
    plan = Plan(rng, _session_days(rng))
    fan_name = plan.take(pools.PEOPLE[20:])
    changed = set(rng.sample(CHANGEABLE, rng.randint(1, 3)))
    threads.pets(plan, loss="pets" in changed)
    threads.job(plan, change="job" in changed)
    threads.city(plan, change="city" in changed)
    threads.car(plan, change="car" in changed)
    threads.birthday(plan)
    threads.family(plan)
    for what in sorted(threads.TASTES):
        threads.taste(plan, what)
    threads.hobby(plan)
    threads.injury(plan)
    threads.trip(plan)
    threads.trip(plan)
    turns, beat_ids = _turns(plan, ident)
    if len(turns) < MIN_TURNS:
        raise ValueError(f"{ident}: {len(turns)} turns, fewer than {MIN_TURNS}")
    questions = tuple(
        Question(
            id=f"{ident}-q{number:02d}",
            kind=q.kind,
            question=q.question,
            answer=q.answer,
            values=q.values,
            evidence=tuple(beat_ids[beat] for beat in q.evidence),
        )
        for number, q in enumerate(plan.questions, start=1)
    )
    return Conversation(
        id=ident, fan_id=f"fan-{ident}", fan_name=fan_name, turns=turns, questions=questions
    )


def _session_days(rng: random.Random) -> list[dt.datetime]:
    """38-52 session starts over 125-235 days, the first and last day included, at day or
    evening hours."""
    span = rng.randint(125, 235)
    start = LAST_DAY - dt.timedelta(days=rng.randint(0, 40) + span)
    offsets = sorted({0, span, *rng.sample(range(1, span), rng.randint(36, 50))})
    return [
        start + dt.timedelta(days=day, hours=rng.randint(8, 23), minutes=rng.randint(0, 59))
        for day in offsets
    ]


def _turns(plan: Plan, ident: str) -> tuple[tuple[Turn, ...], dict[Beat, str]]:
    """Every session's turns: a greeting, the session's beats among small talk and buying
    talk, each fan message answered by the creator."""
    rng = plan.rng
    turns: list[Turn] = []
    beat_ids: dict[Beat, str] = {}

    def say(speaker: str, text: str, at: dt.datetime, content: Content = "chat") -> str:
        turn = Turn(
            id=f"{ident}-t{len(turns) + 1:03d}",
            speaker="fan" if speaker == "fan" else "creator",
            text=text,
            at=at,
            content=content,
        )
        turns.append(turn)
        return turn.id

    for session, day in enumerate(plan.days):
        at = day
        items: list[Beat | None] = [b for b in plan.beats if b.session == session]
        items += [None] * rng.randint(3, 5)  # filler exchanges
        rng.shuffle(items)
        say("fan", _typed(pick(chat.GREETING, rng, {}), (), rng), at)
        at += dt.timedelta(minutes=rng.randint(1, 30))
        say("creator", pick(chat.CREATOR_TALK, rng, {}), at)
        for item in items:
            at += dt.timedelta(minutes=rng.randint(1, 12))
            if item is None:
                buying = rng.random() < 0.3
                fan_lines = chat.FAN_BUYING if buying else chat.FAN_TALK
                say("fan", _typed(pick(fan_lines, rng, {}), (), rng), at)
                reply = pick(chat.CREATOR_BUYING if buying else chat.CREATOR_TALK, rng, {})
            else:
                beat_ids[item] = say("fan", _typed(item.text, item.values, rng), at, item.content)
                reply = item.reply
            at += dt.timedelta(minutes=rng.randint(1, 20))
            say("creator", reply, at)
    return tuple(turns), beat_ids


def _typed(text: str, values: tuple[str, ...], rng: random.Random) -> str:
    """`text` as a fan types it, every one of `values` still readable (else just lower case)."""
    for _ in range(5):
        typed = fan_style(text, rng)
        if all(value in typed.lower() for value in values):
            return typed
    return casual(text, rng)
