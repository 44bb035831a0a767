"""The eval datasets as typed cases (evals/datasets/*.jsonl; README.md there says what each field
means and how the cases were made).

Every drafting case describes a small world (the fan, maybe a second fan of the same creator, the
media vault) and the fan's new message; evals/world.py writes it with fixed ids and times, so the
prompts are the same on every run and a replay matches its recording.
"""

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from memory.types import MemoryKind
from personas.model import Persona

DATASETS = Path(__file__).resolve().parent / "datasets"
POOL_PICKS = 4  # background memories each memory case's fan gets from the pool


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemorySpec(_Strict):
    kind: MemoryKind
    body: str
    subject: str | None = None
    importance: float = Field(default=0.5, ge=0, le=1)
    days_ago: float = Field(default=30, ge=0)
    target: bool = False  # the memory a good reply to the message uses


class TurnSpec(_Strict):
    sender: Literal["fan", "creator"] = Field(alias="from")
    text: str
    minutes_ago: int = Field(gt=1)


class PurchaseSpec(_Strict):
    kind: Literal["subscription", "tip", "ppv", "custom", "paid_message"]
    amount: float = Field(ge=0)
    media: str | None = None  # a title of the vault
    days_ago: float = Field(ge=0)


class ScoresSpec(_Strict):
    churn_risk: float = Field(ge=0, le=1)
    upsell_readiness: float = Field(ge=0, le=1)
    loyalty: float = Field(ge=0, le=1)
    predicted_ltv: float = Field(ge=0)


class FanSpec(_Strict):
    name: str
    stage: Literal[
        "new", "warming", "active_buyer", "cooling_off", "at_risk", "churned", "reactivated"
    ] = "active_buyer"
    spend: float = Field(default=60, ge=0)
    purchase_count: int = Field(default=3, ge=0)
    price_range: Literal["low", "mid", "high", "whale"] | None = "mid"
    fan_type: Literal["submissive", "dominant", "romantic", "transactional", "lonely"] | None = None
    tone: Literal["playful", "assertive", "romantic", "direct"] | None = None
    about: str | None = None  # the profile's narrative summary
    memories: tuple[MemorySpec, ...] = ()
    conversation: tuple[TurnSpec, ...] = ()  # before the new message
    bought: tuple[PurchaseSpec, ...] = ()
    scores: ScoresSpec | None = None


class Case(_Strict):
    id: str
    recorded: bool = False  # in the cassettes: drafted by the model in replay mode
    fan: FanSpec
    other_fan: FanSpec | None = None  # a second fan of the same creator, never to be leaked
    message: str
    persona: Persona | None = None  # the fan's persona; unset: the creator's default (vault.json)
    notes: str = ""


class MemoryCase(Case):
    topic: str  # what the target memory is about; pool memories of this topic are left out
    mentions: tuple[str, ...]  # any of these in the draft shows the target memory was used
    leak_terms: tuple[str, ...] = ()  # from the other fan's memories: never in the draft
    named: bool = False  # the message names the target's own rare word (a name, a place)

    @model_validator(mode="after")
    def _one_target(self) -> "MemoryCase":
        if sum(m.target for m in self.fan.memories) != 1:
            raise ValueError("a memory case has exactly one target memory")
        if self.other_fan is None or not self.other_fan.memories:
            raise ValueError("a memory case has another fan with memories")
        return self


class PersonaCase(Case):
    @model_validator(mode="after")
    def _has_persona(self) -> "PersonaCase":
        if self.persona is None:
            raise ValueError("a persona case names its persona")
        return self


class ExpectedCall(_Strict):
    name: str
    # Expected values of some arguments; "$media:<title>" stands for that vault item's id.
    args: dict[str, Any] = Field(default_factory=dict)


class ToolCase(Case):
    expect: tuple[ExpectedCall, ...]  # () means: call nothing
    allow: tuple[str, ...] = ()  # further tools that are fine to call (not false positives)


SafetyCategory = Literal[
    "injection_override",
    "fake_system",
    "other_fans_data",
    "bot_challenge",
    "creator_personal_data",
    "distress",
]


class SafetyCase(Case):
    category: SafetyCategory
    canaries: tuple[str, ...] = ()  # in the draft only if the model obeyed the injected text
    forbidden: tuple[str, ...] = ()  # never in the prompt or the draft (other fans' data)


class PoolMemory(_Strict):
    id: str
    topic: str
    memory: MemorySpec


class MediaSpec(_Strict):
    title: str
    kind: Literal["photo", "video", "audio", "bundle"]
    tags: tuple[str, ...]
    price: float
    explicitness: int = Field(ge=0, le=100)
    description: str
    days_ago: float


class CreatorSpec(_Strict):
    name: str
    handle: str


class PrivateData(_Strict):
    """Personal data stored on every fan: never in a prompt or a draft."""

    surname: str
    email_user: str
    phone: str
    city: str
    country: str


class Vault(_Strict):
    """What every drafting case shares: the creator, the default persona, the media vault."""

    creator: CreatorSpec
    persona: Persona
    media: tuple[MediaSpec, ...]
    private: PrivateData


C = TypeVar("C", bound=BaseModel)


def load_jsonl(path: Path, model: type[C]) -> list[C]:
    """Every case of the file, sorted by id; a malformed line raises with its line number."""
    cases: list[C] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                cases.append(model.model_validate_json(line))
            except ValueError as error:
                raise ValueError(f"{path.name}:{number}: {error}") from error
    ids = [getattr(case, "id", "") for case in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: duplicate ids")
    return sorted(cases, key=lambda case: str(getattr(case, "id", "")))


@cache
def vault(folder: Path = DATASETS) -> Vault:
    return Vault.model_validate(json.loads((folder / "vault.json").read_text("utf-8")))


@cache
def memory_pool(folder: Path = DATASETS) -> tuple[PoolMemory, ...]:
    return tuple(load_jsonl(folder / "memory_pool.jsonl", PoolMemory))


def pool_picks(case: MemoryCase, pool: Sequence[PoolMemory]) -> list[MemorySpec]:
    """The background memories a memory case's fan also has: POOL_PICKS pool entries of other
    topics, chosen by a hash of the case and entry ids (the same every run)."""
    eligible = [entry for entry in pool if entry.topic != case.topic]
    ranked = sorted(
        eligible, key=lambda e: hashlib.sha256(f"{case.id}/{e.id}".encode()).hexdigest()
    )
    return [entry.memory for entry in ranked[:POOL_PICKS]]
