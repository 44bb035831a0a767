"""CLI: `fanagent classify TEXT`, `fanagent intent dataset|train|evaluate`."""

import argparse
import asyncio
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from agent.intent.classify import IntentResult, fast_classifier, from_settings
from agent.intent.corpus.build import HANDWRITTEN, unseen_domains, write
from agent.intent.dataset import (
    DEFAULT_DATASET,
    dataset_sha256,
    load_dataset,
    of_split,
    round_of,
)
from agent.intent.encoder import Adapters, IntentEmbedder, tune
from agent.intent.evaluate import (
    DomainRate,
    Evaluation,
    Latency,
    evaluate,
    leave_domain_out,
    measure_latency,
    pooled,
)
from agent.intent.settings import IntentSettings, Mode
from agent.intent.train import train
from agent.llm.factory import build_chat_model
from auth.operator import CommandFailed


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    classify = subparsers.add_parser("classify", help="the buying-intent signals of a fan message")
    classify.add_argument("text", help="the fan's message")
    classify.add_argument(
        "--mode",
        choices=[mode.value for mode in Mode],
        help="fast: the local classifier only; auto: the LLM when it is unsure; llm: always the "
        "LLM (FANAGENT_LLM_* picks it). Default: FANAGENT_INTENT_MODE, else fast",
    )
    classify.add_argument("--json", action="store_true", help="print JSON")
    classify.set_defaults(handler=classify_text)

    intent = subparsers.add_parser(
        "intent", help="the fast intent classifier: dataset, train, evaluate"
    )
    actions = intent.add_subparsers(required=True, metavar="ACTION")
    dataset_parser = actions.add_parser(
        "dataset", help="rebuild the labelled set from the hand-written messages and the banks"
    )
    dataset_parser.add_argument("--out", type=Path, default=DEFAULT_DATASET)
    dataset_parser.set_defaults(handler=build_dataset)
    train_parser = actions.add_parser("train", help="rebuild the model artifact from the dataset")
    train_parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    train_parser.add_argument("--out", type=Path, help="where to write (default: settings)")
    train_parser.add_argument(
        "--adapters-out",
        type=Path,
        help="where to write the encoder's adapters (default: settings)",
    )
    train_parser.add_argument(
        "--keep-encoder",
        action="store_true",
        help="refit only the classifier, over the encoder of the configured adapters (seconds)",
    )
    train_parser.set_defaults(handler=train_model)
    evaluate_parser = actions.add_parser(
        "evaluate", help="F1 per signal, calibration and latency on the held-out test split"
    )
    evaluate_parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    evaluate_parser.add_argument(
        "--split", choices=["test", "validation"], default="test", help="default: test"
    )
    evaluate_parser.add_argument(
        "--latency-messages", type=int, help="time only the first N test messages (default: all)"
    )
    evaluate_parser.add_argument(
        "--domain-folds",
        type=int,
        default=0,
        metavar="N",
        help="also cross-validate the false-signal rate on round 3's assistant domains: N folds "
        "of domains, a model refitted without each (minutes; default: off)",
    )
    evaluate_parser.add_argument("--json", action="store_true", help="print JSON")
    evaluate_parser.set_defaults(handler=evaluate_model)


def classify_text(args: argparse.Namespace) -> int:
    try:
        settings = IntentSettings()
        if args.mode:
            settings = settings.model_copy(update={"mode": Mode(args.mode)})
        chat_model = build_chat_model() if settings.mode is not Mode.FAST else None
        classifier = from_settings(settings, chat_model)
    except (OSError, ValueError, RuntimeError) as error:  # the settings, model or artifact
        raise CommandFailed(str(error)) from error
    result = asyncio.run(classifier.classify(args.text))
    print(json.dumps(result_json(result), indent=2) if args.json else result_text(result))
    return 0


def result_json(result: IntentResult) -> dict[str, object]:
    return {
        "detected": result.detected,
        "confidences": result.scores.confidences,
        "classifier": result.classifier,
        "fast_unsure": result.fast_unsure,
        "latency_ms": round(result.latency_ms, 3),
        "llm_error": result.llm_error,
    }


def result_text(result: IntentResult) -> str:
    ranked = sorted(result.scores.confidences.items(), key=lambda item: -item[1])
    lines = [
        f"{'*' if label in result.detected else ' '} {label:<18} {confidence:.2f}"
        for label, confidence in ranked
    ]
    unsure = "yes" if result.fast_unsure else "no"
    lines.append(
        f"decided by {result.classifier} in {result.latency_ms:.1f} ms (* = detected; "
        f"fast path unsure: {unsure})"
    )
    if result.llm_error:
        lines.append(f"LLM not used: {result.llm_error}")
    return "\n".join(lines)


def build_dataset(args: argparse.Namespace) -> int:
    examples = write(args.out, HANDWRITTEN)
    print(f"wrote {args.out} ({len(examples)} messages, sha256 {dataset_sha256(args.out)[:12]})")
    return 0


def train_model(args: argparse.Namespace) -> int:
    settings = IntentSettings()
    out: Path = args.out or settings.model_path
    adapters_out: Path = args.adapters_out or settings.adapters_path
    if args.keep_encoder:
        adapters = Adapters.load(settings.adapters_path)
    else:
        train_split = of_split(load_dataset(args.dataset), "train")
        print(f"tuning the intent encoder on {len(train_split)} messages (minutes)", flush=True)
        adapters = tune(train_split, dataset_sha256(args.dataset))
        adapters.save(adapters_out)
        print(f"wrote {adapters_out} (sha256 {adapters.sha256[:12]})")
    model = train(IntentEmbedder(adapters), args.dataset)
    model.save(out)
    print(f"wrote {out} ({model.version}, dataset sha256 {model.dataset_sha256[:12]})")
    return 0


def evaluate_model(args: argparse.Namespace) -> int:
    settings = IntentSettings()
    classifier = fast_classifier(settings)
    model, embedder = classifier.model, classifier.embedder
    if model.dataset_sha256 != dataset_sha256(args.dataset):
        raise CommandFailed(
            "the model was trained on another version of the dataset; run `fanagent intent train`"
        )
    everything = load_dataset(args.dataset)
    examples = of_split(everything, args.split)
    unseen = unseen_domains(everything) if args.split == "test" else frozenset()
    embeddings = np.array(embedder.embed([example.text for example in examples]), dtype=np.float64)
    report = evaluate(model, examples, embeddings, settings.unsure_margin, unseen)
    # Round 1's messages alone: the split as it was frozen before later rounds were added.
    first = [i for i, example in enumerate(examples) if round_of(example.group) == 1]
    round_1 = evaluate(
        model, [examples[i] for i in first], embeddings[first], settings.unsure_margin
    )
    timed = [example.text for example in examples][: args.latency_messages]
    latency = measure_latency(classifier, timed)
    folds: tuple[DomainRate, ...] = ()
    if args.domain_folds > 0:
        vectors = np.array(embedder.embed([ex.text for ex in everything]), dtype=np.float64)
        folds = leave_domain_out(everything, vectors, settings.unsure_margin, args.domain_folds)
    if args.json:
        figures: dict[str, object] = {"evaluation": asdict(report), "round_1": asdict(round_1)}
        if folds:
            figures["domain_folds"] = [asdict(rate) for rate in folds]
        print(json.dumps(figures | {"latency": asdict(latency)}, indent=2))
    else:
        print(evaluation_text(report, latency, round_1))
        if folds:
            print(folds_text(folds, args.domain_folds))
    return 0


def folds_text(rates: tuple[DomainRate, ...], folds: int) -> str:
    requests, rate = pooled(rates)
    per_domain = ", ".join(f"{r.domain} {r.false_signal_rate:.0%}" for r in rates)
    return (
        f"leave-domain-out over all {len(rates)} round-3 assistant domains ({folds} folds, a model "
        f"refitted without each fold): false signals on {rate:.1%} of {requests} requests "
        f"({per_domain})"
    )


def evaluation_text(report: Evaluation, latency: Latency, round_1: Evaluation) -> str:
    lines = [
        f"{'label':<18} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"
        f" {'round-1 f1':>10} {'support':>8}"
    ]
    lines += [
        f"{s.label:<18} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>8}"
        f" {first.f1:>10.3f} {first.support:>8}"
        for s, first in zip(report.per_label, round_1.per_label, strict=True)
    ]
    unseen = ", ".join(
        f"{d.domain} {d.false_signal_rate:.1%} of {d.requests}" for d in report.unseen_domains
    )
    lines += [
        f"messages {report.examples}",
        f"macro-F1 (14 signals) {report.macro_f1_signals:.3f}; with none {report.macro_f1:.3f}; "
        f"micro-F1 {report.micro_f1:.3f}",
        f"macro-F1 without abstaining {report.macro_f1_decided:.3f}; on the "
        f"{report.handwritten} hand-written messages {report.macro_f1_handwritten:.3f}",
        f"round 1 alone ({round_1.examples} messages, the split frozen before later rounds): "
        f"macro-F1 (14 signals) {round_1.macro_f1_signals:.3f}; with none {round_1.macro_f1:.3f}",
        f"false signals on the {report.hard_negatives} hard negatives: "
        f"{report.false_signal_rate:.1%} (round 1's {round_1.hard_negatives}: "
        f"{round_1.false_signal_rate:.1%}); on the {report.small_talk} small-talk messages: "
        f"{report.small_talk_false_signal_rate:.1%}",
        f"false signals on the {report.assistant_requests} assistant requests: "
        f"{report.assistant_false_signal_rate:.1%}; leave-domain-out, on the "
        f"{report.unseen_domain_requests} of domains never trained on: "
        f"{report.unseen_domain_false_signal_rate:.1%} ({unseen or 'no such domain'})",
        f"ECE (message x signal) {report.ece:.4f}; ECE of the top signal {report.top_ece:.4f}",
        f"fast path unsure on {report.unsure_rate:.1%} of messages (their unsure signals dropped)",
        f"latency per message, embedding included: p50 {latency.p50_ms:.2f} ms, "
        f"p95 {latency.p95_ms:.2f} ms; excluded: p50 {latency.p50_ms_excluding_embedding:.3f} ms, "
        f"p95 {latency.p95_ms_excluding_embedding:.3f} ms",
    ]
    return "\n".join(lines)
