"""Tokens, model calls, latency and cost per drafted case of a suite."""

import numpy as np

from evals.metrics import Metric
from evals.observe import CaseRun


def aggregate(suite: str, runs: list[CaseRun], price: tuple[float, float]) -> dict[str, Metric]:
    """`price`: USD per million prompt and completion tokens."""
    drafted = [r for r in runs if r.drafted]
    n = len(drafted)
    if not n:
        return {}
    prompt = [r.usage.get("prompt_tokens", 0) for r in drafted]
    completion = [r.usage.get("completion_tokens", 0) for r in drafted]
    calls = [r.usage.get("model_calls", 0) for r in drafted]
    latency = [r.latency_ms for r in drafted]
    cost = [(p * price[0] + c * price[1]) / 1e6 for p, c in zip(prompt, completion, strict=True)]
    return {
        f"{suite}.prompt_tokens_per_case": Metric(float(np.mean(prompt)), n),
        f"{suite}.completion_tokens_per_case": Metric(float(np.mean(completion)), n),
        f"{suite}.model_calls_per_case": Metric(float(np.mean(calls)), n),
        f"{suite}.latency_p50_ms": Metric(float(np.percentile(latency, 50)), n),
        f"{suite}.latency_p95_ms": Metric(float(np.percentile(latency, 95)), n),
        f"{suite}.cost_per_case_usd": Metric(float(np.mean(cost)), n),
    }
