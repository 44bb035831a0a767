"""Per-call timeout and retries with exponential backoff, shared by every backend.

Backends translate their client's exceptions into the typed errors of agent.llm.types first
(`status_error` for HTTP statuses); this module retries the transient ones (LLMTimeout,
LLMUnavailable) and lets the others (LLMRequestError, LLMBadOutput) through at once.
"""

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from agent.llm.settings import LLMSettings
from agent.llm.types import LLMError, LLMRequestError, LLMTimeout, LLMUnavailable

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    timeout_s: float
    max_retries: int
    backoff_s: float
    backoff_max_s: float

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> "RetryPolicy":
        return cls(
            settings.timeout_s, settings.max_retries, settings.backoff_s, settings.backoff_max_s
        )

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0-based)."""
        return float(min(self.backoff_max_s, self.backoff_s * 2**retry))


def status_error(status: int, message: str) -> LLMError:
    """The typed error for an HTTP error status: 408, 429 and 5xx are transient."""
    text = f"HTTP {status}: {message}"
    if status == 408:
        return LLMTimeout(text)
    if status == 429 or status >= 500:
        return LLMUnavailable(text)
    return LLMRequestError(text)


async def with_retries(call: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """Run `call` within the timeout, retrying transient errors; then raise the last one."""
    attempts = policy.max_retries + 1
    for attempt in range(attempts):
        try:
            async with asyncio.timeout(policy.timeout_s):
                return await call()
        except TimeoutError:
            error: LLMError = LLMTimeout(f"no answer within {policy.timeout_s:g} s")
        except (LLMTimeout, LLMUnavailable) as transient:
            error = transient
        if attempt + 1 < attempts:
            await asyncio.sleep(policy.delay(attempt))
    raise type(error)(f"{error} (attempts: {attempts})") from error


async def retried_stream(
    open_stream: Callable[[], AsyncGenerator[T, None]], policy: RetryPolicy
) -> AsyncIterator[T]:
    """Items of a stream opened with retries until its first item arrives.

    After the first item nothing is retried (the caller already has tokens): a later failure
    is raised as is, and each further item must come within the timeout or LLMTimeout.
    """

    async def first() -> tuple[AsyncGenerator[T, None], T]:
        stream = open_stream()
        try:
            return stream, await anext(stream)
        except StopAsyncIteration:
            raise LLMUnavailable("the stream ended before its first event") from None
        except BaseException:
            await stream.aclose()
            raise

    stream, item = await with_retries(first, policy)
    try:
        yield item
        while True:
            try:
                async with asyncio.timeout(policy.timeout_s):
                    item = await anext(stream)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise LLMTimeout(f"the stream stalled for {policy.timeout_s:g} s") from None
            yield item
    finally:
        await stream.aclose()
