import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from agent.intent.corpus.build import (
    HANDWRITTEN,
    assistant_domain,
    build,
    dumps,
    normalised,
    unseen_domains,
)
from agent.intent.corpus.negatives_bank_3 import ASSISTANT_DOMAINS_3
from agent.intent.dataset import DEFAULT_DATASET, IntentExample, load_dataset, round_of
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


# The file as the earlier rounds left it: each later round only appends. (round, the earlier
# rounds' line count, their sha256)
EARLIER_ROUNDS = [
    (3, 7037, "832e74fd5bf33adb62cd2f79257851b3165df4c6c2e709ed6f7bc8889a4f5057"),
    (4, 8398, "81e9a81e326c27a07058c51b0aaec18cbce3683b512abcb23d8a1988a63c421e"),
]


@pytest.mark.parametrize(("later", "count", "sha256"), EARLIER_ROUNDS)
def test_a_later_round_leaves_the_earlier_rounds_byte_for_byte(
    later: int, count: int, sha256: str
) -> None:
    text = DEFAULT_DATASET.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    earlier = [line for line in lines if round_of(json.loads(line)["group"]) < later]
    assert lines[: len(earlier)] == earlier, f"a round-{later} message sits among earlier ones"
    prefix = "".join(earlier).encode()
    assert len(earlier) == count and hashlib.sha256(prefix).hexdigest() == sha256


def test_round_3_assistant_domains_are_split_whole_and_some_are_never_trained_on(
    examples: list[IntentExample],
) -> None:
    splits: dict[str, set[str]] = {}
    for example in examples:
        if example.group.startswith("ask3."):
            splits.setdefault(example.group.split(".")[1], set()).add(example.split)
    assert splits.keys() == ASSISTANT_DOMAINS_3.keys() and len(splits) >= 25
    assert all(len(found) == 1 for found in splits.values())
    assert sum(len(texts) for texts in ASSISTANT_DOMAINS_3.values()) >= 400
    unseen = unseen_domains(examples)
    assert len(unseen) >= 5 and unseen <= set(ASSISTANT_DOMAINS_3)
    requests = [
        ex for ex in examples if ex.split == "test" and assistant_domain(ex.group) in unseen
    ]
    assert len(requests) >= 150 and all(ex.labels == (NONE,) for ex in requests)
    fan_side = [ex for ex in examples if ex.group.startswith("neg3.")]
    assert len(fan_side) >= 60 and all(ex.labels == (NONE,) for ex in fan_side)


ROUND_4_KINDS = ("sig4", "combo4", "neg4", "ask4", "line4", "talk4")


def test_round_4_groups_sit_in_one_split_and_cover_the_weak_signals(
    examples: list[IntentExample],
) -> None:
    round_4 = [ex for ex in examples if round_of(ex.group) == 4]
    assert {ex.group.split(".", 1)[0] for ex in round_4} == set(ROUND_4_KINDS)
    splits: dict[str, set[str]] = {}
    for example in round_4:
        splits.setdefault(example.group, set()).add(example.split)
    assert all(len(found) == 1 for found in splits.values())
    counts = Counter((label, ex.split) for ex in round_4 for label in ex.labels)
    for label in ("high_intent", "attention_intent", "status_intent", "boundary_testing"):
        assert sum(counts[label, split] for split in ("train", "validation", "test")) >= 250
        assert counts[label, "test"] >= 50 and counts[label, "validation"] >= 30, label
    for label in SIGNALS:
        assert min(counts[label, split] for split in ("train", "validation", "test")) >= 10, label
    assert sum(len(ex.labels) > 1 for ex in round_4) >= 200


def test_round_4_negatives_carry_no_signal_and_its_requests_are_split_by_template(
    examples: list[IntentExample],
) -> None:
    fan_side = [ex for ex in examples if ex.group.startswith("neg4.")]
    requests = [ex for ex in examples if ex.group.startswith("ask4.")]
    assert len(fan_side) >= 150 and len(requests) >= 60
    assert all(ex.labels == (NONE,) for ex in fan_side + requests)
    assert all(ex.source == "hard_negative" for ex in fan_side + requests)
    for domain in ("jokes_for_others", "about_assistant"):
        found = {ex.split for ex in requests if assistant_domain(ex.group) == domain}
        assert found == {"train", "validation", "test"}, domain
    # split by template, so round 4's requests make no domain "unseen"
    assert unseen_domains(examples) == unseen_domains(
        [ex for ex in examples if round_of(ex.group) < 4]
    )
