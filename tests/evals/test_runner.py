"""The eval runner end to end: offline replay of the recorded cases against the committed
baseline, a deliberately broken prompt failing the gate, two versions compared."""

import asyncio
import json
from pathlib import Path

import pytest

from evals.baseline import compare, regressions
from evals.commands import main
from evals.models import stub_chat_model
from evals.progress import Progress
from evals.runner import RunOptions, run
from tests.evals.conftest import broken_copy


def test_the_replayed_suites_pass_against_the_baseline_and_write_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    status = main(
        ["run", "--replay", "--suite", "intents", "--suite", "safety", "--out", str(out), "--quiet"]
    )
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert "PASS" in printed
    results = json.loads((out / "results.json").read_text())
    cases = results["suites"]["safety"]["cases"]
    assert len(cases) == 36 and all(c["status"] == "ok" for c in cases)
    assert sum(c["by_model"] for c in cases) == 12  # the recorded ones, answered by the cassette
    assert results["metrics"]["gate.unapproved_actions"]["value"] == 0
    assert results["metrics"]["safety.leaks"]["value"] == 0
    report = (out / "report.md").read_text()
    assert "Verdict: **PASS**" in report and "intent_f1.png" in report
    for chart in ("intent_f1.png", "calibration.png", "suites.png"):
        assert (out / chart).stat().st_size > 1000


def test_the_compact_prompt_replays_from_its_own_cassettes_against_its_own_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    args = ["--profile", "compact", "--suite", "safety", "--out", str(out), "--quiet"]
    status = main(["run", "--replay", *args])
    printed = capsys.readouterr().out
    assert status == 0, printed
    results = json.loads((out / "results.json").read_text())
    assert results["options"]["profile"] == "compact"
    cases = results["suites"]["safety"]["cases"]
    drafted = [c for c in cases if c["by_model"]]
    assert len(drafted) == 12 and all(c["status"] == "ok" for c in cases)
    for case in drafted:
        [first, *_] = case["requests"]
        assert first["tools"] == []  # no tool schemas for a small model
        assert first["messages"][0]["role"] == "system"
        assert "texting your fan" in first["messages"][0]["content"]
    metrics = results["metrics"]
    assert metrics["guard.markup"]["value"] == 0
    assert metrics["prompt.data_tagged_rate"]["value"] == 1
    assert "`baseline-compact.json`" in (out / "report.md").read_text()


def test_a_broken_prompt_fails_the_run_with_replay_misses_and_regressions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = broken_copy(tmp_path / "templates", "v1")  # v1, changed in place
    out = tmp_path / "report"
    status = main(
        [
            "run",
            "--replay",
            "--suite",
            "safety",
            "--case",
            "saf-001",  # recorded
            "--case",
            "saf-003",  # drafted by the stub
            "--prompts-dir",
            str(templates),
            "--out",
            str(out),
            "--quiet",
        ]
    )
    printed = capsys.readouterr().out
    assert status == 1
    assert "REPLAY MISS in 1 case(s) (safety/saf-001" in printed
    assert "REGRESSION prompt.persona_rules_rate" in printed
    assert "REGRESSION prompt.warning_rate" in printed
    assert "REGRESSION safety.replay_misses" in printed
    report = (out / "report.md").read_text()
    assert "Verdict: **FAIL**" in report and "Replay misses" in report


def test_compare_puts_two_versions_side_by_side_and_flags_the_worse_one(
    good_and_broken: Path,
) -> None:
    def with_version(version: str) -> RunOptions:
        return RunOptions(
            suites=("personas",),
            mode="live",
            prompt_version=version,
            templates_dir=good_and_broken,
            cases=("per-001", "per-002", "per-003"),
        )

    async def both() -> tuple[dict[str, object], dict[str, object]]:
        quiet = Progress(quiet=True)
        first = await run(with_version("v1"), quiet, chat_model=stub_chat_model())
        second = await run(with_version("v2"), quiet, chat_model=stub_chat_model())
        return first.metrics, second.metrics  # type: ignore[return-value]

    first, second = asyncio.run(both())
    bad = {c.name for c in regressions(compare(second, first))}  # type: ignore[arg-type]
    assert bad == {"prompt.persona_rules_rate", "prompt.warning_rate"}


def test_compare_from_the_command_line_reports_the_missing_recordings_of_a_new_version(
    good_and_broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "compare"
    status = main(
        [
            "run",
            "--replay",
            "--compare",
            "v1",
            "v2",
            "--prompts-dir",
            str(good_and_broken),
            "--suite",
            "personas",
            "--case",
            "per-001",
            "--case",
            "per-006",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert status == 1
    assert "1 replay miss(es)" in capsys.readouterr().out  # v2 has no cassettes
    report = (out / "report.md").read_text()
    assert "| metric | v1 | v2 |" in report
    assert "prompt.persona_rules_rate" in report and "REGRESSION" in report


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--replay", "--backend", "ollama"]) == 2
    assert main(["run", "--replay", "--prompt-version", "v999"]) == 2
    assert "no prompt version" in capsys.readouterr().err


def test_fanagent_evals_is_the_same_command(capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main as fanagent

    assert fanagent(["evals", "list"]) == 0
    printed = capsys.readouterr().out
    assert "memory: 86 cases, 12 recorded" in printed
    assert fanagent(["evals", "run", "--replay", "--backend", "ollama"]) == 2
