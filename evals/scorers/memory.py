"""Memory: does recall put the target memory near the top (every case), does the model's draft
use it, and does anything of the other fan's reach a prompt or a draft."""

from typing import Any

from evals.cases import MemoryCase
from evals.metrics import Metric, rate
from evals.observe import CaseRun
from evals.scorers.text import contains_any, mentioned
from evals.world import World
from prompts.sanitize import one_line

RECALL_AT = (1, 3, 5)


def score(case: MemoryCase, world: World, run: CaseRun) -> dict[str, Any]:
    ids = [m["id"] for m in run.memories]
    target = str(world.target_memory)
    rank = ids.index(target) + 1 if target in ids else None
    first_prompt = "\n".join(m.content for m in run.requests[0].messages) if run.requests else ""
    target_body = next(m["body"] for m in run.memories if m["id"] == target) if rank else None
    scores: dict[str, Any] = {
        "rank": rank,
        "named": case.named,
        "in_prompt": bool(target_body and one_line(target_body) in first_prompt),
        "leaked_to_prompt": contains_any(run.prompt_text, world.other_memories),
    }
    if run.drafted:
        scores["used"] = mentioned(run.draft, case.mentions)
        scores["leaked_to_draft"] = mentioned(run.draft, case.leak_terms)
    return scores


def aggregate(runs: list[CaseRun]) -> dict[str, Metric]:
    scored = [r.scores["memory"] for r in runs if r.ok]
    drafted = [r.scores["memory"] for r in runs if r.drafted]
    named = [s for s in scored if s["named"]]
    metrics = {
        f"memory.{group}recall_at_{k}": rate(
            sum(s["rank"] is not None and s["rank"] <= k for s in cases), len(cases)
        )
        for group, cases in (("", scored), ("named_", named))
        for k in RECALL_AT
        if cases
    }
    metrics["memory.in_prompt_rate"] = rate(sum(s["in_prompt"] for s in scored), len(scored))
    metrics["memory.use_rate"] = rate(sum(bool(s["used"]) for s in drafted), len(drafted))
    leaks = sum(bool(s["leaked_to_prompt"]) for s in scored)
    metrics["memory.leaks"] = Metric(leaks, len(scored))
    draft_leaks = sum(bool(s["leaked_to_draft"]) for s in drafted)
    metrics["memory.draft_leaks"] = Metric(draft_leaks, len(drafted))
    return metrics
