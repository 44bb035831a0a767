"""Loads the demo data into PostgreSQL with COPY, one transaction per creator.

Each creator's rows are written inside a transaction scoped to that creator
(`app.creator_id`), so loading works for a superuser and for a table owner held to the forced
row-level security alike (see writer.py); a creator is written completely or not at all. Fans
are generated in batches, the next one while the current one is copied, so memory stays bounded
by a few batches whatever the number of fans. The memories are written with their vectors: the
batch generated ahead also has its new memory texts embedded (vectors.py), with the embedder
the caller makes (`fanagent seed`: the configured one).

`if_empty` asks creator_profiles as the admin. A superuser sees every creator. An admin that
only owns the tables is held to row-level security and sees none; for it, any row in `users`
(global, not forced, and every creator has an owner there) counts as "creators exist", and the
demo creators this call would write are also looked up each inside its own scope.
"""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import errors
from psycopg.types.json import JsonbDumper

from db.connect import SET_CREATOR_SQL
from db.demo.creators import chatter_user
from db.demo.draw import midnight_utc
from db.demo.generate import DemoCreator, demo_creators
from db.demo.prefetch import prefetch
from db.demo.rows import User
from db.demo.vectors import MemoryVectors, TextEmbedder
from db.demo.writer import RowWriter

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedReport:
    creators: int
    rows: dict[str, int]  # table name -> rows inserted
    seconds: float
    skipped: bool  # True when if_empty=True and creators already existed
    memory_texts: int = 0  # distinct memory texts embedded
    embedding_seconds: float = 0.0  # of `seconds`: making the embedder and embedding


class SeedError(RuntimeError):
    """The demo data cannot be written (it is already there); nothing was written."""


def seed_demo(
    admin_url: str,
    *,
    creators: int,
    fans_per_creator: int,
    seed: int,
    as_of: date,
    embedder: Callable[[], TextEmbedder],
    if_empty: bool = False,
    progress: Progress | None = None,
) -> SeedReport:
    """Generates and loads `creators` demo creators with `fans_per_creator` fans each.

    `embedder` makes the embedder of the memory texts (memory.embedders.build_embedder, or a
    function returning one already loaded); it is called once, and only if there is something
    to write. Its errors propagate, and the creator being written is then left out entirely.
    """
    started = time.perf_counter()
    say = progress or (lambda _: None)
    plans = demo_creators(
        creators=creators, fans_per_creator=fans_per_creator, seed=seed, as_of=as_of
    )
    totals: Counter[str] = Counter()
    with psycopg.connect(admin_url) as conn:
        conn.adapters.register_dumper(dict, JsonbDumper)  # JSON columns hold dicts
        present = [plan for plan in plans if _exists(conn, plan)]
        if if_empty and (present or _any_creator(conn)):
            return SeedReport(0, {}, time.perf_counter() - started, skipped=True)
        if present:
            handles = ", ".join(plan.creator.handle for plan in present)
            raise SeedError(
                f"demo creator(s) {handles} of seed {seed} are already in the database;"
                " seed with another --seed or reset the database"
            )
        with conn.transaction():
            totals["users"] += _ensure_chatter(conn, chatter_user(midnight_utc(as_of)))
        vectors = MemoryVectors(embedder)
        for plan in plans:
            totals.update(_load_creator(conn, plan, vectors, say))
    seconds = time.perf_counter() - started
    return SeedReport(
        creators,
        dict(totals),
        seconds,
        skipped=False,
        memory_texts=vectors.texts,
        embedding_seconds=vectors.seconds,
    )


def _load_creator(
    conn: psycopg.Connection[Any], plan: DemoCreator, vectors: MemoryVectors, say: Progress
) -> Counter[str]:
    """Writes one creator in one transaction; returns the rows written per table."""
    handle = plan.creator.handle
    counts: Counter[str] = Counter()
    began = time.perf_counter()
    try:
        with conn.transaction():
            conn.execute(SET_CREATOR_SQL, [str(plan.creator.creator_id)])
            writer = RowWriter(conn)
            writer.write(vectors.fill(plan.rows), counts)
            # Embedded in the prefetch thread too: the next batch's texts while this one copies.
            for batch in prefetch(vectors.fill(rows) for rows in plan.fan_batches()):
                writer.write(batch, counts)
                say(f"{handle}: {counts['fan_profiles']}/{plan.fans} fans")
    except errors.UniqueViolation as exc:
        raise SeedError(f"{handle}: rows already exist ({exc.diag.message_primary})") from exc
    say(f"{handle}: {sum(counts.values())} rows in {time.perf_counter() - began:.1f} s")
    return counts


def _exists(conn: psycopg.Connection[Any], plan: DemoCreator) -> bool:
    """Whether this demo creator (by id or handle) is already there, seen from its own scope."""
    with conn.transaction():
        conn.execute(SET_CREATOR_SQL, [str(plan.creator.creator_id)])
        row = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM creator_profiles WHERE creator_id = %s OR handle = %s)"
            " OR EXISTS (SELECT 1 FROM users WHERE email = ANY(%s))",
            [plan.creator.creator_id, plan.creator.handle, [u.email for u in plan.rows.users]],
        ).fetchone()
    return bool(row and row[0])


def _any_creator(conn: psycopg.Connection[Any]) -> bool:
    """Whether the database holds any creator, as far as the admin can tell (see above)."""
    with conn.transaction():
        row = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM creator_profiles)"
            " OR row_security_active('creator_profiles') AND EXISTS (SELECT 1 FROM users)"
        ).fetchone()
    return bool(row and row[0])


def _ensure_chatter(conn: psycopg.Connection[Any], chatter: User) -> int:
    """Adds the shared agency chatter unless present; returns the rows inserted (0 or 1)."""
    inserted = conn.execute(
        "INSERT INTO users (id, email, display_name, created_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        list(chatter),
    ).rowcount
    row = conn.execute("SELECT id FROM users WHERE email = %s", [chatter.email]).fetchone()
    if row is None or row[0] != chatter.id:
        raise SeedError(f"{chatter.email} exists with another id; cannot assign it to creators")
    return inserted
