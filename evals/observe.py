"""What one drafting case did: the agent's outcome, every model request, what reached the
database, and (filled in by the suite's scorer) its per-case scores."""

from dataclasses import dataclass, field
from typing import Any, Literal

from evals.models import Request

# model_failure: the model's output stayed malformed after the backend's repair (LLMBadOutput),
# so the agent produced no draft: a figure of the model's quality, not a broken run.
CaseStatus = Literal["ok", "error", "replay_miss", "model_failure"]


@dataclass
class CaseRun:
    suite: str
    case_id: str
    by_model: bool  # drafted by the model under test (False: the stub, prompt checks only)
    status: CaseStatus = "ok"
    error: str | None = None
    outcome: str = ""
    draft: str = ""  # the stored draft: after repair and mechanical persona fixes
    first_draft: str = ""  # the model's own draft, before repair and fixes
    intents: list[str] = field(default_factory=list)
    memories: list[dict[str, Any]] = field(default_factory=list)  # recalled: id, body, score
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    violations: list[dict[str, str]] = field(default_factory=list)
    refusals: list[dict[str, str]] = field(default_factory=list)  # the draft guard's, if any
    usage: dict[str, int] = field(default_factory=dict)
    latency_ms: float = 0.0
    unapproved: int = 0  # executed actions / outbound messages without an approval
    proposed: int = 0  # gated actions queued for approval
    judge: dict[str, Any] | None = None
    scores: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def drafted(self) -> bool:
        """A draft the draft-level scorers judge: the model's, from a case that ran."""
        return self.ok and self.by_model

    @property
    def offered(self) -> list[str]:
        """The tools offered on the first model call (the buying intent's toolset)."""
        return list(self.requests[0].tools) if self.requests else []

    @property
    def prompt_text(self) -> str:
        """Everything the model was shown, all calls."""
        return "\n".join(m.content for r in self.requests for m in r.messages)

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case_id,
            "by_model": self.by_model,
            "status": self.status,
            "error": self.error,
            "outcome": self.outcome,
            "draft": self.draft,
            "first_draft": self.first_draft,
            "intents": self.intents,
            "memories": self.memories,
            "tool_calls": self.tool_calls,
            "offered": self.offered,
            "violations": self.violations,
            "refusals": self.refusals,
            "usage": self.usage,
            "latency_ms": round(self.latency_ms, 1),
            "unapproved": self.unapproved,
            "proposed": self.proposed,
            "judge": self.judge,
            "scores": self.scores,
            "requests": [r.as_json() for r in self.requests] if self.by_model else [],
        }
