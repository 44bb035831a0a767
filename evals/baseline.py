"""The committed baseline (evals/baseline.json) and the regression gate.

A run's figure is a regression when it is worse than the baseline's by more than the metric's
tolerance (evals/metrics.py; a baseline entry may carry its own "tolerance"), or when it is not
the value the metric requires. Figures computed on a different number of cases are shown, not
compared. `--compare V1 V2` uses the same rules with V1's figures as the baseline.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from evals.metrics import Metric, spec_of

BASELINE = Path(__file__).resolve().parent / "baseline.json"
COMPACT_BASELINE = BASELINE.with_name("baseline-compact.json")  # the small model's prompt
EPSILON = 1e-6  # the baseline keeps 6 decimals: a figure within rounding of it is equal

Verdict = Literal["ok", "improved", "regression", "info", "new", "not_compared"]


@dataclass(frozen=True)
class Comparison:
    name: str
    value: float
    n: int
    baseline: float | None
    baseline_n: int | None
    verdict: Verdict
    reason: str = ""

    @property
    def delta(self) -> float | None:
        return None if self.baseline is None else self.value - self.baseline


@dataclass(frozen=True)
class Baseline:
    metrics: dict[str, Metric]
    tolerances: dict[str, float]  # per-metric overrides of the spec's tolerance
    about: dict[str, Any]


def load(path: Path = BASELINE) -> Baseline | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    metrics, tolerances = {}, {}
    for name, entry in data["metrics"].items():
        metrics[name] = Metric(float(entry["value"]), int(entry["n"]))
        if "tolerance" in entry:
            tolerances[name] = float(entry["tolerance"])
    return Baseline(metrics, tolerances, data.get("about", {}))


def save(
    metrics: dict[str, Metric],
    about: dict[str, Any],
    path: Path = BASELINE,
    keep: Baseline | None = None,
) -> None:
    """Writes `metrics` as the baseline, keeping any tolerance overrides of `keep`."""
    tolerances = keep.tolerances if keep else {}
    entries: dict[str, dict[str, Any]] = {}
    for name in sorted(metrics):
        spec = spec_of(name)
        if spec is None or (not spec.gated and spec.required is None):
            continue  # only what the gate compares
        entry: dict[str, Any] = {"value": round(metrics[name].value, 6), "n": metrics[name].n}
        if name in tolerances:
            entry["tolerance"] = tolerances[name]
        entries[name] = entry
    path.write_text(json.dumps({"about": about, "metrics": entries}, indent=2) + "\n", "utf-8")


def compare(
    current: dict[str, Metric],
    baseline: dict[str, Metric],
    tolerances: dict[str, float] | None = None,
) -> list[Comparison]:
    """Every figure of `current` against `baseline`, in name order."""
    tolerances = tolerances or {}
    return [
        _compare(name, current[name], baseline.get(name), tolerances.get(name))
        for name in sorted(current)
    ]


def _compare(name: str, metric: Metric, base: Metric | None, tolerance: float | None) -> Comparison:
    spec = spec_of(name)
    value, n = metric.value, metric.n
    base_value, base_n = (base.value, base.n) if base else (None, None)

    def verdict(kind: Verdict, reason: str = "") -> Comparison:
        return Comparison(name, value, n, base_value, base_n, kind, reason)

    if spec is None:
        return verdict("info", "no spec")
    if n == 0:
        return verdict("not_compared", "no cases")
    if spec.required is not None:
        if abs(value - spec.required) > EPSILON:
            return verdict("regression", f"must be {spec.required:g}")
        return verdict("ok")
    if base is None:
        return verdict("new")
    if base.n != n:
        return verdict("not_compared", f"on {n} cases, the baseline on {base.n}")
    if not spec.gated:
        return verdict("info")
    allowed = spec.tolerance if tolerance is None else tolerance
    if spec.relative:
        allowed *= abs(base.value)
    worse = base.value - value if spec.better == "higher" else value - base.value
    if worse > allowed + EPSILON:
        return verdict("regression", f"worse by {worse:.4g} (tolerance {allowed:.4g})")
    if worse < -EPSILON:
        return verdict("improved")
    return verdict("ok")


def regressions(comparisons: Sequence[Comparison]) -> list[Comparison]:
    return [c for c in comparisons if c.verdict == "regression"]
