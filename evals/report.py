"""An eval run written down: results.json (every figure and every case) and report.md (the
figures against the baseline, charts, failed cases and the model's drafts) in one folder."""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals import plots
from evals.baseline import Comparison, regressions
from evals.metrics import Metric, spec_of
from evals.observe import CaseRun
from evals.runner import RunResult
from evals.scorers import safety
from evals.suites import GRAPH_SUITES, INTENTS

MISS_HINT = (
    "The prompts these cases render are not in the cassettes: a prompt template, the persona "
    "rendering, the tools offered or the world changed since the recording. Look at the change; "
    "if it is intended, re-record with `fanagent evals run --record` against the embedded model "
    "(evals/README.md) and commit the new cassettes with a new baseline."
)


def results_json(result: RunResult, comparisons: Sequence[Comparison]) -> dict[str, Any]:
    return {
        "started": result.started,
        "model": result.model,
        "options": result.options.as_json(),
        "metrics": {k: {"value": m.value, "n": m.n} for k, m in sorted(result.metrics.items())},
        "comparison": [_comparison_json(c) for c in comparisons],
        "suites": {
            name: {
                "error": suite.error,
                "details": suite.details,
                "cases": [run.as_json() for run in suite.runs],
            }
            for name, suite in result.suites.items()
        },
    }


def _comparison_json(c: Comparison) -> dict[str, Any]:
    return {
        "metric": c.name,
        "value": c.value,
        "n": c.n,
        "baseline": c.baseline,
        "baseline_n": c.baseline_n,
        "verdict": c.verdict,
        "reason": c.reason,
    }


def write(result: RunResult, comparisons: Sequence[Comparison], folder: Path, against: str) -> Path:
    """Writes the run's folder; returns the report's path. `against` names the baseline."""
    folder.mkdir(parents=True, exist_ok=True)
    data = results_json(result, comparisons)
    (folder / "results.json").write_text(json.dumps(data, indent=1, default=str) + "\n", "utf-8")
    images = _charts(result, folder)
    lines = _header(result, comparisons, against)
    lines += _figures(result, comparisons, images)
    lines += _failed(result)
    lines += _drafts(result)
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def write_compare(
    results: dict[str, RunResult], comparisons: Sequence[Comparison], folder: Path
) -> Path:
    """Two prompt versions side by side; the second judged against the first."""
    folder.mkdir(parents=True, exist_ok=True)
    (first, a), (second, b) = results.items()
    data: dict[str, Any] = {name: results_json(r, []) for name, r in results.items()}
    data["comparison"] = {
        "baseline": first,
        "run": second,
        "rows": [_comparison_json(c) for c in comparisons],
    }
    (folder / "results.json").write_text(json.dumps(data, indent=1, default=str) + "\n", "utf-8")
    charted = plots.overview({n: r.metrics for n, r in results.items()}, folder / "suites.png")
    bad = regressions(comparisons)
    lines = [
        f"# Prompt versions {first} and {second}",
        "",
        f"- Mode: {a.options.mode}; model: {a.model}",
        f"- Verdict: **{'FAIL' if bad or a.misses() or b.misses() else 'PASS'}**: "
        f"{len(bad)} figure(s) of {second} worse than {first} beyond their tolerance.",
        "",
        f"| metric | {first} | {second} | Δ | verdict |",
        "|---|---|---|---|---|",
    ]
    for c in comparisons:
        if c.verdict == "info" and c.name.startswith("intents.f1."):
            continue
        before = "—" if c.baseline is None else _fmt(c.name, c.baseline)
        delta = "" if c.delta is None else f"{c.delta:+.3g}"
        lines.append(
            f"| {c.name} | {before} | {_fmt(c.name, c.value)} (n={c.n}) | {delta} | {_verdict(c)} |"
        )
    if charted:
        lines += ["", "![main rates per version](suites.png)"]
    for name, r in results.items():
        if r.misses():
            lines += ["", f"**{name}: {len(r.misses())} replay miss(es).** {MISS_HINT}"]
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _charts(result: RunResult, folder: Path) -> dict[str, str]:
    images: dict[str, str] = {}
    intents = result.suites.get(INTENTS)
    if intents is not None and intents.details:
        plots.intent_f1(intents.details["per_label"], folder / "intent_f1.png")
        plots.calibration(intents.details["calibration"], folder / "calibration.png")
        images[INTENTS] = "![F1 per signal](intent_f1.png) ![calibration curve](calibration.png)"
    if plots.overview({"this run": result.metrics}, folder / "suites.png"):
        images["overview"] = "![main rates of the drafting suites](suites.png)"
    return images


def _header(result: RunResult, comparisons: Sequence[Comparison], against: str) -> list[str]:
    options = result.options
    bad = regressions(comparisons)
    misses = result.misses()
    passed = not bad and not misses
    counts = []
    for name, suite in result.suites.items():
        if name == INTENTS:
            n = result.metrics.get("intents.macro_f1", Metric(0, 0)).n
            counts.append(f"{name} {n} test messages")
        else:
            drafted = sum(r.by_model for r in suite.runs)
            counts.append(f"{name} {len(suite.runs)} cases ({drafted} drafted by the model)")
    templates = f" from {options.templates_dir}" if options.templates_dir else ""
    lines = [
        f"# Eval run {result.started}",
        "",
        f"- Mode: **{options.mode}**; model under test: `{result.model}`; prompt version "
        f"**{options.prompt_version}**{templates}; LLM judge: {'on' if options.judge else 'off'}",
        f"- Cases: {'; '.join(counts)}",
        f"- Compared with: {against}",
        f"- Verdict: **{'PASS' if passed else 'FAIL'}**: {len(bad)} regression(s), "
        f"{len(misses)} replay miss(es), {len(result.failures())} failed case(s), "
        f"{len(result.model_failures())} draft(s) the model could not produce",
        "",
    ]
    if misses:
        lines += [f"**Replay misses.** {MISS_HINT}", ""]
    if bad:
        lines += ["## Regressions", "", "| metric | value | baseline | why |", "|---|---|---|---|"]
        lines += [
            f"| {c.name} | {_fmt(c.name, c.value)} (n={c.n}) | "
            f"{'—' if c.baseline is None else _fmt(c.name, c.baseline)} | {c.reason} |"
            for c in bad
        ]
        lines.append("")
    return lines


def _figures(
    result: RunResult, comparisons: Sequence[Comparison], images: dict[str, str]
) -> list[str]:
    by_name = {c.name: c for c in comparisons}
    lines = ["## Figures", ""]
    groups = [*result.suites, "guard", "prompt", "gate"]
    for group in groups:
        names = sorted(k for k in result.metrics if k.split(".")[0] == group)
        if not names:
            continue
        suite = result.suites.get(group)
        lines += [f"### {group}", ""]
        if suite is not None and suite.error:
            lines += [f"The suite did not run: {suite.error}", ""]
        if group in GRAPH_SUITES:
            lines += [
                GRAPH_SUITES[group].description[:1].upper()
                + GRAPH_SUITES[group].description[1:]
                + ".",
                "",
            ]
        lines += [
            "| metric | value | n | baseline | Δ | verdict | meaning |",
            "|---|---|---|---|---|---|---|",
        ]
        for name in names:
            if name.startswith("intents.f1."):
                continue  # in the chart
            metric = result.metrics[name]
            c = by_name.get(name)
            base = "—" if c is None or c.baseline is None else _fmt(name, c.baseline)
            delta = "" if c is None or c.delta is None else f"{c.delta:+.3g}"
            spec = spec_of(name)
            meaning = spec.description if spec else ""
            lines.append(
                f"| {name} | {_fmt(name, metric.value)} | {metric.n} | {base} | {delta} | "
                f"{_verdict(c) if c else ''} | {meaning} |"
            )
        lines.append("")
        if group in images:
            lines += [images[group], ""]
    if "overview" in images:
        lines += [images["overview"], ""]
    return lines


def _failed(result: RunResult) -> list[str]:
    failed = [r for s in result.suites.values() for r in s.runs if not r.ok]
    if not failed:
        return []
    lines = ["## Cases that did not run", ""]
    for run in failed:
        error = (run.error or "").splitlines()[0][:300]
        lines.append(f"- `{run.suite}/{run.case_id}` **{run.status}**: {error}")
    return [*lines, ""]


def _drafts(result: RunResult) -> list[str]:
    lines = ["## The model's drafts", ""]
    any_drafts = False
    for name, suite in result.suites.items():
        drafted = [r for r in suite.runs if r.drafted]
        if not drafted:
            continue
        any_drafts = True
        lines += [f"### {name}", "", "| case | draft | checks |", "|---|---|---|"]
        lines += [f"| {r.case_id} | {_cell(r.draft)} | {_cell(_checks(r))} |" for r in drafted]
        lines.append("")
    return lines if any_drafts else []


def _checks(run: CaseRun) -> str:
    """The case's verdicts in a few words."""
    s = run.scores.get(run.suite, {})
    parts: list[str] = []
    if run.suite == "memory":
        parts.append(f"target memory rank {s.get('rank')}")
        parts.append(f"used: {', '.join(s.get('used', [])) or 'no'}")
        if s.get("leaked_to_draft"):
            parts.append(f"other fan's words: {', '.join(s['leaked_to_draft'])}")
    elif run.suite == "personas":
        parts.append(f"model draft: {', '.join(s.get('first_violations', [])) or 'passes'}")
        parts.append(f"stored: {', '.join(s.get('final_violations', [])) or 'passes'}")
    elif run.suite == "tools":
        parts.append(f"expected {', '.join(s.get('expected', [])) or 'nothing'}")
        parts.append(f"called {', '.join(s.get('called', [])) or 'nothing'}")
        if s.get("argument_total"):
            parts.append(f"arguments {s['argument_hits']}/{s['argument_total']}")
    elif run.suite == "safety":
        failed = [k for k in safety.DRAFT_CHECKS if s.get(k)]
        if not s.get("prompt_ok", True):
            failed.insert(0, "prompt")
        parts.append("passes" if not failed else f"fails: {', '.join(failed)}")
    if run.judge:
        parts.append(f"judge {run.judge.get('score', 'n/a')}")
    return "; ".join(parts)


def _cell(text: str) -> str:
    flat = " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return flat[:220] + ("…" if len(flat) > 220 else "")


def _fmt(name: str, value: float) -> str:
    if name.endswith("_ms"):
        return f"{value:.0f}"
    if name.endswith("_usd"):
        return f"{value:.5f}"
    if value == int(value) and abs(value) >= 1:
        return f"{int(value)}"
    return f"{value:.3f}"


def _verdict(c: Comparison) -> str:
    marks = {
        "ok": "ok",
        "improved": "better",
        "regression": "**REGRESSION**",
        "info": "",
        "new": "new",
        "not_compared": "not compared",
    }
    return marks[c.verdict] + (f" ({c.reason})" if c.reason and c.verdict != "regression" else "")
