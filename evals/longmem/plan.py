"""What a conversation's generator plans before it writes turns: the fan's statements (beats),
each placed in a session, and the questions whose evidence they are."""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from evals.longmem.text import pick

Content = Literal["fact", "other", "chat"]  # of the fan; of someone else / hypothetical; neither
Kind = Literal["single", "updated", "multi", "temporal", "event", "preference", "callback"]
KINDS: tuple[Kind, ...] = (
    "single",
    "updated",
    "multi",
    "temporal",
    "event",
    "preference",
    "callback",
)


@dataclass(eq=False)
class Beat:
    """One fan message the plan needs, in session `session`; `values` must survive the typing."""

    session: int
    text: str
    values: tuple[str, ...]
    content: Content
    reply: str


@dataclass(frozen=True)
class Question:
    kind: Kind
    question: str
    answer: str
    values: tuple[str, ...]  # the words of the answer each evidence turn holds (one of them)
    evidence: tuple[Beat, ...]


@dataclass
class Plan:
    """The sessions' days and a draw of distinct values; threads add beats and questions."""

    rng: random.Random
    days: Sequence[dt.datetime]  # each session's start, ascending
    beats: list[Beat] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)

    def take(self, pool: Sequence[str]) -> str:
        """A value of `pool` no thread of this conversation has used, now used."""
        chosen = self.rng.choice([v for v in pool if v not in self.taken])
        self.taken.add(chosen)
        return chosen

    def session(self, low: float, high: float) -> int:
        """A session index between the fractions `low` and `high` of the conversation."""
        count = len(self.days)
        return self.rng.randint(int(low * (count - 1)), int(high * (count - 1)))

    def after(self, session: int, days: int) -> int | None:
        """The first session at least `days` after session `session`, if any."""
        due = self.days[session] + dt.timedelta(days=days)
        return next((i for i, day in enumerate(self.days) if day >= due), None)

    def beat(
        self,
        session: int,
        templates: tuple[str, ...],
        values: dict[str, str],
        keep: tuple[str, ...],
        replies: tuple[str, ...],
        content: Content = "fact",
    ) -> Beat:
        """A fan message from one of `templates`, kept in the plan; `keep` are the values that
        must stay readable in it."""
        text = pick(templates, self.rng, values)
        made = Beat(session, text, keep, content, pick(replies, self.rng, values))
        self.beats.append(made)
        return made

    def ask(
        self,
        kind: Kind,
        templates: tuple[str, ...],
        values: dict[str, str],
        answer: str,
        keep: tuple[str, ...],
        evidence: Sequence[Beat],
    ) -> None:
        question = pick(templates, self.rng, values)
        self.questions.append(Question(kind, question, answer, keep, tuple(evidence)))
