"""The time a request may spend waiting for the model: every call and retry of one draft (or of
the reply after a decision) together, so a hung model fails the request in bounded time."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from agent.llm.types import LLMTimeout


class BudgetExceeded(LLMTimeout):
    """The run did not finish within its budget; what it stored before stays stored."""


@asynccontextmanager
async def within_budget(seconds: float) -> AsyncIterator[None]:
    """The block, cancelled after `seconds` with BudgetExceeded."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as error:
        raise BudgetExceeded(
            f"the model did not finish within {seconds:g} s; the fan's message is kept, try again"
        ) from error
