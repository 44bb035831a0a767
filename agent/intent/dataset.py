"""The labelled intent dataset (evals/datasets/intents.jsonl): loading, validation, its hash.

Built by agent/intent/corpus (see evals/datasets/README.md): the hand-written messages plus the
generated ones. Splits: `train` fits the weights, `validation` the calibration and thresholds,
`test` is held out for evaluation only. Messages of one `group` (one template) share a split."""

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, field_validator

from agent.intent.signals import LABELS, NONE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATASET = PROJECT_ROOT / "evals" / "datasets" / "intents.jsonl"
Split: TypeAlias = Literal["train", "validation", "test"]
# handwritten: written one by one; generated: composed from phrase banks; hard_negative: generated
# messages that share words with the signals but carry none.
Source: TypeAlias = Literal["handwritten", "generated", "hard_negative"]


class IntentExample(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    text: str
    labels: tuple[str, ...]
    split: Split
    source: Source = "handwritten"
    group: str = ""  # the template it came from; messages of one group share a split

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        unknown = set(labels) - set(LABELS)
        if not labels or unknown:
            raise ValueError(f"labels must be a non-empty subset of {LABELS}; unknown: {unknown}")
        if NONE in labels and len(labels) > 1:
            raise ValueError('"none" cannot travel with a signal')
        if len(set(labels)) != len(labels):
            raise ValueError("duplicate label")
        return labels


def load_dataset(path: Path = DEFAULT_DATASET) -> list[IntentExample]:
    """Every example of the file, in file order; a malformed line raises with its line number."""
    examples: list[IntentExample] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                examples.append(IntentExample.model_validate_json(line))
            except ValueError as error:
                raise ValueError(f"{path}:{number}: {error}") from error
    ids = [example.id for example in examples]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate ids")
    return examples


def dataset_sha256(path: Path = DEFAULT_DATASET) -> str:
    """The hash a trained artifact records, so a changed dataset shows a stale model."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def of_split(examples: Sequence[IntentExample], split: Split) -> list[IntentExample]:
    return [example for example in examples if example.split == split]


def round_of(group: str) -> int:
    """The build round a group was written in: "sig2.*", "neg2.*", "combo2.*" are round 2,
    "ask3.*", "neg3.*" round 3, "sig4.*", "neg4.*", "ask4.*", "combo4.*" round 4; round 1's
    ("hand.*", "sig.*", "neg.*", "talk.*", "combo.*") carry no number."""
    found = re.match(r"[a-z]+(\d+)\.", group)
    return int(found.group(1)) if found else 1
