from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from agent.llm.port import ChatModel
from agent.runtime import open_service
from agent.service import DraftService
from db.connect import DatabaseTarget
from memory.embedders import Embedder

FIXED_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@asynccontextmanager
async def running(
    database: DatabaseTarget, model: ChatModel, embedder: Embedder, **deps: Any
) -> AsyncIterator[DraftService]:
    """A DraftService on its own pools (a fresh one is a restarted process) with the model."""
    async with open_service(
        database, chat_model=model, embedder=embedder, clock=lambda: FIXED_NOW, **deps
    ) as service:
        yield service
