"""The service under load: the draft round trip (bench.roundtrip's server and clients: the real
app under uvicorn in its own process, the instant model) from 32 clients for a fixed time, and
the server's memory while 4 clients each stream it a 200 MB body.

- Drafts/s and latency at `concurrency` clients, and every answer that was not a 200 counted by
  its status (0: no answer, the connection failed or timed out); a 5xx is a failure.
- Bodies: `bodies` concurrent POSTs of `body_mb` MB (a JSON draft request whose text is that
  long) to /v1/fans/{fan}/drafts, sent from a generator (this process never holds one either),
  without a key and with a chatter's key, chunked and with their Content-Length declared. The
  app refuses a body over FANAGENT_MAX_BODY_BYTES (1 MB) with 413 before parsing it; what is
  measured is the server's VmRSS from /proc/<pid>/status, sampled every `sample_ms`, before and
  during each round, and the kernel's own peak (VmHWM, reset through /proc/<pid>/clear_refs
  before the round) as a check on what sampling could miss. Target: under +50 MB.

MB here is 2**20 bytes.
"""

import asyncio
import contextlib
import itertools
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import roundtrip, texts
from bench.data import BenchData, Fan
from bench.stats import percentiles

MB = 1024 * 1024
RSS_TARGET_MB = 50
MAX_RATE = 500  # drafts/s per client set: more than a run can send, so its time ends it
CHUNK = 256 * 1024  # bytes per piece of a streamed body
PREFIX, SUFFIX = b'{"text": "', b'"}'
FILL = b"x" * CHUNK
# (name, with a chatter's key, Content-Length declared)
ROUNDS = (
    ("chunked, no key", False, False),
    ("chunked, chatter key", True, False),
    ("Content-Length, no key", False, True),
    ("Content-Length, chatter key", True, True),
)


@dataclass(frozen=True)
class Settings:
    concurrency: int  # clients sending drafts
    seconds: float  # how long they send (after the warm-up)
    warmup: int  # drafts sent first, not counted
    bodies: int = 4  # concurrent large bodies per round
    body_mb: int = 200
    sample_ms: float = 20


def measure(data: BenchData, settings: Settings, variant: roundtrip.Variant) -> dict[str, Any]:
    fans = data.sample_fans(settings.warmup + int(settings.seconds * MAX_RATE), seed=37)
    work = list(zip(fans, texts.fan_messages(len(fans), seed=41), strict=True))
    clients = settings.concurrency
    with roundtrip.running(data, variant) as server:
        base, keys, pid = server.base, server.keys, server.process.pid
        warm = work[: settings.warmup]
        asyncio.run(roundtrip.clients(base, keys, warm, clients, settings.seconds))
        cpu_before = roundtrip.cpu(pid, data)
        timed = work[settings.warmup :]
        answers, elapsed = asyncio.run(
            roundtrip.clients(base, keys, timed, clients, settings.seconds)
        )
        cpu_after = roundtrip.cpu(pid, data)
        fan = fans[0]
        rounds = [
            {"round": name}
            | _round(
                data, pid, base, fan, keys[fan.creator_id] if keyed else None, declared, settings
            )
            for name, keyed, declared in ROUNDS
        ]
    ok = [ms for ms, status in answers if status == 200]
    statuses = Counter(status for _, status in answers)
    used = {name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_before}
    increase = max(r["increase_mb"] for r in rounds)
    return {
        "variant": variant.name,
        "server": variant.arguments(),
        "concurrency": clients,
        "seconds": settings.seconds,
        "elapsed_s": round(elapsed, 1),
        "drafts_per_s": round(len(ok) / elapsed, 1),
        "latency": percentiles(ok),
        "answers": len(answers),
        "not_200": {str(status): n for status, n in sorted(statuses.items()) if status != 200},
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "no_answer": statuses.get(0, 0),
        "cpu_s": used,
        "cpu_per_draft_ms": {
            name: round(seconds * 1000 / max(len(ok), 1), 2) for name, seconds in used.items()
        },
        "bodies": {
            "count": settings.bodies,
            "mb": settings.body_mb,
            "sample_ms": settings.sample_ms,
            "target_increase_mb": RSS_TARGET_MB,
            "largest_increase_mb": increase,
            "met": increase < RSS_TARGET_MB,
            "rounds": rounds,
        },
    }


def _round(
    data: BenchData,
    pid: int,
    base: str,
    fan: Fan,
    key: str | None,
    declared: bool,
    settings: Settings,
) -> dict[str, Any]:
    """`settings.bodies` large bodies at once; the server's RSS while they are sent, and its
    CPU seconds."""
    size = settings.body_mb * MB
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if declared:
        headers["Content-Length"] = str(size)
    cpu_before = roundtrip.cpu(pid, data)["server"]
    peak_reset = _reset_peak(pid)
    before_kb = _status_kb(pid, "VmRSS")
    started = time.perf_counter()
    with _sampling(pid, settings.sample_ms / 1000) as samples:
        posts = asyncio.run(
            _post_bodies(base, f"/v1/fans/{fan.id}/drafts", headers, settings.bodies, size)
        )
    elapsed = time.perf_counter() - started
    cpu_s = roundtrip.cpu(pid, data)["server"] - cpu_before
    sampled_peak_kb = max((kb for _, kb in samples), default=before_kb)
    kernel_peak_kb = _status_kb(pid, "VmHWM") if peak_reset else None
    peak_kb = max(sampled_peak_kb, kernel_peak_kb or 0)
    times = [at for at, _ in samples]
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(times)]
    return {
        "authenticated": key is not None,
        "content_length_declared": declared,
        "rss_before_mb": round(before_kb / 1024, 1),
        "rss_peak_sampled_mb": round(sampled_peak_kb / 1024, 1),
        "rss_peak_kernel_mb": None if kernel_peak_kb is None else round(kernel_peak_kb / 1024, 1),
        "increase_mb": round((peak_kb - before_kb) / 1024, 1),
        "samples": len(samples),
        "sample_gap_max_ms": round(max(gaps, default=0.0), 1),
        "elapsed_s": round(elapsed, 2),
        "server_cpu_s": round(cpu_s, 2),
        "posts": posts,
    }


async def _post_bodies(
    base: str, path: str, headers: dict[str, str], count: int, size: int
) -> list[dict[str, Any]]:
    """`count` POSTs of `size`-byte bodies at once: each one's status (0: no answer), seconds
    and how much of its body went out."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:

        async def post() -> dict[str, Any]:
            sent = [0]
            started = time.perf_counter()
            try:
                response = await client.post(path, content=_body(size, sent), headers=headers)
                status = response.status_code
            except httpx.TransportError:
                status = 0
            return {
                "status": status,
                "s": round(time.perf_counter() - started, 2),
                "sent_mb": round(sent[0] / MB, 1),
            }

        return await asyncio.gather(*(post() for _ in range(count)))


async def _body(size: int, sent: list[int]) -> AsyncIterator[bytes]:
    """A `size`-byte JSON draft request, {"text": "xxx...x"}, a piece at a time."""
    left = size - len(PREFIX) - len(SUFFIX)
    yield PREFIX
    sent[0] += len(PREFIX)
    while left > 0:
        piece = FILL if left >= CHUNK else FILL[:left]
        yield piece
        left -= len(piece)
        sent[0] += len(piece)
    yield SUFFIX
    sent[0] += len(SUFFIX)


@contextlib.contextmanager
def _sampling(pid: int, every_s: float) -> Iterator[list[tuple[float, int]]]:
    """(perf_counter, VmRSS kB) of `pid` every `every_s`, from a thread, while the block runs."""
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.perf_counter(), _status_kb(pid, "VmRSS")))
            done.wait(every_s)

    thread = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        done.set()
        thread.join()
        samples.append((time.perf_counter(), _status_kb(pid, "VmRSS")))


def _status_kb(pid: int, field: str) -> int:
    """A kB figure of /proc/<pid>/status (VmRSS, VmHWM); 0 when the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _reset_peak(pid: int) -> bool:
    """Resets the process's VmHWM to its current RSS (Linux: clear_refs 5); False if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
