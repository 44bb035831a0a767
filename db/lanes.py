"""Work split into lanes run side by side, one thread and one connection each: a lane takes the
rows whose key hashes to it, so lanes never touch the same fan and need no coordination.

Two lanes keep two cores busy on a backlog of memory writes: while one lane's thread embeds
(onnxruntime, the GIL released) the other's statements run in PostgreSQL.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass


@dataclass(frozen=True)
class Lane:
    index: int
    count: int


ONE = Lane(0, 1)


def in_lanes(work: Callable[[Lane], int], count: int) -> int:
    """Runs `work` for each of `count` lanes on a thread of its own; the sum of what they return.
    An error in any lane is raised once all have finished."""
    with ThreadPoolExecutor(count, thread_name_prefix="lane") as pool:
        return sum(pool.map(work, [Lane(n, count) for n in range(count)]))
