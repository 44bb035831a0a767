"""Builds the agent once per process (the server's lifespan, a CLI command): connection pools,
the checkpointer, the chat model, the embedder, the intent classifier and the graph."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from pgvector.psycopg import register_vector
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from agent.gate.lock import lock_pool
from agent.graph.build import build_graph
from agent.graph.deps import AgentDeps, AgentLimits
from agent.intent.classify import IntentClassifier, from_settings
from agent.intent.settings import IntentSettings, Mode
from agent.llm.factory import build_chat_model
from agent.llm.port import ChatModel
from agent.llm.settings import LLMSettings
from agent.service import DraftService
from db.checkpoints import SAVER_CONNECTION_KWARGS, checkpoint_url
from db.connect import DatabaseTarget
from memory.embedders import Embedder, build_embedder
from tools.base import Tool
from tools.registry import ALL_TOOLS


def app_pool(app_url: str, max_size: int = 8) -> ConnectionPool[psycopg.Connection[Any]]:
    """Autocommit connections of the application role with pgvector's types registered."""
    return ConnectionPool(
        app_url,
        min_size=1,
        max_size=max_size,
        kwargs={"autocommit": True},
        configure=register_vector,
        open=True,
    )


@asynccontextmanager
async def open_service(
    target: DatabaseTarget,
    *,
    chat_model: ChatModel | None = None,
    embedder: Embedder | None = None,
    tools: dict[str, Tool[Any]] | None = None,
    intents: IntentClassifier | None = None,
    **deps_overrides: Any,
) -> AsyncIterator[DraftService]:
    """A ready DraftService; pools and checkpointer close when the block ends. The intent
    classifier is the configured one (FANAGENT_INTENT_*) unless one is given."""
    llm_settings = LLMSettings()
    chat_model = chat_model or build_chat_model(llm_settings)
    deps_overrides.setdefault("limits", AgentLimits(budget_s=llm_settings.draft_budget_s))
    embedder = embedder or build_embedder()
    if intents is None:
        settings = IntentSettings()
        llm = chat_model if settings.mode != Mode.FAST else None
        intents = from_settings(settings, embedder, llm)
    with app_pool(target.app_url) as pool:
        async with (
            AsyncConnectionPool(
                checkpoint_url(target.app_url), kwargs=SAVER_CONNECTION_KWARGS, open=False
            ) as saver_pool,
            lock_pool(target.app_url) as locks,
        ):
            saver = AsyncPostgresSaver(saver_pool)  # type: ignore[arg-type]
            deps = AgentDeps(
                pool, chat_model, embedder, intents, tools or ALL_TOOLS, **deps_overrides
            )
            yield DraftService(deps, build_graph(deps, saver), locks)
