"""The graph's state and run context.

State is checkpointed, so it holds JSON primitives only. The context (who the run acts for) is
not checkpointed: the caller passes it on every invoke and resume, from the authenticated
request or the queue row, never from model output.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict
from uuid import UUID

from memory.embedders import Embedder
from tools.base import RunContext

DraftStatus = Literal["drafted", "awaiting_approval", "superseded", "no_usable_draft"]


@dataclass(frozen=True)
class AgentContext:
    creator_id: UUID
    fan_id: UUID
    thread_id: str
    user_id: UUID | None = None
    stream_tokens: bool = False  # the caller consumes the reply's tokens as they come

    def run_context(self, message_id: str | None, embedder: Embedder) -> RunContext:
        return RunContext(
            self.creator_id,
            self.fan_id,
            self.thread_id,
            self.user_id,
            UUID(message_id) if message_id else None,
            embedder=embedder,
        )


class ChatTurn(TypedDict, total=False):
    """agent.llm.types.ChatMessage as JSON."""

    role: str
    content: str
    tool_calls: list[dict[str, Any]]  # {id, name, arguments}
    tool_call_id: str


class ToolCallRecord(TypedDict):
    """A tool call the model made and what became of it."""

    id: str
    name: str
    arguments: dict[str, Any]
    kind: str  # read | write | unknown
    status: str  # ran | failed | queued | executed | rejected | expired | superseded
    result: Any
    action_id: str | None


def merged_timings(before: dict[str, float], update: dict[str, float]) -> dict[str, float]:
    """Each node returns the timings it was given plus its own; nodes that run side by side
    (recall and classify) each return theirs, and together they keep both."""
    return {**before, **update}


class DraftState(TypedDict, total=False):
    message: str  # the fan message to answer
    message_id: str  # its fan_messages row (inbound)
    creator_name: str
    fan_name: str  # what the creator calls the fan (never the real name)
    fan_summary: str
    persona: dict[str, Any]  # personas.model.Persona as JSON
    conversation: list[dict[str, Any]]  # {id, at, direction, body}, before the message
    embedding: list[float]  # the message's vector, from recall to classify and suggest (then
    # cleared: the checkpoints need not keep it)
    memories: list[dict[str, Any]]  # {id, kind, body, score}: recalled for this message
    intents: list[dict[str, Any]]  # {signal, confidence}: detected
    classifier: str
    chat: list[ChatTurn]  # the model conversation so far
    tool_calls: list[ToolCallRecord]
    waiting: list[str]  # queue row ids proposed in the last turn, not settled yet
    turns: int  # model calls made for the draft
    plain_reply: bool  # the last turn gave neither text nor a call: the next offers no tools
    draft: str
    violations: list[dict[str, str]]  # {rule, detail}: left after repair
    repairs: int
    refusals: list[dict[str, str]]  # {code, reason}: why the draft guard would not send it
    redrafts: int  # fresh attempts after a refused draft
    usage: dict[str, int]  # prompt_tokens, completion_tokens
    timings_ms: Annotated[dict[str, float], merged_timings]  # per node, summed
    outcome: DraftStatus
    draft_message_id: str
    remembered: list[str]  # fan_memories ids written from the message
    suggestions: list[dict[str, Any]]  # {text, score, answered}: the team's past replies
    offer: dict[str, Any] | None  # the PPV suggested with the reply (PickedOffer.as_json)
