"""Chat messages as checkpointable JSON, and back."""

from collections.abc import Sequence

from agent.graph.state import ChatTurn
from prompts.messages import ChatMessage, Role, ToolCall


def to_turn(message: ChatMessage) -> ChatTurn:
    turn: ChatTurn = {"role": message.role, "content": message.content}
    if message.tool_calls:
        turn["tool_calls"] = [
            {"id": c.id, "name": c.name, "arguments": c.arguments} for c in message.tool_calls
        ]
    if message.tool_call_id is not None:
        turn["tool_call_id"] = message.tool_call_id
    return turn


def from_turn(turn: ChatTurn) -> ChatMessage:
    role: Role = turn["role"]  # type: ignore[assignment]
    calls = tuple(
        ToolCall(c["id"], c["name"], dict(c["arguments"])) for c in turn.get("tool_calls", [])
    )
    return ChatMessage(role, turn.get("content", ""), calls, turn.get("tool_call_id"))


def from_turns(turns: Sequence[ChatTurn]) -> list[ChatMessage]:
    return [from_turn(turn) for turn in turns]


def tool_turn(call_id: str, content: str) -> ChatTurn:
    return {"role": "tool", "content": content, "tool_call_id": call_id}
