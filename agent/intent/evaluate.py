"""How good and how fast the fast classifier is on a split (the held-out test split by default).

The figures are those of the policy that ships without an LLM: unsure signals dropped
(FastModel.abstain). `macro_f1_decided` is the same model without abstaining.

The false-signal rate on assistant requests is given twice: on every assistant request of the
split, and leave-domain-out, on the requests of the domains no train or validation message comes
from (build.unseen_domains; round 3's assistant domains are split whole), the estimate for
assistant text of a kind the model was never shown. `leave_domain_out` is the same estimate
cross-validated over every round-3 domain, not only the test split's few (a refit per fold)."""

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.intent.corpus.build import BY_DOMAIN, DOMAIN_TWINS, assistant_domain
from agent.intent.dataset import IntentExample
from agent.intent.fast import FastClassifier, FastModel, Matrix
from agent.intent.metrics import Flags, LabelScore, expected_calibration_error, f1, per_label
from agent.intent.scores import Scores
from agent.intent.signals import LABELS, NONE, SIGNALS
from agent.intent.train import fit, label_matrix


@dataclass(frozen=True)
class Evaluation:
    examples: int
    per_label: tuple[LabelScore, ...]  # LABELS order, "none" last
    macro_f1_signals: float  # the 14 signals
    macro_f1: float  # the 14 signals and "none"
    micro_f1: float  # all (message, label) cells pooled
    macro_f1_decided: float  # the 14 signals, every signal at its threshold (no abstaining)
    macro_f1_handwritten: float  # the 14 signals, hand-written messages only
    handwritten: int
    false_signal_rate: float  # hard negatives given at least one signal
    hard_negatives: int
    small_talk_false_signal_rate: float  # fan small talk ("none", not a hard negative) given one
    small_talk: int
    ece: float  # over every (message, signal) cell
    top_ece: float  # each message's most confident signal: is it right?
    unsure_rate: float  # share of messages the fast path is unsure of
    assistant_requests: int  # hard negatives typed to an assistant (every domain)
    assistant_false_signal_rate: float
    unseen_domain_requests: int  # of them, those of domains the model never trained on
    unseen_domain_false_signal_rate: float  # the leave-domain-out estimate
    unseen_domains: tuple["DomainRate", ...]  # per unseen domain, by name


@dataclass(frozen=True)
class DomainRate:
    domain: str
    requests: int
    false_signal_rate: float


@dataclass(frozen=True)
class Latency:
    messages: int
    p50_ms: float
    p95_ms: float
    p50_ms_excluding_embedding: float
    p95_ms_excluding_embedding: float


def _flags(results: Sequence[Scores]) -> Flags:
    return np.array([[label in r.detected for label in LABELS] for r in results], dtype=bool)


def _signalled(predicted: Flags) -> Flags:
    """Per message: whether any buying signal (not "none") was detected."""
    signalled: Flags = np.any(predicted[:, : len(SIGNALS)], axis=1)
    return signalled


def _macro_signals(truth: Flags, predicted: Flags) -> float:
    return float(np.mean([s.f1 for s in per_label(LABELS, truth, predicted) if s.label != NONE]))


def _rate(flags: Flags) -> float:
    return float(flags.mean()) if flags.size else 0.0


def evaluate(
    model: FastModel,
    examples: Sequence[IntentExample],
    embeddings: Matrix,
    margin: float,
    unseen: frozenset[str] = frozenset(),
) -> Evaluation:
    """Scores on `examples` (a split), with `embeddings` aligned to them; `unseen`: the
    assistant-request domains the model never trained on (build.unseen_domains)."""
    truth = label_matrix(examples).astype(bool)
    decided = [model.scores(ex.text, row) for ex, row in zip(examples, embeddings, strict=True)]
    predicted = _flags([model.abstain(scores, margin) for scores in decided])
    scores = per_label(LABELS, truth, predicted)
    confidences = model.confidences([ex.text for ex in examples], embeddings)[:, : len(SIGNALS)]
    signal_truth = truth[:, : len(SIGNALS)]
    top = np.argmax(confidences, axis=1)
    rows = np.arange(len(examples))
    hand = np.array([ex.source == "handwritten" for ex in examples])
    negative = np.array([ex.source == "hard_negative" for ex in examples])
    talk = np.array([ex.labels == (NONE,) and ex.source != "hard_negative" for ex in examples])
    flagged = _signalled(predicted)
    domains = [
        assistant_domain(ex.group) if ex.source == "hard_negative" else None for ex in examples
    ]
    asked = np.array([domain is not None for domain in domains], dtype=bool)
    new = np.array([domain in unseen for domain in domains], dtype=bool)
    per_domain = tuple(
        DomainRate(name, int(rows_of.sum()), _rate(flagged[rows_of]))
        for name in sorted(unseen)
        if (rows_of := np.array([domain == name for domain in domains], dtype=bool)).any()
    )
    return Evaluation(
        examples=len(examples),
        per_label=tuple(scores),
        macro_f1_signals=float(np.mean([s.f1 for s in scores if s.label != NONE])),
        macro_f1=float(np.mean([s.f1 for s in scores])),
        micro_f1=f1(truth, predicted),
        macro_f1_decided=_macro_signals(truth, _flags(decided)),
        macro_f1_handwritten=_macro_signals(truth[hand], predicted[hand]) if hand.any() else 0.0,
        handwritten=int(hand.sum()),
        false_signal_rate=_rate(flagged[negative]),
        hard_negatives=int(negative.sum()),
        small_talk_false_signal_rate=_rate(flagged[talk]),
        small_talk=int(talk.sum()),
        ece=expected_calibration_error(confidences, signal_truth),
        top_ece=expected_calibration_error(confidences[rows, top], signal_truth[rows, top]),
        unsure_rate=float(np.mean([model.unsure(r, margin) for r in decided])),
        assistant_requests=int(asked.sum()),
        assistant_false_signal_rate=_rate(flagged[asked]),
        unseen_domain_requests=int(new.sum()),
        unseen_domain_false_signal_rate=_rate(flagged[new]),
        unseen_domains=per_domain,
    )


def measure_latency(classifier: FastClassifier, texts: Sequence[str]) -> Latency:
    """Per-message wall time of the fast path, one message at a time (as the agent calls it)."""
    classifier.scores(texts[0])  # warm-up: first-call allocations are not per-message cost
    total, scoring = [], []
    for text in texts:
        start = time.perf_counter()
        vector = classifier.embed(text)
        embedded = time.perf_counter()
        classifier.scores(text, vector)
        done = time.perf_counter()
        total.append((done - start) * 1000)
        scoring.append((done - embedded) * 1000)
    return Latency(
        messages=len(texts),
        p50_ms=float(np.percentile(total, 50)),
        p95_ms=float(np.percentile(total, 95)),
        p50_ms_excluding_embedding=float(np.percentile(scoring, 50)),
        p95_ms_excluding_embedding=float(np.percentile(scoring, 95)),
    )


def leave_domain_out(
    examples: Sequence[IntentExample], embeddings: Matrix, margin: float, folds: int = 5
) -> tuple[DomainRate, ...]:
    """The false-signal rate on every assistant domain that is split whole (build.BY_DOMAIN), each
    measured by a model fitted without it: the domains, sorted, are dealt into `folds` folds; per
    fold, the whole dataset but that fold's domains trains (train and validation splits, as
    `fit` does) and the fold's messages of every split are scored. The shipped model is not
    involved; `embeddings` are aligned with `examples` (the whole dataset). The requests of the
    same domains split by template (build.DOMAIN_TWINS: round 4's) train only in the folds that
    do not hold their domain out, and are not scored."""
    domain_of = [
        assistant_domain(ex.group) if ex.group.split(".", 1)[0] in BY_DOMAIN else None
        for ex in examples
    ]
    twin_of = [
        assistant_domain(ex.group) if ex.group.split(".", 1)[0] in DOMAIN_TWINS else None
        for ex in examples
    ]
    domains = sorted({domain for domain in domain_of if domain is not None})
    rates: list[DomainRate] = []
    for fold in range(folds):
        held = set(domains[fold::folds])
        if not held:
            continue
        keep = [
            i
            for i, (domain, twin) in enumerate(zip(domain_of, twin_of, strict=True))
            if domain not in held and twin not in held
        ]
        model = fit(
            [examples[i] for i in keep], embeddings[keep], embedder="folds", dataset_hash="folds"
        )
        for name in sorted(held):
            rows = [i for i, domain in enumerate(domain_of) if domain == name]
            predicted = _flags(
                [model.abstain(model.scores(examples[i].text, embeddings[i]), margin) for i in rows]
            )
            rates.append(DomainRate(name, len(rows), _rate(_signalled(predicted))))
    return tuple(sorted(rates, key=lambda rate: rate.domain))


def pooled(rates: Sequence[DomainRate]) -> tuple[int, float]:
    """All the domains' requests and their false-signal rate, pooled."""
    requests = sum(rate.requests for rate in rates)
    flagged = sum(rate.requests * rate.false_signal_rate for rate in rates)
    return requests, (flagged / requests if requests else 0.0)
