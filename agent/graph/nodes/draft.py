"""Draft: the model writes the reply, with the tools bound (none on the last allowed turn); a
small model (the compact profile) gets the compact prompt, no tools, and its reply's first
line."""

import asyncio
from decimal import Decimal
from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime

from agent.graph.chat import from_turns, to_turn
from agent.graph.deps import AgentDeps, Profile
from agent.graph.state import AgentContext, ChatTurn, DraftState
from agent.graph.timing import timed
from agent.graph.toolset import offered_tools
from agent.graph.usage import added
from agent.llm.types import ChatResult, LLMBadOutput, StreamDone
from personas.model import Persona
from prompts.compact import Example, Offer, render_compact_draft
from prompts.context import ConversationTurn, DraftContext, IntentScore, MemoryFact
from prompts.messages import ChatMessage
from prompts.render import RenderedPrompt, render_draft


def first_prompt(state: DraftState, deps: AgentDeps) -> list[ChatTurn]:
    """The rendered draft prompt: the system message and the fan's context within budget."""
    if deps.profile == "compact":
        return [to_turn(message) for message in compact_prompt(state, deps).messages]
    context = DraftContext(
        creator_name=state["creator_name"],
        persona=Persona.model_validate(state["persona"]),
        fan_summary=state["fan_summary"],
        memories=[MemoryFact(**m) for m in state.get("memories", [])],
        conversation=[ConversationTurn.from_json(t) for t in state.get("conversation", [])],
        intents=[IntentScore(**i) for i in state.get("intents", [])],
        message=state["message"],
    )
    return [to_turn(message) for message in render_draft(context, deps.prompts).messages]


# A small model loops ("so sorry. so sorry. so sorry.") unless repeated tokens are penalised.
FREQUENCY_PENALTY: dict[Profile, float] = {"compact": 0.8, "full": 0.0}


def compact_prompt(state: DraftState, deps: AgentDeps) -> RenderedPrompt:
    return render_compact_draft(
        creator_name=state["creator_name"],
        fan_name=state.get("fan_name", "babe"),
        persona=Persona.model_validate(state["persona"]),
        memories=[MemoryFact(**m) for m in state.get("memories", [])],
        conversation=[ConversationTurn.from_json(t) for t in state.get("conversation", [])],
        examples=[Example(s["answered"], s["text"]) for s in state.get("suggestions", [])],
        message=state["message"],
        offer=_offer(state.get("offer")),
        version=deps.prompts.version,
    )


def _offer(picked: dict[str, Any] | None) -> Offer | None:
    if picked is None:
        return None
    return Offer(picked["title"], Decimal(str(picked["price"])), picked.get("percent_off"))


def reply_text(content: str, profile: Profile) -> str:
    """The reply in a model's answer: a small model's first line (it goes on to write the
    fan's next turn, or another reply), a capable model's whole text."""
    text = content.strip()
    return text.split("\n", 1)[0].strip() if profile == "compact" else text


def make(deps: AgentDeps) -> Any:
    async def draft(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        timings: dict[str, float] = {}
        with timed(state, "model", timings):
            chat = list(state.get("chat") or first_prompt(state, deps))
            turns = state.get("turns", 0)
            last_turn = turns + 1 >= deps.limits.max_turns
            offered = await asyncio.to_thread(offered_tools, deps, runtime.context, state)
            if not state.get("message_id"):  # a preview answers no stored message: it only reads
                offered = [tool for tool in offered if tool.kind == "read"]
            plain = last_turn or state.get("plain_reply", False) or deps.profile == "compact"
            tools = [] if plain else [tool.model_spec() for tool in offered]
            if runtime.context.stream_tokens and not tools:
                result = await streamed(deps, from_turns(chat))
            else:
                result = await deps.chat_model.chat(
                    from_turns(chat),
                    tools=tools,
                    max_tokens=deps.limits.max_tokens,
                    frequency_penalty=FREQUENCY_PENALTY[deps.profile],
                )
        chat.append(to_turn(ChatMessage("assistant", result.content, result.tool_calls)))
        text = "" if _spelled_out_call(result.content) else reply_text(result.content, deps.profile)
        return {
            # Neither a reply nor a call: ask again, offering no tools this time.
            "plain_reply": not text and not result.tool_calls,
            "chat": chat,
            "turns": turns + 1,
            "draft": text or state.get("draft", ""),
            "usage": added(state, result.usage),
            "timings_ms": timings,
        }

    return draft


async def streamed(
    deps: AgentDeps, messages: list[ChatMessage], *, temperature: float = 0.0, seed: int = 0
) -> ChatResult:
    """A plain reply, its tokens passed to the run's stream as they come."""
    write = get_stream_writer()
    async for event in deps.chat_model.stream(
        messages,
        max_tokens=deps.limits.max_tokens,
        temperature=temperature,
        seed=seed,
        frequency_penalty=FREQUENCY_PENALTY[deps.profile],
    ):
        if isinstance(event, StreamDone):
            return event.result
        write({"token": event.text})
    raise LLMBadOutput("the model's stream ended without a result")


def _spelled_out_call(text: str) -> bool:
    """A tool call written as text ("functions.get_fan_profile:\n{}"), as small models do
    under llama.cpp's function-calling chat format when no tools are offered: not a reply."""
    return text.lstrip().startswith("functions.")
