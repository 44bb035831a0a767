"""The benchmark's data, built once into a database of its own and reused while it is complete.

    fans, histories  db.demo.seed_demo (deterministic, COPY): creators x fans per creator
    long histories   a few fans get hundreds to thousands more messages (whales who chat daily)
    memories         the demo's own (embedded by the seed), plus generated ones up to the
                     total, COPY'd in bulk in a shuffled order (memories accrue over time, not
                     fan by fan); a fan's share follows its message count
    embeddings       a pool of a few thousand distinct memory texts is embedded once (cached
                     under .data/bench/); each memory takes its text's vector, as the product's
                     templated facts do ("Works as a nurse" is the same text, and vector, for
                     every fan who said so)
    HNSW index       dropped for the load, rebuilt after with the migration's own definition

A `bench.built` row, written last, marks a complete build: a database without it (an
interrupted build) or with another scale is dropped and built again.
"""

import datetime as dt
import json
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
from numpy.typing import NDArray
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.conninfo import make_conninfo

from bench import texts
from db import connect, embedded, migrate
from db.connect import DatabaseTarget
from db.demo import seed_demo
from db.demo import vocabulary as v
from db.demo.draw import midnight_utc
from db.settings import DatabaseSettings
from memory.embedders import Embedder

SEED = 7
AS_OF = dt.date(2025, 11, 1)  # the day the demo histories end
BUILDER_VERSION = 2  # bump when the data changes shape: a database of another version is rebuilt
COPY_CHUNK = 20_000
Say = Callable[[str], None]


@dataclass(frozen=True)
class Scale:
    name: str
    creators: int
    fans_per_creator: int
    memories: int  # in all, the demo's included
    long_fans: int  # fans given a long history
    long_messages: tuple[int, int]  # messages added to each, log-uniform between
    distinct_texts: int  # memory texts embedded
    hnsw_memory: str  # maintenance_work_mem for the index build (the graph should fit)

    @property
    def fans(self) -> int:
        return self.creators * self.fans_per_creator


FULL = Scale("full", 10, 10_000, 1_000_000, 200, (500, 3000), 3000, "3GB")
QUICK = Scale("quick", 2, 1_000, 20_000, 10, (500, 1500), 500, "256MB")
TINY = Scale("tiny", 1, 20, 400, 2, (150, 250), 60, "64MB")
DATABASES = {"full": "fanagent_bench", "quick": "fanagent_bench_quick"}
CACHE = DatabaseSettings().data_dir / "bench"


@dataclass(frozen=True)
class Fan:
    id: UUID
    creator_id: UUID
    inbound: int  # messages from the fan
    messages: int  # all messages


@dataclass(frozen=True)
class BenchData:
    target: DatabaseTarget
    scale: Scale
    fans: list[Fan]
    long_fans: list[UUID]
    counts: dict[str, int]  # rows per table of interest
    anchor: dt.datetime  # "now" for the data: the end of the histories

    @property
    def creators(self) -> list[UUID]:
        return sorted({fan.creator_id for fan in self.fans})

    def sample_fans(self, count: int, seed: int) -> list[Fan]:
        """Fans drawn as drafts come: each in proportion to the messages it sends."""
        rng = np.random.default_rng(seed)
        weights = np.asarray([fan.inbound + 1 for fan in self.fans], dtype=np.float64)
        picks = rng.choice(len(self.fans), size=count, p=weights / weights.sum())
        return [self.fans[int(i)] for i in picks]


def bench_target(database: str) -> DatabaseTarget:
    """`database` on the configured server (the embedded one unless DATABASE_URL is set)."""
    settings = DatabaseSettings()
    password = settings.app_db_password.get_secret_value() if settings.app_db_password else None
    if settings.database_url:
        base = settings.database_url
        with psycopg.connect(base, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if found.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        admin_url, is_embedded = make_conninfo(base, dbname=database), False
    else:
        admin_url, is_embedded = embedded.start(settings.pgdata, database), True
    return DatabaseTarget(admin_url, connect.app_url_for(admin_url, password), is_embedded)


def drop_database(target: DatabaseTarget) -> None:
    name = str(psycopg.conninfo.conninfo_to_dict(target.admin_url)["dbname"])
    maintenance = make_conninfo(target.admin_url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def ensure(scale: Scale, embedder: Callable[[], Embedder], *, rebuild: bool, say: Say) -> BenchData:
    """The benchmark database of `scale`: reused when complete, finished when a build of the
    same scale stopped part way, else built from scratch (minutes)."""
    database = DATABASES[scale.name]
    target = bench_target(database)
    state = "none" if rebuild else _state(target, scale)
    if state != "none":
        try:
            migrate.migrate(target.admin_url)  # new migrations apply to the data as it is
        except migrate.MigrationError as error:  # an applied one changed: the data is stale
            say(f"data: {error}: building it again")
            state = "none"
    if state == "complete":
        say(f"data: reusing database {database}")
        return load(target, scale)
    if state != "partial":
        drop_database(target)
        target = bench_target(database)
    say(f"data: building database {database} ({scale.fans} fans, {scale.memories} memories)")
    return build(target, scale, embedder(), say=say)


def build(target: DatabaseTarget, scale: Scale, embedder: Embedder, *, say: Say) -> BenchData:
    """Builds the data into the database of `target` (migrated here), step by step; a step
    already done (bench.steps) is skipped, so a stopped build resumes."""
    started = time.perf_counter()
    migrate.migrate(target.admin_url)
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        register_vector(conn)
        conn.execute(STEPS_DDL)
        done = _steps(conn, scale)
        if "seeded" not in done:
            began = time.perf_counter()
            seed_demo(
                target.admin_url,
                creators=scale.creators,
                fans_per_creator=scale.fans_per_creator,
                seed=SEED,
                as_of=AS_OF,
                embedder=lambda: embedder,
                progress=_every(say, 10.0),
            )
            done["seeded"] = _mark(conn, scale, "seeded", began, say)
        index = _hnsw_definition(conn)
        if index is not None:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index[0])))
            _mark(conn, scale, "index dropped", time.perf_counter(), say, index[1])
            done = _steps(conn, scale)
        if "histories" not in done:
            began = time.perf_counter()
            with conn.transaction():
                _long_histories(conn, _fans(conn), scale, np.random.default_rng([SEED, 1]))
                done["histories"] = _mark(conn, scale, "histories", began, say)
        if "memories" not in done:
            began = time.perf_counter()
            pool = texts.memory_texts(scale.distinct_texts, SEED)
            vectors = embeddings(embedder, pool, say)
            rng = np.random.default_rng([SEED, 2])
            with conn.transaction():
                # The generated memories of a stopped build (they have no source message).
                conn.execute("DELETE FROM fan_memories WHERE source_message_id IS NULL")
                _add_memories(conn, _fans(conn), scale, pool, vectors, rng, say)
                done["memories"] = _mark(conn, scale, "memories", began, say)
        if "indexed" not in done:
            began = time.perf_counter()
            _build_hnsw(conn, done["index dropped"].detail, scale, say)
            conn.execute("VACUUM (ANALYZE) fan_memories")
            conn.execute("VACUUM (ANALYZE) fan_messages")
            conn.execute("ANALYZE")
            done["indexed"] = _mark(conn, scale, "indexed", began, say)
        counts = _counts(conn)
    say(f"data: ready in {time.perf_counter() - started:.1f} s: {counts}")
    return load(target, scale)


def load(target: DatabaseTarget, scale: Scale) -> BenchData:
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT f.id, f.creator_id, coalesce(m.inbound, 0), coalesce(m.messages, 0)"
            " FROM fan_profiles f LEFT JOIN ("
            "   SELECT fan_id, count(*) FILTER (WHERE direction = 'inbound') AS inbound,"
            "          count(*) AS messages"
            "   FROM fan_messages GROUP BY fan_id) m ON m.fan_id = f.id"
            " ORDER BY f.id"
        ).fetchall()
        counts = _counts(conn)
    fans = [Fan(row[0], row[1], int(row[2]), int(row[3])) for row in rows]
    long_fans = _long_fan_ids(fans, scale)
    return BenchData(target, scale, fans, long_fans, counts, midnight_utc(AS_OF))


STEPS_DDL = """
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.steps (
    step     text PRIMARY KEY,
    scale    jsonb NOT NULL,
    version  int NOT NULL,
    seconds  real NOT NULL,
    detail   text,
    done_at  timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class _Step:
    seconds: float
    detail: str | None


def _state(target: DatabaseTarget, scale: Scale) -> str:
    """complete, partial (steps of this scale and version done, not all) or none."""
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('bench.steps') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return "none"
        mine = _steps(conn, scale)
        others = conn.execute("SELECT count(*) FROM bench.steps").fetchone()
    if others is None or len(mine) != others[0] or not mine:
        return "none"  # another scale or version: start again
    return "complete" if "indexed" in mine else "partial"


def _steps(conn: psycopg.Connection[Any], scale: Scale) -> dict[str, _Step]:
    wanted = json.dumps(asdict(scale))
    rows = conn.execute(
        "SELECT step, seconds, detail FROM bench.steps WHERE scale = %s::jsonb AND version = %s",
        [wanted, BUILDER_VERSION],
    )
    return {row[0]: _Step(row[1], row[2]) for row in rows}


def _mark(
    conn: psycopg.Connection[Any],
    scale: Scale,
    step: str,
    began: float,
    say: Say,
    detail: str | None = None,
) -> _Step:
    seconds = round(time.perf_counter() - began, 1)
    conn.execute(
        "INSERT INTO bench.steps (step, scale, version, seconds, detail)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (step) DO UPDATE SET seconds = excluded.seconds,"
        " detail = coalesce(excluded.detail, bench.steps.detail), done_at = now()",
        [step, json.dumps(asdict(scale)), BUILDER_VERSION, seconds, detail],
    )
    say(f"data: {step} ({seconds} s)")
    return _Step(seconds, detail)


def _counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    counts = {}
    for table in ("creator_profiles", "fan_profiles", "fan_messages", "fan_memories"):
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = int(row.fetchone()[0])  # type: ignore[index]
    return counts


def _every(say: Say, seconds: float) -> Say:
    """`say`, at most once per `seconds`."""
    last = [0.0]

    def maybe(text: str) -> None:
        now = time.monotonic()
        if now - last[0] >= seconds:
            last[0] = now
            say(f"data: {text}")

    return maybe


def _fans(conn: psycopg.Connection[Any]) -> list[tuple[UUID, UUID, dt.datetime, int]]:
    """(fan, creator, joined, messages) of every fan, in id order."""
    return [
        (row[0], row[1], row[2], int(row[3]))
        for row in conn.execute(
            "SELECT f.id, f.creator_id, f.created_at, coalesce(m.n, 0) FROM fan_profiles f"
            " LEFT JOIN (SELECT fan_id, count(*) AS n FROM fan_messages GROUP BY fan_id) m"
            " ON m.fan_id = f.id ORDER BY f.id"
        )
    ]


def _long_fan_ids(fans: Sequence[Any], scale: Scale) -> list[UUID]:
    """The fans given long histories: a fixed draw from the fans in id order."""
    ids = sorted(fan[0] if isinstance(fan, tuple) else fan.id for fan in fans)
    rng = np.random.default_rng(SEED + 1)
    picks = rng.choice(len(ids), size=min(scale.long_fans, len(ids)), replace=False)
    return [ids[int(i)] for i in sorted(picks)]


def _long_histories(
    conn: psycopg.Connection[Any],
    fans: list[tuple[UUID, UUID, dt.datetime, int]],
    scale: Scale,
    rng: np.random.Generator,
) -> None:
    """Hundreds to thousands more messages for a few fans, spread over their time as fans,
    alternating between the fan and the creator."""
    chosen = set(_long_fan_ids(fans, scale))
    inbound = texts.fan_messages(2000, SEED)
    outbound = _outbound_texts(2000, rng)
    anchor = midnight_utc(AS_OF)
    low, high = scale.long_messages
    statement = (
        "COPY fan_messages (id, creator_id, fan_id, direction, status, body, created_at, sent_at)"
        " FROM STDIN"
    )
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for fan_id, creator_id, joined, _ in fans:
            if fan_id not in chosen:
                continue
            count = int(math.exp(rng.uniform(math.log(low), math.log(high))))
            span = max((anchor - joined).total_seconds(), 86_400.0)
            offsets = np.sort(rng.uniform(0, span, size=count))
            for n, offset in enumerate(offsets):
                at = joined + dt.timedelta(seconds=float(offset))
                if n % 2 == 0:
                    body, direction, status, sent = (
                        inbound[n % len(inbound)],
                        "inbound",
                        "received",
                        None,
                    )
                else:
                    body, direction, status, sent = (
                        outbound[n % len(outbound)],
                        "outbound",
                        "sent",
                        at,
                    )
                copy.write_row(
                    [uuid.uuid4(), creator_id, fan_id, direction, status, body, at, sent]
                )


def _outbound_texts(count: int, rng: np.random.Generator) -> list[str]:
    templates = [text for group in v.OUTBOUND_TEMPLATES.values() for text in group]
    values = {**{k: tuple(x) for k, x in v.SLOTS.items()}, **texts.SLOT_VALUES}

    class Fill(dict[str, str]):
        def __missing__(self, key: str) -> str:
            options = values.get(key, ("babe",))
            return str(options[int(rng.integers(len(options)))])

    return [templates[int(rng.integers(len(templates)))].format_map(Fill()) for _ in range(count)]


def embeddings(
    embedder: Embedder, wanted: Sequence[str], say: Say
) -> dict[str, NDArray[np.float32]]:
    """The vectors of `wanted` texts, each embedded once ever (cached per embedder)."""
    path = CACHE / f"vectors-{embedder.name.replace(':', '-').replace('/', '-')}.npz"
    known: dict[str, NDArray[np.float32]] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            known = dict(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))
    missing = sorted({text for text in wanted if text not in known})
    if missing:
        say(f"data: embedding {len(missing)} distinct texts with {embedder.name}")
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            for text, vector in zip(batch, embedder.embed(batch), strict=True):
                known[text] = np.asarray(vector, dtype=np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(known)
        np.savez(path, texts=np.array(ordered), vectors=np.stack([known[t] for t in ordered]))
    return {text: known[text] for text in wanted}


def _add_memories(
    conn: psycopg.Connection[Any],
    fans: list[tuple[UUID, UUID, dt.datetime, int]],
    scale: Scale,
    pool: list[str],
    vectors: dict[str, NDArray[np.float32]],
    rng: np.random.Generator,
    say: Say,
) -> None:
    """Memories up to the scale's total, each fan's share by its messages, in shuffled order."""
    have = int(conn.execute("SELECT count(*) FROM fan_memories").fetchone()[0])  # type: ignore[index]
    wanted = max(scale.memories - have, 0)
    if not wanted:
        return
    weights = np.asarray([messages + 2 for *_, messages in fans], dtype=np.float64)
    per_fan = rng.multinomial(wanted, weights / weights.sum())
    owners = np.repeat(np.arange(len(fans)), per_fan)
    rng.shuffle(owners)
    text_of = rng.integers(len(pool), size=wanted)
    base = np.stack([vectors[text] for text in pool])
    kinds = [texts.kind_of(text) for text in pool]
    anchor = midnight_utc(AS_OF)
    statement = (
        "COPY fan_memories (id, creator_id, fan_id, kind, body, confidence, importance,"
        " embedding, created_at, updated_at) FROM STDIN WITH (FORMAT BINARY)"
    )
    types = ["uuid", "uuid", "uuid", "text", "text", "float4", "float4", "vector"]
    types += ["timestamptz", "timestamptz"]
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types(types)
        for start in range(0, wanted, COPY_CHUNK):
            chunk = slice(start, min(start + COPY_CHUNK, wanted))
            moved = base[text_of[chunk]]
            ages = rng.uniform(0, 1, size=len(moved))
            confidence = np.clip(rng.normal(0.85, 0.1, size=len(moved)), 0.3, 1.0)
            importance = np.clip(rng.normal(0.5, 0.15, size=len(moved)), 0.05, 1.0)
            for n, (owner, text) in enumerate(zip(owners[chunk], text_of[chunk], strict=True)):
                fan_id, creator_id, joined, _ = fans[int(owner)]
                at = joined + (anchor - joined) * float(ages[n])
                copy.write_row(
                    (
                        uuid.UUID(bytes=rng.bytes(16), version=4),
                        creator_id,
                        fan_id,
                        kinds[int(text)],
                        pool[int(text)],
                        float(confidence[n]),
                        float(importance[n]),
                        moved[n],
                        at,
                        at,
                    )
                )
            if start and start % (10 * COPY_CHUNK) == 0:
                say(f"data: {start}/{wanted} memories copied")


def _hnsw_definition(conn: psycopg.Connection[Any]) -> tuple[str, str] | None:
    """The name and definition of the memory texts' HNSW index, if it is there."""
    row = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE tablename = 'fan_memory_texts' AND indexdef LIKE '%USING hnsw%'"
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def _build_hnsw(
    conn: psycopg.Connection[Any], definition: str | None, scale: Scale, say: Say
) -> None:
    """Creates the index again (in parallel, with room for the graph in memory)."""
    assert definition, "the HNSW index definition was not kept"
    conn.execute(sql.SQL("SET maintenance_work_mem = {}").format(sql.Literal(scale.hnsw_memory)))
    conn.execute("SET max_parallel_maintenance_workers = 2")
    say(f"data: building the HNSW index ({definition.split(' USING ')[1]})")
    with _progress(conn.info.dsn, say):
        conn.execute(definition)  # pg_indexes' own text


@contextmanager
def _progress(dsn: str, say: Say, every: float = 30.0) -> Iterator[None]:
    """Reports the index build's phase and tuples done every `every` seconds."""
    done = threading.Event()

    def watch() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            while not done.wait(every):
                row = conn.execute(
                    "SELECT phase, tuples_done, tuples_total FROM pg_stat_progress_create_index"
                ).fetchone()
                if row is not None:
                    say(f"data: HNSW {row[0]}: {row[1]}/{row[2]} tuples")

    thread = threading.Thread(target=watch, name="bench-hnsw-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
