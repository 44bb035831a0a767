"""The chat model's reading of a fan message for facts, beside the patterns' (memory/extract.py).

On with FANAGENT_MEMORY_LLM_EXTRACTION=true and the full profile (a capable model: Ollama,
OpenAI); the embedded model's guesses are not worth a memory. A model that fails or is slow
costs the draft nothing: the patterns' facts are remembered alone.
"""

import asyncio
import logging
from collections.abc import Sequence
from uuid import UUID

from agent.graph.deps import AgentDeps
from agent.llm.port import ChatModel
from agent.llm.types import LLMError
from memory.extract_model import FACTS_SCHEMA, SYSTEM_PROMPT, facts_from_answer
from memory.types import Fact
from prompts.messages import ChatMessage

log = logging.getLogger(__name__)
MAX_TOKENS = 384


def enabled(deps: AgentDeps) -> bool:
    return deps.memory.llm_extraction and deps.profile == "full"


async def model_facts(
    model: ChatModel,
    message: str,
    message_id: UUID | None,
    known: Sequence[Fact],
    *,
    timeout_s: float,
) -> list[Fact]:
    """The facts the model finds in `message` that the patterns did not (`known`)."""
    request = [ChatMessage("system", SYSTEM_PROMPT), ChatMessage("user", message)]
    try:
        result = await asyncio.wait_for(
            model.chat(request, json_schema=FACTS_SCHEMA, max_tokens=MAX_TOKENS), timeout_s
        )
    except (LLMError, TimeoutError) as error:
        log.warning("fact extraction by the model failed, the patterns' facts only: %r", error)
        return []
    return facts_from_answer(result.parsed, message, known=known, source_message_id=message_id)
