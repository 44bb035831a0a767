"""The seeded build of evals/datasets/intents.jsonl: the hand-written messages, then messages
composed from the phrase banks, split by template so near-duplicates never straddle splits.

Same banks, same seed -> the same file, byte for byte (a test rebuilds it and compares)."""

import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.intent.corpus.fan_lines_4 import FAN_LINES_4
from agent.intent.corpus.grammar import render
from agent.intent.corpus.negatives_bank import FILLERS, HARD_NEGATIVES, SMALL_TALK
from agent.intent.corpus.negatives_bank_2 import ASSISTANT_CATEGORIES, HARD_NEGATIVES_2
from agent.intent.corpus.negatives_bank_3 import ASSISTANT_DOMAINS_3, HARD_NEGATIVES_3
from agent.intent.corpus.negatives_bank_4 import ASSISTANT_4, HARD_NEGATIVES_4
from agent.intent.corpus.noise import assistant_style, fan_style, request_style
from agent.intent.corpus.signals_bank import SIGNAL_TEMPLATES
from agent.intent.corpus.signals_bank_2 import SIGNAL_TEMPLATES_2
from agent.intent.corpus.signals_bank_3 import SIGNAL_TEMPLATES_3
from agent.intent.corpus.signals_bank_4 import SIGNAL_TEMPLATES_4
from agent.intent.corpus.slots import SLOTS
from agent.intent.corpus.small_talk_4 import SMALL_TALK_4
from agent.intent.dataset import (
    DEFAULT_DATASET,
    IntentExample,
    Source,
    Split,
    load_dataset,
)
from agent.intent.signals import LABELS, NONE

HANDWRITTEN = DEFAULT_DATASET.with_name("intents_handwritten.jsonl")
SEED = 19
SPLITS: tuple[Split, ...] = ("test", "validation", "train")
SHARES = {"test": 0.22, "validation": 0.15}  # of each bank's templates; the rest trains
HANDWRITTEN_VALIDATION = 5  # one hand-written train message in 5 moves to validation
# texts per template, by bank kind (the group's first part; "2", "3": later rounds' banks).
# "ask3": round 3's assistant requests, each template a request of its own (few alternatives);
# "ask4": round 4's requests in two of round 3's domains, split by template like fan chat;
# "line4", "talk4": round 4's literal fan messages and small talk, each line a template of its own.
PER_TEMPLATE = {
    **{"sig": 8, "sig2": 8, "neg": 8, "neg2": 8, "talk": 6},
    **{"sig3": 8, "neg3": 6, "ask3": 2},
    **{"sig4": 8, "neg4": 6, "ask4": 3, "line4": 2, "talk4": 2},
}
# Banks split by domain, not by template: every template of one domain goes to the same split,
# so the test split holds assistant-request domains the model never trained on.
BY_DOMAIN = ("ask3",)
# Banks of requests in BY_DOMAIN's domains but split by template: the leave-domain-out
# evaluation keeps them out of the training whenever it holds out their domain.
DOMAIN_TWINS = ("ask4",)
COMBOS = 0.12  # two-signal messages per single-signal message of a split
RAMBLES = 0.10  # long messages (asides around a signal) per single-signal message
NEAR_DUPLICATE = 0.8  # word-set Jaccard at which a generated message copies a hand-written one


@dataclass(frozen=True)
class Template:
    group: str
    labels: tuple[str, ...]
    text: str
    source: Source
    style: Callable[[str, random.Random], str]
    round: int = 1  # 2-4: later banks, built after round 1 so the earlier rounds stay as they were


def _stable(*parts: object) -> int:
    """A seed that depends only on `parts` (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "little")


def _canonical(labels: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(labels), key=LABELS.index))


def templates() -> list[Template]:
    """Every bank template, with its group id, labels and typing style."""
    return [
        *_signal_templates("sig", SIGNAL_TEMPLATES, 1),
        *_none_templates(
            "neg",
            HARD_NEGATIVES,
            lambda category: assistant_style if category == "assistant" else fan_style,
            1,
        ),
        *(
            Template(f"talk.{i:02d}", (NONE,), text, "generated", fan_style)
            for i, text in enumerate(SMALL_TALK)
        ),
        *_signal_templates("sig2", SIGNAL_TEMPLATES_2, 2),
        *_none_templates(
            "neg2",
            HARD_NEGATIVES_2,
            lambda category: assistant_style if category in ASSISTANT_CATEGORIES else fan_style,
            2,
        ),
        *_signal_templates("sig3", SIGNAL_TEMPLATES_3, 3),
        *_none_templates("neg3", HARD_NEGATIVES_3, lambda _: fan_style, 3),
        *_none_templates("ask3", ASSISTANT_DOMAINS_3, lambda _: request_style, 3),
        *_signal_templates("sig4", SIGNAL_TEMPLATES_4, 4),
        *_none_templates("neg4", HARD_NEGATIVES_4, lambda _: fan_style, 4),
        *_none_templates("ask4", ASSISTANT_4, lambda _: request_style, 4),
        *_signal_templates("line4", _without(FAN_LINES_4, NONE), 4),
        *_none_templates("line4", {NONE: FAN_LINES_4[NONE]}, lambda _: fan_style, 4),
        *_none_templates("talk4", SMALL_TALK_4, lambda _: fan_style, 4, source="generated"),
    ]


def _without(bank: Mapping[str, Sequence[str]], key: str) -> dict[str, Sequence[str]]:
    return {k: texts for k, texts in bank.items() if k != key}


def _signal_templates(
    prefix: str, bank: Mapping[str, Sequence[str]], round_: int
) -> list[Template]:
    """A signal bank's templates: keyed by their labels ("price_question+wants_custom")."""
    return [
        Template(
            f"{prefix}.{key}.{i:02d}",
            _canonical(key.split("+")),
            text,
            "generated",
            fan_style,
            round_,
        )
        for key, texts in bank.items()
        for i, text in enumerate(texts)
    ]


def _none_templates(
    prefix: str,
    bank: Mapping[str, Sequence[str]],
    style: Callable[[str], Callable[[str, random.Random], str]],
    round_: int,
    source: Source = "hard_negative",
) -> list[Template]:
    """A bank of "none" templates (hard negatives unless `source` says otherwise: plain small
    talk), keyed by category, each typed in its category's style."""
    return [
        Template(f"{prefix}.{category}.{i:02d}", (NONE,), text, source, style(category), round_)
        for category, texts in bank.items()
        for i, text in enumerate(texts)
    ]


def assistant_domain(group: str) -> str | None:
    """The assistant-request domain of a group ("ask3.banking_cards.04" -> "banking_cards",
    "ask4.jokes_for_others.02" -> "jokes_for_others"; round 1's mixed "neg.assistant.*" ->
    "assistant"; round 2's assistant categories), None for fan chat."""
    kind, _, rest = group.partition(".")
    category = rest.partition(".")[0]
    if kind in (*BY_DOMAIN, *DOMAIN_TWINS) or (kind == "neg2" and category in ASSISTANT_CATEGORIES):
        return category
    return "assistant" if kind == "neg" and category == "assistant" else None


def unseen_domains(examples: Sequence[IntentExample]) -> frozenset[str]:
    """The assistant-request domains of the test split that no train or validation message
    comes from: the model's weights, calibration and thresholds never saw them."""
    seen = {assistant_domain(ex.group) for ex in examples if ex.split != "test"}
    tested = {assistant_domain(ex.group) for ex in examples if ex.split == "test"}
    return frozenset(domain for domain in tested - seen if domain is not None)


def assign_splits(groups: Sequence[str], bank: str) -> dict[str, Split]:
    """The groups of one bank shuffled with the seed: the first 22% test, 15% validation, the
    rest train. A bank of one or two groups goes whole to the split its name hashes to."""
    order = sorted(groups)
    random.Random(_stable(SEED, bank)).shuffle(order)  # noqa: S311 - data, not a secret
    if len(order) <= 2:
        split = ("train", "train", "validation", "test")[_stable(SEED, bank, "whole") % 4]
        return dict.fromkeys(order, split)  # type: ignore[arg-type]
    test = max(1, round(len(order) * SHARES["test"]))
    validation = max(1, round(len(order) * SHARES["validation"]))
    splits: dict[str, Split] = {}
    for index, group in enumerate(order):
        splits[group] = (
            "test" if index < test else "validation" if index < test + validation else "train"
        )
    return splits


def _bank(group: str) -> str:
    return group.rsplit(".", 1)[0]


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9$€£]+", " ", text.lower()).strip()


def words(text: str) -> frozenset[str]:
    return frozenset(normalised(text).split())


def _renderings(template: Template, count: int) -> Iterator[str]:
    """Up to `count` distinct texts of one template."""
    rng = random.Random(_stable(SEED, template.group))  # noqa: S311 - data, not a secret
    seen: set[str] = set()
    for _ in range(count * 4):
        text = template.style(render(template.text, SLOTS, rng), rng)
        if normalised(text) and normalised(text) not in seen:
            seen.add(normalised(text))
            yield text
            if len(seen) == count:
                return


Reference = tuple[frozenset[str], Split]  # a kept message's words and split


@dataclass(frozen=True)
class Draft:
    text: str
    labels: tuple[str, ...]
    split: Split
    source: Source
    group: str
    round: int = 1


def compose(
    split: Split, singles: Sequence[Draft], fillers: Sequence[str], round_: int = 1
) -> list[Draft]:
    """Two-signal messages and long rambling ones, made of one split's single-signal messages
    of one round (and the split's asides), so a composed message never mixes templates of two
    splits, and a new round leaves the earlier rounds' messages as they were."""
    parts = ("compose", split) if round_ == 1 else ("compose", split, round_)
    rng = random.Random(_stable(SEED, *parts))  # noqa: S311 - data, not a secret
    combo = "combo" if round_ == 1 else f"combo{round_}"
    joins = (". ", ", also ", " and ", " btw ", "\n", " lol. ", "... ", " anyway ")
    composed = []
    for _ in range(round(len(singles) * COMBOS)):
        first, second = rng.sample(list(singles), 2)
        if set(first.labels) & set(second.labels):
            continue
        text = first.text.rstrip(".") + rng.choice(joins) + second.text
        labels = _canonical(first.labels + second.labels)
        composed.append(Draft(text, labels, split, "generated", f"{combo}.{split}", round_))
    for _ in range(round(len(singles) * RAMBLES)):
        core = rng.choice(list(singles))
        before = rng.sample(list(fillers), rng.choice((1, 2)))
        after = rng.choice(("", "", rng.choice([f for f in fillers if f not in before])))
        text = ". ".join([*before, core.text.rstrip(".")]) + (f". {after}" if after else "")
        composed.append(Draft(text, core.labels, split, "generated", core.group, round_))
    return composed


def drafts() -> list[Draft]:
    """Every generated message, before deduplication."""
    all_templates = templates()
    banks: dict[str, list[str]] = {}
    for template in all_templates:
        banks.setdefault(_bank(template.group), []).append(template.group)
    split_of: dict[str, Split] = {}
    for bank, groups in sorted(banks.items()):
        if bank.split(".", 1)[0] not in BY_DOMAIN:
            split_of |= assign_splits(groups, bank)
    for kind in BY_DOMAIN:
        domains = {bank: groups for bank, groups in banks.items() if bank.split(".")[0] == kind}
        for bank, split in assign_splits(sorted(domains), kind).items():
            split_of |= dict.fromkeys(domains[bank], split)
    filler_split = assign_splits([f"filler.{i:02d}" for i in range(len(FILLERS))], "filler")
    made: list[Draft] = []
    for template in all_templates:
        kind = template.group.split(".", 1)[0]  # sig, neg, talk; sig2, neg2; sig3, neg3, ask3; ...
        made += [
            Draft(
                text,
                template.labels,
                split_of[template.group],
                template.source,
                template.group,
                template.round,
            )
            for text in _renderings(template, PER_TEMPLATE[kind])
        ]
    for round_ in sorted({template.round for template in all_templates}):
        for split in SPLITS:
            singles = [
                d
                for d in made
                if d.round == round_
                and d.split == split
                and len(d.labels) == 1
                and NONE not in d.labels
            ]
            fillers = [f for i, f in enumerate(FILLERS) if filler_split[f"filler.{i:02d}"] == split]
            made += compose(split, singles, fillers, round_)
    return made


def handwritten(path: Path = HANDWRITTEN) -> list[IntentExample]:
    """The hand-written messages: test stays test; one train message in five (by a hash of its
    id) becomes validation, the rest stays train."""
    kept = []
    for example in load_dataset(path):
        split: Split = example.split
        if split == "train" and _stable(SEED, example.id) % HANDWRITTEN_VALIDATION == 0:
            split = "validation"
        kept.append(example.model_copy(update={"split": split, "group": f"hand.{example.id}"}))
    return kept


def build(path: Path = HANDWRITTEN) -> list[IntentExample]:
    """The whole dataset: hand-written first, then the generated messages round by round that
    are neither a repeat of an earlier one nor a near-copy of a message of another split: of a
    hand-written one in round 1, of any message in later rounds (written after seeing round 1)."""
    hand = handwritten(path)
    seen = {normalised(example.text) for example in hand}
    references = [(words(example.text), example.split) for example in hand]
    examples = list(hand)
    made = drafts()
    for round_ in sorted({draft.round for draft in made}):
        if round_ > 1:
            references = [(words(example.text), example.split) for example in examples]
        ordered = sorted(
            (draft for draft in made if draft.round == round_),
            key=lambda d: SPLITS.index(d.split),
        )
        for draft in ordered:
            key, bag = normalised(draft.text), words(draft.text)
            if key in seen or _near_copy(bag, draft.split, references):
                continue
            seen.add(key)
            if round_ > 1:
                references.append((bag, draft.split))
            examples.append(
                IntentExample(
                    id=f"gen-{len(examples) - len(hand) + 1:04d}",
                    text=draft.text,
                    labels=draft.labels,
                    split=draft.split,
                    source=draft.source,
                    group=draft.group,
                )
            )
    return examples


def _near_copy(bag: frozenset[str], split: Split, references: Sequence[Reference]) -> bool:
    return any(
        other_split != split and len(bag & other) / len(bag | other) >= NEAR_DUPLICATE
        for other, other_split in references
    )


def dumps(examples: Sequence[IntentExample]) -> str:
    """The JSONL text: one object per line, keys in field order, UTF-8 as is."""
    return "".join(
        json.dumps(example.model_dump(mode="json"), ensure_ascii=False) + "\n"
        for example in examples
    )


def write(out: Path = DEFAULT_DATASET, source: Path = HANDWRITTEN) -> list[IntentExample]:
    examples = build(source)
    out.write_text(dumps(examples), encoding="utf-8")
    return examples
