"""The draft guard's verdict on every model draft (prompts/guard.py, the same check the agent
makes): how many of the model's candidates could not be sent, and why. Figures over the cases
the model drafted; the stored draft is empty for a refused one, so the other draft-level
scorers judge what a chatter would see."""

from evals.metrics import Metric
from evals.observe import CaseRun
from prompts.guard import Refusal

COUNTED = (Refusal.PROMPT_ECHO, Refusal.MARKUP, Refusal.LOOP, Refusal.AI_DISCLOSURE)


def aggregate(runs: list[CaseRun]) -> dict[str, Metric]:
    drafted = [r for r in runs if r.drafted]
    n = len(drafted)
    codes = [{f["code"] for f in r.refusals} for r in drafted]
    figures = {
        "guard.refused": Metric(sum(bool(c) for c in codes), n),
        "guard.sendable_rate": Metric(
            sum(r.outcome != "no_usable_draft" for r in drafted) / n if n else 0.0, n
        ),
    }
    for code in COUNTED:
        figures[f"guard.{code.value}"] = Metric(sum(code.value in c for c in codes), n)
    return figures
