"""`fanagent evals longmem generate|score`: rebuild the dataset; score it alone and print the
figures (the memory suite of `fanagent evals run` scores it too, into the report)."""

import argparse
from pathlib import Path
from typing import Any

from evals.database import run_database
from evals.longmem import generate
from evals.longmem.dataset import DATASET, load
from evals.longmem.plan import KINDS
from evals.longmem.score import RECALL_AT, score
from evals.metrics import Metric
from memory.embedders import LocalEmbedder
from memory.settings import MemorySettings

VARIANTS = ("turns", "turns_vector_only", "product", "product_vector_only")


def register(actions: "argparse._SubParsersAction[Any]") -> None:
    longmem = actions.add_parser("longmem", help="the long-conversation memory benchmark")
    steps = longmem.add_subparsers(required=True, metavar="STEP")
    build = steps.add_parser("generate", help="rebuild evals/datasets/longmem.jsonl (seeded)")
    build.add_argument("--out", type=Path, default=DATASET)
    build.set_defaults(handler=generate_command)
    scoring = steps.add_parser("score", help="score it in a throwaway database, print figures")
    scoring.add_argument("--dataset", type=Path, default=DATASET)
    scoring.add_argument("--conversations", type=int, help="only the first N conversations")
    scoring.set_defaults(handler=score_command)


def generate_command(args: argparse.Namespace) -> int:
    conversations = generate.write(args.out)
    turns = sum(len(c.turns) for c in conversations)
    questions = sum(len(c.questions) for c in conversations)
    print(f"{args.out}: {len(conversations)} conversations, {turns} turns, {questions} questions")
    return 0


def score_command(args: argparse.Namespace) -> int:
    conversations = load(args.dataset)[: args.conversations]
    with run_database() as target:
        metrics = score(target, conversations, LocalEmbedder(), MemorySettings())
    print(table(metrics))
    return 0


def table(metrics: dict[str, Metric]) -> str:
    """Recall@k per question kind and variant, then the extraction figures."""
    header = "| kind | n | " + " | ".join(f"{v} @{'/'.join(map(str, RECALL_AT))}" for v in VARIANTS)
    lines = [header + " |", "|---" * (2 + len(VARIANTS)) + "|"]
    for group in ("", *(f"_{kind}" for kind in KINDS)):
        n = metrics[f"memory.longmem_turns{group}_recall_at_1"].n
        cells = [
            "/".join(
                f"{metrics[f'memory.longmem_{v}{group}_recall_at_{k}'].value:.2f}"
                for k in RECALL_AT
            )
            for v in VARIANTS
        ]
        lines.append(f"| {group.lstrip('_') or 'all'} | {n} | " + " | ".join(cells) + " |")
    lines.append("")
    for name in sorted(metrics):
        if "multi_evidence" in name or "yield" in name or "distractor" in name:
            lines.append(f"{name}: {metrics[name].value:.3f} (n={metrics[name].n})")
    return "\n".join(lines)
