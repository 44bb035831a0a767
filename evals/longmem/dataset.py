"""evals/datasets/longmem.jsonl: one long fan-creator conversation per line, with the questions
about the fan whose evidence turns are labelled (written by evals/longmem/generate.py)."""

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evals.cases import DATASETS
from evals.longmem.plan import Content, Kind

DATASET = DATASETS / "longmem.jsonl"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Turn(_Strict):
    id: str
    speaker: Literal["fan", "creator"]
    text: str
    at: dt.datetime
    content: Content  # fact: states a fact about the fan; other: someone else's; chat: neither


class Question(_Strict):
    id: str
    kind: Kind
    question: str  # as a chatter asks it, or (callback) a fan message that needs the fact
    answer: str
    values: tuple[str, ...]  # the answer's words: each evidence turn holds one of them
    evidence: tuple[str, ...]  # turn ids: any of them answers (multi: all of them together)


class Conversation(_Strict):
    id: str
    fan_id: str
    fan_name: str
    turns: tuple[Turn, ...]
    questions: tuple[Question, ...]

    @property
    def end(self) -> dt.datetime:
        return self.turns[-1].at


def dumps(conversations: list[Conversation]) -> str:
    """The JSONL text, one conversation a line."""
    return "".join(c.model_dump_json() + "\n" for c in conversations)


def load(path: Path = DATASET) -> list[Conversation]:
    with path.open(encoding="utf-8") as lines:
        return [Conversation.model_validate_json(line) for line in lines if line.strip()]
