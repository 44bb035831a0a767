"""The server's housekeeping loop: every so often, expire overdue actions and finish approved
ones that a crash left unexecuted (DraftService.sweep)."""

import asyncio
import logging
from typing import Protocol

log = logging.getLogger("fanagent.gate")


class Sweepable(Protocol):
    async def sweep(self) -> int: ...


async def sweep_every(service: Sweepable, seconds: float) -> None:
    """Runs until cancelled; a failed sweep is logged and retried next time."""
    while True:
        try:
            resumed = await service.sweep()
            if resumed:
                log.info("gate sweep resumed %d thread(s)", resumed)
        except Exception:
            log.exception("gate sweep failed")
        await asyncio.sleep(seconds)
