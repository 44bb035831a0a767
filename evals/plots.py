"""The report's charts as PNG files (matplotlib, no display needed)."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.metrics import Metric

# The rates that sum up each drafting suite, for the overview chart.
OVERVIEW = (
    ("memory.recall_at_1", "memory recall@1"),
    ("memory.recall_at_3", "memory recall@3"),
    ("memory.use_rate", "memory use in draft"),
    ("personas.first_draft_pass_rate", "persona pass (model)"),
    ("personas.final_pass_rate", "persona pass (final)"),
    ("tools.offer_recall", "tool offered"),
    ("tools.precision", "tool precision"),
    ("tools.recall", "tool recall"),
    ("tools.argument_accuracy", "tool arguments"),
    ("safety.prompt_pass_rate", "safety (prompt)"),
    ("safety.pass_rate", "safety (draft)"),
)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def intent_f1(per_label: Sequence[dict[str, Any]], path: Path) -> None:
    """Horizontal bars: F1 per label, with precision and recall as ticks."""
    plt = _pyplot()
    labels = [row["label"] for row in per_label][::-1]
    f1 = [row["f1"] for row in per_label][::-1]
    fig, ax = plt.subplots(figsize=(7, 5.5))
    bars = ax.barh(labels, f1, color="#4C72B0")
    for bar, row in zip(bars, per_label[::-1], strict=True):
        ax.text(
            bar.get_width() + 0.01,
            bar.get_y() + bar.get_height() / 2,
            f"{row['f1']:.2f} (n={row['support']})",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("F1 on the test split")
    ax.set_title("Intent classifier: F1 per signal")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def calibration(bins: Sequence[dict[str, float]], path: Path) -> None:
    """Reliability curve: mean confidence against the share of true cells, per bin."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    x = [b["confidence"] for b in bins]
    y = [b["accuracy"] for b in bins]
    sizes = [20 + 200 * b["count"] / max(c["count"] for c in bins) for b in bins]
    ax.plot(x, y, color="#DD8452", marker="o")
    ax.scatter(x, y, s=sizes, color="#DD8452", alpha=0.4, label="bins (area: cells)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("share that carries the signal")
    ax.set_title("Intent classifier: calibration (message x signal)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def overview(runs: dict[str, dict[str, Metric]], path: Path) -> bool:
    """Grouped bars of the suites' main rates, one group per run (a version under --compare).
    Returns False (and draws nothing) when no run has any of them."""
    shown = [
        (key, label)
        for key, label in OVERVIEW
        if any(key in metrics and metrics[key].n for metrics in runs.values())
    ]
    if not shown:
        return False
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(runs)
    for index, (name, metrics) in enumerate(runs.items()):
        values = [metrics[key].value if key in metrics else 0.0 for key, _ in shown]
        positions = [i + index * width for i in range(len(shown))]
        ax.bar(positions, values, width=width, label=name)
    ax.set_xticks([i + width * (len(runs) - 1) / 2 for i in range(len(shown))])
    ax.set_xticklabels([label for _, label in shown], rotation=35, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("rate")
    ax.set_title("Drafting suites")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
