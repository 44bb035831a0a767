"""Redraft: a draft the guard refused (the prompt copied back, markup, a loop, ...) is sampled
again from the same conversation, without tools and with some randomness, since the greedy
answer is the one that failed. The refused text is not shown to the model."""

from typing import Any

from langgraph.runtime import Runtime

from agent.graph.chat import from_turns, to_turn
from agent.graph.deps import AgentDeps
from agent.graph.nodes.draft import FREQUENCY_PENALTY, reply_text, streamed
from agent.graph.state import AgentContext, DraftState
from agent.graph.timing import timed
from agent.graph.usage import added
from prompts.messages import ChatMessage

TEMPERATURE = 0.8


def make(deps: AgentDeps) -> Any:
    async def redraft(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        chat = list(state["chat"])
        if chat and chat[-1]["role"] == "assistant":
            chat.pop()  # the refused reply
        attempt = state.get("redrafts", 0) + 1
        timings: dict[str, float] = {}
        with timed(state, "model", timings):
            if runtime.context.stream_tokens:
                result = await streamed(
                    deps, from_turns(chat), temperature=TEMPERATURE, seed=attempt
                )
            else:
                result = await deps.chat_model.chat(
                    from_turns(chat),
                    max_tokens=deps.limits.max_tokens,
                    temperature=TEMPERATURE,
                    seed=attempt,
                    frequency_penalty=FREQUENCY_PENALTY[deps.profile],
                )
        chat.append(to_turn(ChatMessage("assistant", result.content)))
        return {
            "chat": chat,
            "draft": reply_text(result.content, deps.profile),
            "redrafts": attempt,
            "usage": added(state, result.usage),
            "timings_ms": timings,
        }

    return redraft
