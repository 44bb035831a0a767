"""Token usage summed over a run's model calls."""

from agent.graph.state import DraftState
from agent.llm.types import Usage


def added(state: DraftState, usage: Usage) -> dict[str, int]:
    before = state.get("usage", {})
    return {
        "prompt_tokens": before.get("prompt_tokens", 0) + usage.prompt_tokens,
        "completion_tokens": before.get("completion_tokens", 0) + usage.completion_tokens,
        "model_calls": before.get("model_calls", 0) + 1,
    }
