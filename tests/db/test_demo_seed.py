"""The demo seeder: repeatable, complete, internally consistent, and safe to run twice; every
memory it writes has its vector.

The loaded-data tests share one database of their own on the embedded test server (created
here, dropped at the end), seeded with 2 creators x 60 fans.
"""

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
import pytest
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.conninfo import make_conninfo

from db import embedded, migrate
from db.demo import SeedError, SeedReport, generate, seed_demo
from db.demo.rows import TABLE_NAMES, Rows
from db.demo.vocabulary import SIGNALS
from db.settings import DatabaseSettings
from memory.embedders import Embedder, LocalEmbedder
from tests.memory.helpers import assert_own_vectors

AS_OF = dt.date(2025, 6, 1)
SEED = 11
CREATORS, FANS = 2, 60


TEST_PGDATA = DatabaseSettings().data_dir / "test-pg"


@contextmanager
def _database(suffix: str) -> Iterator[str]:
    """A migrated database of its own on the embedded test server, dropped afterwards."""
    name = f"seedtest_{suffix}_{os.getpid()}"
    url = embedded.start(TEST_PGDATA, name)
    try:
        migrate.migrate(url)
        yield url
    finally:
        with psycopg.connect(embedded.start(TEST_PGDATA, "postgres"), autocommit=True) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def seeded(embedder: LocalEmbedder) -> Iterator[tuple[str, SeedReport]]:
    with _database("super") as url:
        report = seed_demo(url, creators=CREATORS, fans_per_creator=FANS, seed=SEED, as_of=AS_OF,
                           embedder=lambda: embedder)  # fmt: skip
        yield url, report


def _never() -> Embedder:
    raise AssertionError("nothing to write, yet the embedder was made")


class _Broken:
    def embed(self, texts: object) -> list[list[float]]:
        raise RuntimeError("the embedding backend is down")


def _scalar(url: str, query: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in TABLE_NAMES
        }


def test_same_arguments_give_identical_rows_and_another_seed_other_rows() -> None:
    first = generate(creators=2, fans_per_creator=25, seed=5, as_of=AS_OF)
    again = generate(creators=2, fans_per_creator=25, seed=5, as_of=AS_OF)
    other = generate(creators=2, fans_per_creator=25, seed=6, as_of=AS_OF)
    assert first == again
    assert first.fan_messages and first.fan_messages == again.fan_messages
    assert {p.id for p in first.fan_profiles}.isdisjoint({p.id for p in other.fan_profiles})
    assert [m.body for m in first.fan_messages] != [m.body for m in other.fan_messages]


def test_creators_of_one_seed_differ_and_nothing_reads_the_clock() -> None:
    rows = generate(creators=2, fans_per_creator=40, seed=5, as_of=AS_OF)
    one, two = (p.creator_id for p in rows.creator_profiles)
    names = {
        c: [p.display_name for p in rows.fan_profiles if p.creator_id == c] for c in (one, two)
    }
    assert names[one] != names[two]
    end = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert max(m.created_at for m in rows.fan_messages) <= end
    assert max(t.occurred_at for t in rows.fan_transactions) <= end
    assert max(e.occurred_at for e in rows.fan_subscription_events) <= end


@pytest.fixture(scope="module")
def population() -> Rows:
    """One creator with enough fans for distributions and rare cases, generated only."""
    return generate(creators=1, fans_per_creator=3000, seed=2, as_of=AS_OF)


def test_spend_is_long_tailed(population: Rows) -> None:
    rows = population
    spend = sorted((p.lifetime_spend for p in rows.fan_profiles), reverse=True)
    top = spend[: len(spend) // 100]
    assert sum(top) / sum(spend) > Decimal("0.2")  # the top 1% hold over a fifth of revenue
    median = spend[len(spend) // 2]
    assert spend[0] > 50 * median


def test_every_table_the_seeder_fills_has_rows(seeded: tuple[str, SeedReport]) -> None:
    url, report = seeded
    counts = _counts(url)
    assert report.creators == CREATORS and not report.skipped
    assert counts["fan_profiles"] == CREATORS * FANS
    for table in TABLE_NAMES:
        assert counts[table] > 0, table
        assert counts[table] == report.rows[table], table


def test_money_and_message_fields_agree_with_the_rows(seeded: tuple[str, SeedReport]) -> None:
    url, _ = seeded
    mismatches = _scalar(
        url,
        """
        WITH spend AS (
            SELECT fan_id, sum(amount) AS total, count(*) AS n, max(amount) AS biggest,
                   min(occurred_at) AS first_at, max(occurred_at) AS last_at
            FROM fan_transactions WHERE kind NOT IN ('refund', 'chargeback') GROUP BY fan_id
        ), talk AS (
            SELECT fan_id, count(*) AS n, max(created_at) AS last_at
            FROM fan_messages GROUP BY fan_id
        )
        SELECT count(*) FROM fan_profiles p
        LEFT JOIN spend s ON s.fan_id = p.id LEFT JOIN talk t ON t.fan_id = p.id
        WHERE p.lifetime_spend <> coalesce(s.total, 0)
           OR p.purchase_count <> coalesce(s.n, 0)
           OR p.biggest_purchase IS DISTINCT FROM s.biggest
           OR p.avg_order_value IS DISTINCT FROM round(s.total / s.n, 2)
           OR p.first_purchase_at IS DISTINCT FROM s.first_at
           OR p.last_purchase_at IS DISTINCT FROM s.last_at
           OR p.message_count <> coalesce(t.n, 0)
           OR p.last_message_at IS DISTINCT FROM t.last_at
        """,
    )
    assert mismatches == 0
    assert _scalar(url, "SELECT count(*) FROM fan_profiles WHERE lifetime_spend > 0") > 0  # type: ignore[operator]


def test_every_inbound_message_is_labelled_and_all_signals_occur(
    seeded: tuple[str, SeedReport],
) -> None:
    url, _ = seeded
    unlabelled = _scalar(
        url,
        "SELECT count(*) FROM fan_messages m WHERE direction = 'inbound' AND NOT EXISTS"
        " (SELECT 1 FROM fan_intent_events e WHERE e.message_id = m.id)",
    )
    assert unlabelled == 0
    with psycopg.connect(url) as conn:
        signals = {r[0] for r in conn.execute("SELECT DISTINCT signal FROM fan_intent_events")}
        on_outbound = conn.execute(
            "SELECT count(*) FROM fan_intent_events e JOIN fan_messages m ON m.id = e.message_id"
            " WHERE m.direction <> 'inbound'"
        ).fetchone()
    assert set(SIGNALS) <= signals
    assert on_outbound == (0,)


def test_replies_answer_an_earlier_inbound_message_of_the_same_fan(
    seeded: tuple[str, SeedReport],
) -> None:
    url, _ = seeded
    bad = _scalar(
        url,
        "SELECT count(*) FROM fan_messages r JOIN fan_messages q ON q.id = r.in_reply_to_id"
        " WHERE q.direction <> 'inbound' OR q.fan_id <> r.fan_id OR r.created_at <= q.created_at"
        " OR r.response_seconds <> extract(epoch FROM r.created_at - q.created_at)",
    )
    assert bad == 0
    assert _scalar(url, "SELECT count(*) FROM fan_messages WHERE in_reply_to_id IS NOT NULL") > 0  # type: ignore[operator]


def test_identity_links_join_two_platforms_of_one_fan(seeded: tuple[str, SeedReport]) -> None:
    url, _ = seeded
    with psycopg.connect(url) as conn:
        links = conn.execute(
            "SELECT l.fan_id = a.fan_id AND l.fan_id = b.fan_id AND a.platform <> b.platform"
            " FROM fan_identity_links l"
            " JOIN fan_platform_accounts a ON a.id = l.account_a_id"
            " JOIN fan_platform_accounts b ON b.id = l.account_b_id"
        ).fetchall()
    assert links and all(ok for (ok,) in links)


def test_subscription_status_and_stage_follow_their_history(
    seeded: tuple[str, SeedReport],
) -> None:
    url, _ = seeded
    wrong_status = _scalar(
        url,
        """
        SELECT count(*) FROM fan_subscriptions s
        CROSS JOIN LATERAL (
            SELECT event_type FROM fan_subscription_events e
            WHERE e.subscription_id = s.id AND e.event_type <> 'win_back_sent'
            ORDER BY occurred_at DESC LIMIT 1
        ) last
        WHERE NOT CASE s.status
            WHEN 'trial' THEN last.event_type = 'trial_started'
            WHEN 'active' THEN last.event_type IN
                ('subscribed', 'rebilled', 'trial_converted', 'resubscribed')
            ELSE last.event_type = s.status END
        """,
    )
    assert wrong_status == 0
    wrong_stage = _scalar(
        url,
        """
        SELECT count(*) FROM fan_profiles p
        CROSS JOIN LATERAL (
            SELECT to_stage, occurred_at FROM fan_lifecycle_events e
            WHERE e.fan_id = p.id AND e.kind = 'stage_change'
            ORDER BY occurred_at DESC LIMIT 1
        ) last
        WHERE last.to_stage <> p.relationship_stage OR last.occurred_at <> p.stage_updated_at
        """,
    )
    assert wrong_stage == 0


def test_memories_cite_an_inbound_message_of_their_fan(seeded: tuple[str, SeedReport]) -> None:
    url, _ = seeded
    bad = _scalar(
        url,
        "SELECT count(*) FROM fan_memories f JOIN fan_messages m ON m.id = f.source_message_id"
        " WHERE m.direction <> 'inbound' OR m.fan_id <> f.fan_id",
    )
    assert bad == 0


def test_every_seeded_memory_has_its_texts_vector(
    seeded: tuple[str, SeedReport], embedder: LocalEmbedder
) -> None:
    """After `make run` no memory is left out of search for want of a vector (issue 18)."""
    url, report = seeded
    assert _scalar(url, "SELECT count(*) FROM fan_memories WHERE embedding IS NULL") == 0
    with psycopg.connect(url) as conn:
        register_vector(conn)
        stored = conn.execute("SELECT DISTINCT ON (body) body, embedding FROM fan_memories")
        vectors = {body: vector.to_numpy() for body, vector in stored}
        texts = conn.execute(
            "SELECT count(*) = (SELECT count(DISTINCT (creator_id, md5(body))) FROM fan_memories)"
            " FROM fan_memory_texts"
        ).fetchone()
    assert report.memory_texts == len(vectors) > 10  # each distinct text embedded once
    assert_own_vectors(embedder, vectors)
    assert texts == (True,)  # and each creator's texts are searchable across its fans


def test_a_seed_whose_memories_cannot_be_embedded_writes_nothing() -> None:
    with _database("broken") as url:
        with pytest.raises(RuntimeError, match="backend is down"):
            seed_demo(url, creators=1, fans_per_creator=20, seed=SEED, as_of=AS_OF,
                      embedder=_Broken)  # fmt: skip
        assert _scalar(url, "SELECT count(*) FROM fan_profiles") == 0
        assert _scalar(url, "SELECT count(*) FROM fan_memories") == 0


def test_a_changed_fact_supersedes_the_old_one_of_the_same_subject(population: Rows) -> None:
    memories = {m.id: m for m in population.fan_memories}
    replaced = [m for m in memories.values() if m.superseded_by is not None]
    assert replaced
    for old in replaced:
        new = memories[old.superseded_by]  # type: ignore[index]
        assert (new.fan_id, new.kind, new.subject) == (old.fan_id, old.kind, old.subject)
        assert old.subject is not None and new.created_at > old.created_at
    current = [
        (m.fan_id, m.kind, m.subject)
        for m in memories.values()
        if m.subject is not None and m.superseded_by is None
    ]
    assert len(current) == len(set(current))  # one current fact per subject


def test_if_empty_skips_and_a_second_seed_fails_without_writing(
    seeded: tuple[str, SeedReport],
) -> None:
    url, _ = seeded
    before = _counts(url)
    skipped = seed_demo(url, creators=1, fans_per_creator=5, seed=99, as_of=AS_OF,
                        embedder=_never, if_empty=True)  # fmt: skip
    assert skipped.skipped and skipped.rows == {}  # and no model loaded
    with pytest.raises(SeedError, match="already"):
        seed_demo(url, creators=CREATORS, fans_per_creator=FANS, seed=SEED, as_of=AS_OF,
                  embedder=_never)  # fmt: skip
    assert _counts(url) == before


def test_a_table_owner_that_is_not_superuser_can_seed_under_forced_rls(
    embedder: LocalEmbedder,
) -> None:
    """COPY is refused where row-level security applies; the seeder goes through a staging
    table then, and its if_empty check still sees that creators exist."""
    role = sql.Identifier(f"seed_owner_{os.getpid()}")
    try:
        with _database("owner") as url:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
                conn.execute(sql.SQL("GRANT ALL ON SCHEMA public TO {}").format(role))
                tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                for (table,) in tables.fetchall():
                    owned = sql.SQL("ALTER TABLE {} OWNER TO {}")
                    conn.execute(owned.format(sql.Identifier(table), role))
            owner = make_conninfo(url, user=f"seed_owner_{os.getpid()}")
            report = seed_demo(owner, creators=2, fans_per_creator=10, seed=SEED, as_of=AS_OF,
                               embedder=lambda: embedder)  # fmt: skip
            counts = _counts(url)
            assert counts["fan_profiles"] == report.rows["fan_profiles"] == 20
            assert counts["fan_messages"] == report.rows["fan_messages"] > 0
            assert counts["fan_memories"] == report.rows["fan_memories"] > 0
            missing = "SELECT count(*) FROM fan_memories WHERE embedding IS NULL"
            assert _scalar(url, missing) == 0  # through the staging table, vectors and all
            later = seed_demo(owner, creators=1, fans_per_creator=5, seed=SEED + 1, as_of=AS_OF,
                              embedder=_never, if_empty=True)  # fmt: skip
            assert later.skipped
    finally:
        with psycopg.connect(embedded.start(TEST_PGDATA, "postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
