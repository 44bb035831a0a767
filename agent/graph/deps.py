"""What the graph's nodes use, built once (in the server's lifespan or the CLI) and shared."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

from agent.intent.classify import IntentClassifier
from agent.llm.port import ChatModel
from db.connect import creator_scope
from memory.embedders import Embedder
from memory.settings import MemorySettings
from prompts.settings import PromptSettings
from tools.base import Tool

# compact: a small model's prompt (prompts/compact.py), no tools; full: every section, tools.
Profile = Literal["compact", "full"]


@dataclass(frozen=True)
class AgentLimits:
    max_turns: int = 4  # model calls per draft, tool rounds included
    max_repairs: int = 1  # persona repairs before the draft is fixed mechanically and flagged
    max_redrafts: int = 1  # fresh attempts after a draft the guard refused
    recall: int = 5  # memories recalled per message
    recent_messages: int = 20
    approval_hours: int = 24  # a pending action expires after this long
    max_tokens: int = 120  # per model call: a chat reply is short (the persona caps it)
    budget_s: float = 60.0  # one draft request (or reply after a decision), retries included


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class AgentDeps:
    pool: ConnectionPool[psycopg.Connection[Any]]  # the app role, pgvector registered
    chat_model: ChatModel
    embedder: Embedder
    intents: IntentClassifier
    tools: dict[str, Tool[Any]]
    memory: MemorySettings = field(default_factory=MemorySettings)
    prompts: PromptSettings = field(default_factory=PromptSettings)
    profile: Profile = "full"
    limits: AgentLimits = field(default_factory=AgentLimits)
    clock: Callable[[], dt.datetime] = utc_now  # fixed in tests, so prompts are reproducible

    @contextmanager
    def scoped(self, creator_id: UUID) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection inside one creator_scope transaction."""
        with self.pool.connection() as conn, creator_scope(conn, creator_id):
            yield conn
