"""Per-node wall time, summed into the state's timings_ms."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from agent.graph.state import DraftState


@contextmanager
def timed(state: DraftState, key: str, into: dict[str, float]) -> Iterator[None]:
    """Adds the block's milliseconds to `into[key]`, on top of what `state` already had."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings = dict(state.get("timings_ms", {}))
        timings[key] = timings.get(key, 0.0) + (time.perf_counter() - start) * 1000
        into.update(timings)
