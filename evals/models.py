"""The chat models of an eval run.

The model under test is the configured backend (live), or the embedded SmolLM2 as recorded in
the cassettes (replay and record: the `openai` backend against llama-cpp-python's server). Cases
that are not recorded are still run in replay mode, drafted by a stub that answers a fixed line:
everything before the model (context, recall, intents, the prompt, the tools offered) is scored
for them; the draft is not.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from agent.llm.factory import build_chat_model
from agent.llm.fixed import FixedReplyChatModel
from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.port import ChatModel
from agent.llm.retry import RetryPolicy
from agent.llm.settings import LLMSettings
from agent.llm.types import ChatResult, StreamDone, StreamEvent
from evals.cassettes import RECORDING_KEY, RECORDING_MODEL, RECORDING_URL, recording_server
from prompts.messages import ChatMessage
from tools.base import ToolSpec

Mode = Literal["live", "replay", "record"]
Backend = Literal["local", "ollama", "openai"]
STUB_REPLY = "thanks for telling me, talk soon"


def model_under_test(mode: Mode, backend: Backend | None) -> ChatModel:
    if mode == "live":
        settings = LLMSettings() if backend is None else LLMSettings(backend=backend)
        return build_chat_model(settings)
    # A replay answers at once; a recording waits for SmolLM2 on a slow CPU. No retries:
    # a replayed request is in the cassette or not, and a retry would be recorded twice.
    timeout = 30.0 if mode == "replay" else 600.0
    return OpenAIChatModel(
        model=RECORDING_MODEL,
        base_url=recording_server() if mode == "record" else RECORDING_URL,
        api_key=RECORDING_KEY,
        json_mode="json_object",
        policy=RetryPolicy(timeout_s=timeout, max_retries=0, backoff_s=0, backoff_max_s=0),
    )


@dataclass(frozen=True)
class Request:
    """One call the graph made: what the model was shown and which tools it was offered."""

    messages: tuple[ChatMessage, ...]
    tools: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "messages": [{"role": m.role, "content": m.content} for m in self.messages],
            "tools": list(self.tools),
        }


def stub_chat_model() -> FixedReplyChatModel:
    """Answers every call with STUB_REPLY and reports no usage."""
    return FixedReplyChatModel(STUB_REPLY, "stub:evals")


@dataclass
class CaseModel:
    """The graph's chat model during a run: each call goes to the model the current case is
    drafted by (the model under test or the stub) and is kept for the scorers."""

    model: ChatModel
    stub: ChatModel = field(default_factory=stub_chat_model)
    by_model: bool = False
    requests: list[Request] = field(default_factory=list)
    name: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.name = self.model.name

    def begin(self, by_model: bool) -> None:
        self.by_model = by_model
        self.requests = []

    async def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        json_schema: dict[str, Any] | None = None,
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> ChatResult:
        self.requests.append(Request(tuple(messages), tuple(t.name for t in tools)))
        current = self.model if self.by_model else self.stub
        return await current.chat(
            messages,
            tools=tools,
            json_schema=json_schema,
            temperature=temperature,
            max_tokens=max_tokens,
            seed=seed,
        )

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> AsyncIterator[StreamEvent]:
        result = await self.chat(messages, tools=tools, max_tokens=max_tokens, seed=seed)
        yield StreamDone(result)
