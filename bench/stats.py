"""Figures as the benchmarks report them: percentiles of timed samples, the machine's load while
they ran, and bench/results.json (each benchmark's latest figures, merged with what is there)."""

import datetime as dt
import json
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results.json"


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 (and the mean, the largest and the count) of samples in milliseconds."""
    if not samples_ms:
        return {"n": 0}
    values = np.asarray(samples_ms, dtype=np.float64)
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {
        "n": len(samples_ms),
        "p50_ms": round(float(p50), 2),
        "p95_ms": round(float(p95), 2),
        "p99_ms": round(float(p99), 2),
        "mean_ms": round(float(values.mean()), 2),
        "max_ms": round(float(values.max()), 2),
    }


def load() -> dict[str, float]:
    """The machine's load average (1, 5, 15 minutes) and how many CPUs it has."""
    one, five, fifteen = os.getloadavg()
    return {
        "load1": round(one, 2),
        "load5": round(five, 2),
        "load15": round(fifteen, 2),
        "cpus": os.cpu_count() or 0,
    }


@dataclass
class Stopwatch:
    """Named timings in milliseconds, added to per sample."""

    samples: dict[str, list[float]] = field(default_factory=dict)

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, (time.perf_counter() - started) * 1000)

    def add(self, name: str, ms: float) -> None:
        self.samples.setdefault(name, []).append(ms)

    def summary(self) -> dict[str, dict[str, float]]:
        return {name: percentiles(values) for name, values in self.samples.items()}


def stamp(figures: dict[str, Any], load_before: dict[str, float]) -> dict[str, Any]:
    """The figures with when they were taken and the load before and after."""
    return {
        **figures,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_before": load_before,
        "load_after": load(),
    }


def write_results(section: str, figures: dict[str, Any], path: Path = RESULTS) -> None:
    """Updates `section` of the results file with `figures` (a benchmark's figures replace its
    previous ones; other benchmarks' and other sections are kept)."""
    try:
        current = json.loads(path.read_text("utf-8")) if path.exists() else {}
    except json.JSONDecodeError:
        current = {}
    current[section] = {**current.get(section, {}), **figures, "machine": _machine()}
    path.write_text(json.dumps(current, indent=2, sort_keys=True, default=str) + "\n", "utf-8")


def _machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "host": platform.node()}
