"""Builds the agent once per process (the server's lifespan, a CLI command): connection pools,
the checkpointer, the chat model, the embedder, the intent classifier and the graph."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from pgvector.psycopg import register_vector

from agent.gate.lock import lock_pool
from agent.graph.build import build_graph
from agent.graph.deps import AgentDeps, AgentLimits, Profile
from agent.intent.classify import IntentClassifier, from_settings
from agent.intent.settings import IntentSettings, Mode
from agent.llm.factory import build_chat_model
from agent.llm.port import ChatModel
from agent.llm.settings import LLMSettings
from agent.service import DraftService
from db.checkpoints import SAVER_CONNECTION_KWARGS, checkpoint_url
from db.connect import DatabaseTarget
from db.pools import SyncPool, async_pool, sync_pool
from memory.embedders import Embedder, build_embedder
from tools.base import Tool
from tools.registry import ALL_TOOLS

SAVER_POOL_SIZE = 4  # psycopg_pool's default, kept: the saver queues all its I/O behind one lock


def app_pool(app_url: str, max_size: int = 8) -> SyncPool:
    """Autocommit connections of the application role with pgvector's types registered."""
    return sync_pool(
        app_url,
        name="app",
        max_size=max_size,
        kwargs={"autocommit": True},
        configure=register_vector,
        open=True,
    )


def limits_for(profile: Profile, budget_s: float) -> AgentLimits:
    """A small model's draft is sampled again rather than repaired (a repair prompt is what it
    copies back), and a fresh sample costs it about a second."""
    if profile == "compact":
        return AgentLimits(budget_s=budget_s, max_repairs=0, max_redrafts=2, max_tokens=60)
    return AgentLimits(budget_s=budget_s)


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
    if chat_model is None:
        chat_model = build_chat_model(llm_settings)
        deps_overrides.setdefault("profile", llm_settings.draft_profile())
    profile = deps_overrides.setdefault("profile", "full")
    deps_overrides.setdefault("limits", limits_for(profile, llm_settings.draft_budget_s))
    embedder = embedder or build_embedder()
    if intents is None:
        settings = IntentSettings()
        llm = chat_model if settings.mode != Mode.FAST else None
        intents = from_settings(settings, llm)
    with app_pool(target.app_url) as pool:
        async with (
            async_pool(
                checkpoint_url(target.app_url),
                name="checkpoints",
                size=SAVER_POOL_SIZE,
                kwargs=SAVER_CONNECTION_KWARGS,
            ) as saver_pool,
            lock_pool(target.app_url) as locks,
        ):
            saver = AsyncPostgresSaver(saver_pool)
            deps = AgentDeps(
                pool, chat_model, embedder, intents, tools or ALL_TOOLS, **deps_overrides
            )
            yield DraftService(deps, build_graph(deps, saver), locks)
