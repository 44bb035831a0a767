import json
from collections import Counter
from pathlib import Path

import pytest

from agent.intent.corpus.build import HANDWRITTEN, build, dumps, normalised
from agent.intent.dataset import DEFAULT_DATASET, IntentExample, load_dataset
from agent.intent.signals import DEFINITIONS, LABELS, NONE, NONE_DEFINITION, SIGNALS


def test_the_dataset_is_large_enough_and_every_label_is_in_every_split(
    examples: list[IntentExample],
) -> None:
    assert len(examples) >= 2000
    assert sum(ex.source == "hard_negative" for ex in examples) >= 600
    assert all(ex.labels == ("none",) for ex in examples if ex.source == "hard_negative")
    for split, least in (("train", 50), ("validation", 20), ("test", 20)):
        counts = Counter(label for ex in examples if ex.split == split for label in ex.labels)
        assert min(counts[label] for label in LABELS) >= least, split
    assert sum(ex.split == "test" for ex in examples) >= 400
    assert sum(len(ex.labels) > 1 for ex in examples) >= 200  # multi-label messages
    assert len({normalised(ex.text) for ex in examples}) == len(examples)


def test_the_hand_written_messages_are_kept_and_the_test_ones_stay_test(
    examples: list[IntentExample],
) -> None:
    hand = {ex.id: ex for ex in load_dataset(HANDWRITTEN)}
    kept = {ex.id: ex for ex in examples if ex.source == "handwritten"}
    assert kept.keys() == hand.keys() and len(hand) == 549
    for key, original in hand.items():
        assert (kept[key].text, kept[key].labels) == (original.text, original.labels)
        assert (kept[key].split == "test") == (original.split == "test")


def test_no_template_straddles_two_splits(examples: list[IntentExample]) -> None:
    splits: dict[str, set[str]] = {}
    for example in examples:
        assert example.group, example.id
        splits.setdefault(example.group, set()).add(example.split)
    assert all(len(found) == 1 for found in splits.values())
    assert len(splits) > 500


def test_the_build_reproduces_the_committed_file() -> None:
    assert dumps(build()) == DEFAULT_DATASET.read_text(encoding="utf-8"), (
        "the banks changed: run `fanagent intent dataset`, then `fanagent intent train`"
    )


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
