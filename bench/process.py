"""A benchmark's server in a process of its own: a free port, started, waited for until its
/health answers, stopped afterwards."""

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(
    command: list[str],
    env: dict[str, str],
    port: int,
    *,
    timeout_s: float,
    log: IO[bytes] | None = None,
) -> Iterator["subprocess.Popen[bytes]"]:
    """Runs `command` from the project's root until http://127.0.0.1:`port`/health answers 200,
    yields it, and stops it. Its output goes to `log` when given, shown if it does not start."""
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                if log is not None:
                    log.seek(0)
                    sys.stderr.write(log.read().decode(errors="replace")[-4000:])
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.3)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
