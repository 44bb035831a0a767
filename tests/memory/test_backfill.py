"""Nothing unembedded, ever (issue 18): the database refuses a memory without its vector
(migration 0019); memories written before that get theirs from `fanagent db migrate`, after
which the rule holds for every row."""

from collections.abc import Iterator
from typing import Any

import numpy as np
import psycopg
import pytest

import cli
from auth.operator import app_connection
from db.connect import creator_scope
from memory import backfill
from memory.embedders import Embedder, LocalEmbedder
from tests.memory.conftest import LEGACY_UNEMBEDDED, Legacy
from tests.memory.helpers import assert_own_vectors

UNEMBEDDED = "SELECT count(*) FROM fan_memories WHERE embedding IS NULL"


def _never() -> Embedder:
    raise AssertionError("no memory needed embedding, yet the embedder was made")


def _scalar(url: str, query: str) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def use_legacy(legacy: Legacy, monkeypatch: pytest.MonkeyPatch) -> Iterator[Legacy]:
    monkeypatch.setenv("DATABASE_URL", legacy.target.admin_url)
    monkeypatch.setenv("FANAGENT_EMBEDDING_BACKEND", "local")
    yield legacy


def test_the_upgrade_keeps_old_rows_but_refuses_a_new_one_without_a_vector(
    legacy: Legacy,
) -> None:
    assert _scalar(legacy.target.admin_url, UNEMBEDDED) == len(LEGACY_UNEMBEDDED)
    assert not backfill.is_enforced(legacy.target.admin_url)
    with (
        app_connection(legacy.target) as conn,
        creator_scope(conn, legacy.creator),
        pytest.raises(psycopg.errors.CheckViolation, match=backfill.CONSTRAINT),
    ):
        conn.execute(
            "INSERT INTO fan_memories (creator_id, fan_id, kind, body)"
            " VALUES (app_current_creator(), %s, 'preference', 'Loves tacos')",
            [legacy.fan],
        )


def test_ensure_embedded_embeds_exactly_the_rows_without_and_then_enforces_the_rule(
    legacy: Legacy, embedder: LocalEmbedder
) -> None:
    done = backfill.ensure_embedded(legacy.target, lambda: embedder, batch_size=2)
    assert done.embedded == {legacy.creator: len(LEGACY_UNEMBEDDED)} and done.enforced
    assert backfill.is_enforced(legacy.target.admin_url)
    with app_connection(legacy.target) as conn, creator_scope(conn, legacy.creator):
        stored = dict(conn.execute("SELECT body, embedding FROM fan_memories").fetchall())
        texts = conn.execute("SELECT count(*) FROM fan_memory_texts").fetchone()
    assert_own_vectors(embedder, {body: stored[body].to_numpy() for body in LEGACY_UNEMBEDDED})
    kept = stored.pop(next(b for b in stored if b not in LEGACY_UNEMBEDDED))
    assert np.array_equal(kept.to_numpy(), legacy.kept_vector)  # had one: untouched
    assert texts == (len(LEGACY_UNEMBEDDED) + 1,)  # each text now searchable across fans
    again = backfill.ensure_embedded(legacy.target, _never)  # enforced: no model loaded
    assert again == backfill.Backfill({}, enforced=True)


def test_db_migrate_embeds_what_an_older_seed_left_without_a_vector(
    use_legacy: Legacy, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make run` on a database seeded before: its first step leaves no memory unembedded."""
    assert cli.main(["db", "migrate"]) == 0
    out = capsys.readouterr().out
    assert f"embedded {len(LEGACY_UNEMBEDDED)} memories that had no embedding" in out
    assert _scalar(use_legacy.target.admin_url, UNEMBEDDED) == 0
    assert backfill.is_enforced(use_legacy.target.admin_url)
    assert cli.main(["db", "migrate"]) == 0  # nothing to do the second time
    assert "embedded" not in capsys.readouterr().out


def test_db_migrate_fails_loudly_when_the_memories_cannot_be_embedded(
    use_legacy: Legacy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FANAGENT_EMBEDDING_BACKEND", "ollama")
    monkeypatch.setenv("FANAGENT_EMBEDDING_OLLAMA_HOST", "http://127.0.0.1:9")  # nobody there
    monkeypatch.setenv("FANAGENT_EMBEDDING_TIMEOUT_S", "2")
    assert cli.main(["db", "migrate"]) == 1
    assert capsys.readouterr().err.startswith("fanagent: memories without an embedding")
    assert _scalar(use_legacy.target.admin_url, UNEMBEDDED) == len(LEGACY_UNEMBEDDED)
    assert not backfill.is_enforced(use_legacy.target.admin_url)
