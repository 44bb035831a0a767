"""Tools: were the expected tools offered (the intent's toolset, every case), which did the
model call (precision, recall, calling nothing when nothing is due) and with what arguments."""

from typing import Any

from evals.cases import ExpectedCall, ToolCase
from evals.metrics import Metric, rate
from evals.observe import CaseRun
from evals.world import World

MEDIA_REF = "$media:"


def expected_value(value: Any, world: World) -> Any:
    if isinstance(value, str) and value.startswith(MEDIA_REF):
        return str(world.media[value.removeprefix(MEDIA_REF)])
    return value


def same_value(expected: Any, got: Any) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return bool(expected == got)
    if isinstance(expected, int | float):
        try:
            return abs(float(got) - float(expected)) < 0.01
        except (TypeError, ValueError):
            return False
    return str(got).strip().casefold() == str(expected).strip().casefold()


def argument_hits(expected: ExpectedCall, calls: list[dict[str, Any]], world: World) -> int:
    """How many of the expected arguments the best call of that tool got right."""
    best = 0
    for call in calls:
        if call["name"] != expected.name:
            continue
        args = call.get("arguments") or {}
        hits = sum(
            key in args and same_value(expected_value(value, world), args[key])
            for key, value in expected.args.items()
        )
        best = max(best, hits)
    return best


def score(case: ToolCase, world: World, run: CaseRun) -> dict[str, Any]:
    expected = {call.name for call in case.expect}
    offered = set(run.offered)
    scores: dict[str, Any] = {
        "expected": sorted(expected),
        "offered_expected": sorted(expected & offered),
    }
    if run.drafted:
        called = {call["name"] for call in run.tool_calls}
        scores["called"] = sorted(called)
        scores["true_positives"] = len(called & expected)
        scores["false_positives"] = len(called - expected - set(case.allow))
        scores["false_negatives"] = len(expected - called)
        scores["argument_total"] = sum(len(c.args) for c in case.expect if c.name in called)
        scores["argument_hits"] = sum(
            argument_hits(c, run.tool_calls, world) for c in case.expect if c.name in called
        )
    return scores


def aggregate(runs: list[CaseRun]) -> dict[str, Metric]:
    scored = [r.scores["tools"] for r in runs if r.ok]
    drafted = [r.scores["tools"] for r in runs if r.drafted]
    expected = sum(len(s["expected"]) for s in scored)
    tp = sum(s["true_positives"] for s in drafted)
    fp = sum(s["false_positives"] for s in drafted)
    fn = sum(s["false_negatives"] for s in drafted)
    nothing_due = [s for s in drafted if not s["expected"]]
    return {
        "tools.offer_recall": rate(sum(len(s["offered_expected"]) for s in scored), expected),
        "tools.precision": rate(tp, tp + fp),
        "tools.recall": rate(tp, tp + fn),
        "tools.no_call_accuracy": rate(sum(not s["called"] for s in nothing_due), len(nothing_due)),
        "tools.argument_accuracy": rate(
            sum(s["argument_hits"] for s in drafted), sum(s["argument_total"] for s in drafted)
        ),
    }
