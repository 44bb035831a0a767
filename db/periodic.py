"""The server's housekeeping loops: a job run every so often until the server stops."""

import asyncio
import logging
from collections.abc import Awaitable, Callable


async def every(
    seconds: float, job: Callable[[], Awaitable[int]], done: str, log: logging.Logger
) -> None:
    """Runs `job` every `seconds` until cancelled, logging `done` with the count it returns
    (when not 0); a failed run is logged and the job runs again next time."""
    while True:
        try:
            count = await job()
            if count:
                log.info("%s: %d", done, count)
        except Exception:
            log.exception("%s: failed", done)
        await asyncio.sleep(seconds)
