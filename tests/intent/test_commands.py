"""`fanagent classify` and `fanagent intent train|evaluate`, through the parser they register."""

import argparse
import json
from pathlib import Path

import pytest

from agent.intent.commands import register
from agent.intent.corpus.negatives_bank_3 import ASSISTANT_DOMAINS_3
from agent.intent.dataset import IntentExample, dataset_sha256
from agent.intent.encoder import ADAPTERS, Adapters, IntentEmbedder
from agent.intent.fast import FastModel
from agent.intent.signals import LABELS
from auth.operator import run_command


def fanagent(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="fanagent")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return run_command(args.handler, args)


def test_classify_prints_the_signals(
    intent_embedder: IntentEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fanagent("classify", "how much for a custom vid?") == 0
    lines = capsys.readouterr().out.splitlines()
    assert {line.split()[1] for line in lines if line.startswith("*")} == {
        "wants_custom",
        "price_question",
    }
    assert "decided by fast:minilm-ngram-logreg-v2" in lines[-1]


def test_classify_json(intent_embedder: IntentEmbedder, capsys: pytest.CaptureFixture[str]) -> None:
    assert fanagent("classify", "--json", "are you a bot") == 0
    output = json.loads(capsys.readouterr().out)
    assert list(output["detected"]) == ["trust_intent"]
    assert len(output["confidences"]) == 15
    assert output["classifier"] == "fast:minilm-ngram-logreg-v2"
    assert output["llm_error"] is None


def test_classify_with_a_missing_artifact_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FANAGENT_INTENT_MODEL_PATH", str(tmp_path / "missing.npz"))
    assert fanagent("classify", "hi") == 1
    assert "missing.npz" in capsys.readouterr().err


@pytest.fixture
def small_dataset(examples: list[IntentExample], tmp_path: Path) -> Path:
    """The test split and six train and six validation messages per label: a model trains on it
    in seconds (test_fast.py checks retraining on the whole dataset)."""
    small = {ex.id: ex for ex in examples if ex.split == "test"}
    for label in LABELS:
        for split in ("train", "validation"):
            rows = [ex for ex in examples if ex.split == split and label in ex.labels]
            small |= {ex.id: ex for ex in rows[:6]}
    dataset = tmp_path / "intents.jsonl"
    dataset.write_text("".join(ex.model_dump_json() + "\n" for ex in small.values()), "utf-8")
    return dataset


def test_train_keeping_the_encoder_refits_the_classifier_over_it(
    intent_embedder: IntentEmbedder,
    small_dataset: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "model.npz"
    args = ("intent", "train", "--keep-encoder", "--dataset", str(small_dataset), "--out", str(out))
    assert fanagent(*args) == 0
    assert str(out) in capsys.readouterr().out
    trained = FastModel.load(out)
    assert trained.dataset_sha256 == dataset_sha256(small_dataset)
    assert trained.embedder == intent_embedder.name
    assert trained.weights.shape == (
        len(LABELS),
        intent_embedder.dimensions + trained.vocabulary.size,
    )
    assert trained.vocabulary.size > 0


def test_train_tunes_the_encoder_then_fits_the_classifier_over_it(
    intent_embedder: IntentEmbedder, small_dataset: Path, tmp_path: Path
) -> None:
    out, adapters_out = tmp_path / "model.npz", tmp_path / "adapters.npz"
    shipped = ADAPTERS.read_bytes()
    args = ("--dataset", str(small_dataset), "--out", str(out), "--adapters-out", str(adapters_out))
    assert fanagent("intent", "train", *args) == 0
    assert ADAPTERS.read_bytes() == shipped  # written where asked, not over the shipped one
    adapters = Adapters.load(adapters_out)
    assert adapters.dataset_sha256 == dataset_sha256(small_dataset)
    trained = FastModel.load(out)
    assert trained.embedder == f"local:all-MiniLM-L6-v2-intent-{adapters.sha256[:12]}-int8"
    assert trained.embedder != intent_embedder.name


def test_evaluate_reports_f1_calibration_and_latency(
    intent_embedder: IntentEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fanagent("intent", "evaluate", "--json", "--latency-messages", "5") == 0
    report = json.loads(capsys.readouterr().out)
    evaluation, latency = report["evaluation"], report["latency"]
    assert evaluation["examples"] >= 400 and latency["messages"] == 5
    assert evaluation["hard_negatives"] > 0 and 0 <= evaluation["false_signal_rate"] < 0.2
    assert [s["label"] for s in evaluation["per_label"]][-1] == "none"
    assert 0 < evaluation["macro_f1_signals"] <= 1 and 0 <= evaluation["ece"] < 1
    assert 0 < latency["p50_ms_excluding_embedding"] < latency["p50_ms"]
    # Round 1 alone (the split frozen before rounds 2 and 3) and the leave-domain-out figure.
    assert report["round_1"]["examples"] == 1065
    assert evaluation["unseen_domain_requests"] >= 150
    assert evaluation["assistant_requests"] > evaluation["unseen_domain_requests"]
    assert {d["domain"] for d in evaluation["unseen_domains"]} <= set(ASSISTANT_DOMAINS_3)


def test_evaluate_refuses_a_model_of_another_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = tmp_path / "intents.jsonl"
    edited.write_text('{"id": "x", "text": "hi", "labels": ["none"], "split": "test"}\n')
    assert fanagent("intent", "evaluate", "--dataset", str(edited)) == 1
    assert "intent train" in capsys.readouterr().err
