import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector

from db import migrate
from db.connect import DatabaseTarget
from memory import store
from memory.settings import MemorySettings

# Written before every memory carried its vector (migration 0019), as `make run` used to seed.
LEGACY_UNEMBEDDED = ("Mentioned a trip to Oslo", "Works as a baker", "Loves jazz")
LEGACY_EMBEDDED = "Has a cat named Miso"


@pytest.fixture
def settings() -> MemorySettings:
    """The documented defaults, whatever the environment says."""
    return MemorySettings.model_construct()


@dataclass(frozen=True)
class Legacy:
    target: DatabaseTarget
    creator: UUID
    fan: UUID
    kept: UUID  # the memory that had its vector already
    kept_vector: np.ndarray[Any, np.dtype[np.float32]]


@pytest.fixture
def legacy(empty_database: DatabaseTarget, tmp_path: Path) -> Legacy:
    """A database migrated to 0018, given memories without a vector (and one with), then
    migrated to the head: what an existing `make run` database looks like after upgrading."""
    before = tmp_path / "before"
    before.mkdir()
    for path in migrate.MIGRATIONS_DIR.glob("*.sql"):
        if int(path.name[:4]) < 19:
            shutil.copy(path, before)
    url = empty_database.admin_url
    migrate.migrate(url, directory=before)
    creator, fan = UUID(int=0xC1), UUID(int=0xF1)
    vector = np.random.default_rng(18).normal(size=384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    with psycopg.connect(url) as admin:
        register_vector(admin)
        admin.execute(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES (%s, 'legacy', 'Legacy')",
            [creator],
        )
        admin.execute(
            "INSERT INTO fan_profiles (id, creator_id, display_name) VALUES (%s, %s, 'Fan')",
            [fan, creator],
        )
        admin.execute(
            "INSERT INTO fan_memories (creator_id, fan_id, kind, body)"
            " SELECT %s, %s, 'conversation_fact', body FROM unnest(%s::text[]) AS body",
            [creator, fan, list(LEGACY_UNEMBEDDED)],
        )
        row = admin.execute(
            "INSERT INTO fan_memories (creator_id, fan_id, kind, body, embedding)"
            " VALUES (%s, %s, 'personal_detail', %s, %s) RETURNING id",
            [creator, fan, LEGACY_EMBEDDED, store.as_vector(vector.tolist())],
        ).fetchone()
        assert row is not None
    migrate.migrate(url)
    return Legacy(empty_database, creator, fan, row[0], vector)
