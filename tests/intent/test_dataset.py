import json
from collections import Counter
from pathlib import Path

import pytest

from agent.intent.dataset import DEFAULT_DATASET, IntentExample, load_dataset
from agent.intent.signals import DEFINITIONS, LABELS, NONE, NONE_DEFINITION, SIGNALS


def test_the_dataset_is_large_enough_and_every_label_is_in_both_splits(
    examples: list[IntentExample],
) -> None:
    assert len(examples) >= 450
    overall = Counter(label for example in examples for label in example.labels)
    test = Counter(label for ex in examples if ex.split == "test" for label in ex.labels)
    assert set(overall) == set(LABELS)
    assert min(overall.values()) >= 20
    assert min(test[label] for label in LABELS) >= 5
    share = sum(ex.split == "test" for ex in examples) / len(examples)
    assert 0.2 <= share <= 0.3
    assert sum(len(ex.labels) > 1 for ex in examples) >= 30  # multi-label messages
    assert len({ex.text.lower() for ex in examples}) == len(examples)


def test_labels_are_in_canonical_order(examples: list[IntentExample]) -> None:
    for example in examples:
        assert list(example.labels) == sorted(example.labels, key=LABELS.index), example.id


def test_the_readme_defines_every_label_as_signals_py_does() -> None:
    readme = (DEFAULT_DATASET.parent / "README.md").read_text(encoding="utf-8")
    for label in SIGNALS:
        assert f"- `{label}`: {DEFINITIONS[label]}\n" in readme
    assert f"- `{NONE}`: {NONE_DEFINITION}\n" in readme


@pytest.mark.parametrize(
    "labels",
    [["none", "churn_risk"], ["wants_money"], [], ["churn_risk", "churn_risk"]],
)
def test_a_malformed_label_set_is_rejected_with_its_line(tmp_path: Path, labels: list[str]) -> None:
    path = tmp_path / "bad.jsonl"
    good = {"id": "a", "text": "hi", "labels": ["none"], "split": "train"}
    bad = {"id": "b", "text": "bye", "labels": labels, "split": "test"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        load_dataset(path)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dupes.jsonl"
    row = json.dumps({"id": "a", "text": "hi", "labels": ["none"], "split": "train"})
    path.write_text(f"{row}\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate ids"):
        load_dataset(path)
