"""The full HTTP draft round trip with an instant model: POST /v1/fans/{fan}/drafts against the
real app (bench.serve: auth, routes, the graph and its Postgres checkpointer) under uvicorn in
its own process, from clients in this one (httpx, keep-alive), as chatters of the fans'
creators. Drafts/s and latency at `concurrency` clients, and latency with one client.

The server's, PostgreSQL's and this client's CPU seconds are kept with the figures: on a small
machine they say what bounds the rate.
"""

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg

from auth.keys import PREFIX_SHOWN, add_user, create_key, revoke_key
from bench import texts
from bench.data import BenchData, Fan
from bench.process import free_port, serving
from bench.stats import percentiles

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Load:
    requests: int
    warmup: int
    concurrency: int
    single: int  # requests made one at a time, for the latency without queueing
    seconds: float  # each phase stops sending after this long, whatever is left


@dataclass(frozen=True)
class Variant:
    """How the server runs (bench.serve's options)."""

    name: str
    embedder: str = "minilm"
    saver: str = "locked"
    durability: str = "exit"

    def arguments(self) -> list[str]:
        return ["--embedder", self.embedder, "--saver", self.saver, "--durability", self.durability]


@dataclass(frozen=True)
class Running:
    """A benchmark server (bench.serve) that answers, and a key for a chatter of each creator."""

    base: str  # http://127.0.0.1:PORT
    keys: dict[UUID, str]
    process: "subprocess.Popen[bytes]"


@contextlib.contextmanager
def running(data: BenchData, variant: Variant) -> Iterator[Running]:
    """The app under uvicorn in a process of its own; its keys are revoked when it stops."""
    keys = _keys(data)
    port = free_port()
    try:
        with _server(data, port, variant) as server:
            yield Running(f"http://127.0.0.1:{port}", keys, server)
    finally:
        _revoke(data, keys)


def measure(data: BenchData, load: Load, variant: Variant) -> dict[str, Any]:
    fans = data.sample_fans(load.warmup + load.requests + load.single, seed=29)
    messages = texts.fan_messages(len(fans), seed=31)
    with running(data, variant) as server:
        base, keys = server.base, server.keys
        warm = list(zip(fans[: load.warmup], messages, strict=False))
        asyncio.run(clients(base, keys, warm, load.concurrency, load.seconds))
        single = list(zip(fans[load.warmup : load.warmup + load.single], messages, strict=False))
        one, _ = asyncio.run(clients(base, keys, single, 1, load.seconds))
        timed = list(zip(fans[load.warmup + load.single :], messages[load.warmup :], strict=False))
        cpu_before = cpu(server.process.pid, data)
        many, elapsed = asyncio.run(clients(base, keys, timed, load.concurrency, load.seconds))
        cpu_after = cpu(server.process.pid, data)
    ok = [ms for ms, status in many if status == 200]
    used = {name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_before}
    return {
        "variant": variant.name,
        "server": variant.arguments(),
        "concurrency": load.concurrency,
        "drafts_per_s": round(len(ok) / elapsed, 1),
        "latency": percentiles(ok),
        "errors": len(many) - len(ok),
        "single_client": percentiles([ms for ms, status in one if status == 200]),
        "elapsed_s": round(elapsed, 1),
        "cpu_s": used,
        "cpu_per_draft_ms": {
            name: round(seconds * 1000 / max(len(ok), 1), 2) for name, seconds in used.items()
        },
    }


async def clients(
    base: str,
    keys: dict[UUID, str],
    work: list[tuple[Fan, str]],
    concurrency: int,
    seconds: float,
) -> tuple[list[tuple[float, int]], float]:
    """Sends the drafts from `concurrency` clients until done or `seconds` passed; (ms, status)
    per request (status 0: no answer, the connection failed or timed out), and the seconds it
    took."""
    queue: asyncio.Queue[tuple[Fan, str]] = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)
    results: list[tuple[float, int]] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                try:
                    fan, text = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                headers = {"Authorization": f"Bearer {keys[fan.creator_id]}"}
                started = time.perf_counter()
                try:
                    response = await client.post(
                        f"/v1/fans/{fan.id}/drafts", json={"text": text}, headers=headers
                    )
                    status = response.status_code
                except httpx.TransportError:
                    status = 0
                results.append(((time.perf_counter() - started) * 1000, status))

        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results, time.perf_counter() - started


def _keys(data: BenchData) -> dict[UUID, str]:
    """A chatter of each creator with a fresh key (revoked when the run ends)."""
    keys = {}
    with psycopg.connect(data.target.admin_url, autocommit=True) as admin:
        for creator in data.creators:
            email = f"bench-chatter-{creator}@bench.invalid"
            add_user(admin, email, "Bench chatter", creator, "chatter")
            keys[creator] = create_key(admin, email, f"bench {uuid.uuid4().hex[:8]}")
    return keys


def _revoke(data: BenchData, keys: dict[UUID, str]) -> None:
    with psycopg.connect(data.target.admin_url, autocommit=True) as admin:
        for key in keys.values():
            revoke_key(admin, key[:PREFIX_SHOWN])


@contextlib.contextmanager
def _server(data: BenchData, port: int, variant: Variant) -> Iterator["subprocess.Popen[bytes]"]:
    env = {
        **os.environ,
        "FANAGENT_BENCH_ADMIN_URL": data.target.admin_url,
        "FANAGENT_BENCH_APP_URL": data.target.app_url,
        "HF_HUB_OFFLINE": "1",
    }
    command = [
        sys.executable, "-m", "bench.serve", "--port", str(port),
        "--anchor", data.anchor.isoformat(), *variant.arguments(),
    ]  # fmt: skip
    with serving(command, env, port, timeout_s=300) as server:
        yield server


def cpu(server_pid: int, data: BenchData) -> dict[str, float]:
    """CPU seconds so far of the server process, the database server's processes (when it
    runs here) and this process."""
    return {
        "server": _process_cpu(server_pid),
        "postgres": sum(_process_cpu(pid) for pid in _postgres_pids(data)),
        "client": sum(os.times()[:2]),
    }


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _postgres_pids(data: BenchData) -> list[int]:
    """The postmaster of the benchmark's database and its children, if it runs here: its
    background processes, and the backends of this database (not of others on the server)."""
    try:
        with psycopg.connect(data.target.admin_url) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
            database = conn.info.dbname
        postmaster = int((Path(str(row[0])) / "postmaster.pid").read_text().split()[0])  # type: ignore[index]
    except (OSError, psycopg.Error, ValueError):
        return []
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == postmaster and _ours(entry, database):
                pids.append(int(entry.name))
    return pids


def _ours(process: Path, database: str) -> bool:
    """A background process, or a backend connected to `database`."""
    try:
        title = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    backend = "[local]" in title or "(" in title  # postgres: user database host STATE
    return not backend or f" {database} " in title
