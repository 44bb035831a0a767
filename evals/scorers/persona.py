"""Personas: the model's drafts against the persona's checkable rules (personas.check), before
and after the agent's repair turn and mechanical fixes."""

from collections import Counter
from typing import Any

from evals.cases import PersonaCase
from evals.metrics import Metric, rate
from evals.observe import CaseRun
from evals.world import World
from personas.check import Rule, check_draft
from personas.matching import find_term


def score(case: PersonaCase, world: World, run: CaseRun) -> dict[str, Any]:
    if not run.drafted:
        return {}
    persona = world.persona
    first = [v.rule.value for v in check_draft(run.first_draft, persona)]
    final = [v.rule.value for v in check_draft(run.draft, persona)]
    scores: dict[str, Any] = {"first_violations": first, "final_violations": final}
    if persona.vocabulary_use:
        scores["used_vocabulary"] = [t for t in persona.vocabulary_use if find_term(t, run.draft)]
    return scores


def aggregate(runs: list[CaseRun]) -> dict[str, Metric]:
    scored = [r.scores["personas"] for r in runs if r.drafted]
    n = len(scored)
    metrics = {
        "personas.first_draft_pass_rate": rate(sum(not s["first_violations"] for s in scored), n),
        "personas.final_pass_rate": rate(sum(not s["final_violations"] for s in scored), n),
    }
    with_vocabulary = [s for s in scored if "used_vocabulary" in s]
    metrics["personas.vocabulary_use_rate"] = rate(
        sum(bool(s["used_vocabulary"]) for s in with_vocabulary), len(with_vocabulary)
    )
    broken = Counter(rule for s in scored for rule in s["first_violations"])
    for rule in Rule:
        metrics[f"personas.violations.{rule.value}"] = Metric(broken[rule.value], n)
    return metrics
