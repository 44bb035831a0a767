"""One object per running event loop, for async HTTP clients.

An httpx client keeps connections tied to the loop it first ran in; a chat model used from
several `asyncio.run` calls (CLI commands, tests) would otherwise fail with "Event loop is
closed" on its second call.
"""

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LoopLocal(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> T:
        """This loop's object, made on first use."""
        loop = asyncio.get_running_loop()
        made = self._by_loop.get(loop)
        if made is None:
            made = self._by_loop[loop] = self._make()
        return made
