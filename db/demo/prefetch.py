"""Running a generator ahead in a background thread, so that producing the next item (Python
work) overlaps with consuming the current one (here: waiting for PostgreSQL to finish a COPY)."""

import threading
from collections.abc import Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")
_POLL_SECONDS = 0.1


def prefetch(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Yields what `items` yields, keeping up to `depth` items ready; errors are re-raised."""
    queue: Queue[tuple[bool, T | BaseException | None]] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, T | BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                queue.put(entry, timeout=_POLL_SECONDS)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as exc:  # handed to the consumer
            put((False, exc))

    thread = threading.Thread(target=produce, name="demo-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            try:
                more, value = queue.get(timeout=_POLL_SECONDS)
            except Empty:
                continue
            if not more:
                if isinstance(value, BaseException):
                    raise value
                return
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
