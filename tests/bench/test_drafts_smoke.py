"""`fanagent bench drafts` on a tiny demo database with an instant model in place of the
embedded one: every figure is there and printed, a guard-refused reply leaves suggestions (still
sendable) and no draft. Not a measurement: the model answers at once."""

import asyncio
import re

import pytest

from agent.llm.fixed import FixedReplyChatModel
from bench import drafts
from bench.instant import HashEmbedder, instant_chat_model, intents_for
from db import migrate
from tests.pg import fresh_database

RUNS = drafts.Runs(per_group=2)


def test_drafts_print_their_figures(capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashEmbedder()  # MiniLM takes longer to load than this whole test may run
    intents = intents_for(embedder)
    escaped = FixedReplyChatModel("&lt;b&gt;hey&lt;/b&gt; babe", "bench:escaped")
    with fresh_database("bench") as target:
        migrate.migrate(target.admin_url)
        drafts.seed(target, creators=1, fans_per_creator=12, embedder=embedder)
        result = asyncio.run(
            drafts.measure(
                target, RUNS, chat_model=instant_chat_model(), embedder=embedder, intents=intents
            )
        )
        refused = asyncio.run(
            drafts.measure(target, RUNS, chat_model=escaped, embedder=embedder, intents=intents)
        )
    drafts.print_figures(result, print, "load 0.00 -> 0.00 on 2 CPUs")
    printed = capsys.readouterr().out.splitlines()

    assert result["profile"] == "compact"
    rows = result["drafts"]
    assert [row["group"] for row in rows] == ["plain", "price"] * 2
    buying = {row["signal"] for row in rows if row["group"] == "price"}
    assert buying == {"discount_request", "ready_to_buy"}  # the price question warmed up
    for row in rows:
        assert row["outcome"] == "drafted" and row["draft"] and row["sendable"]
        assert row["first_token_ms"] is not None and row["first_token_ms"] <= row["complete_ms"]
        assert row["model_calls"] == 1 and row["first_prompt_tokens_cl100k"] > 0
        assert not row["contaminated"] and row["findings"] == []
    plain = result["groups"]["plain"]
    assert plain["drafts"] == 2 and plain["complete_ms"]["n"] == 2
    assert plain["first_token_ms"]["p50"] <= plain["first_token_ms"]["p90"]
    assert result["sendable_share"] == 1.0 and result["contaminated"] == 0
    assert result["met"]["contaminated"] and result["met"]["sendable_share"]

    # The escaped reply is refused, sampled again, refused: no draft, the suggestions remain.
    for row in refused["drafts"]:
        assert row["outcome"] == "no_usable_draft" and row["draft"] == ""
        assert "markup" in row["refusals"] and row["replaced"] >= 1
        assert row["suggestions"] and row["sendable"]
    assert refused["contaminated"] == 0 and refused["sendable_share"] == 1.0

    assert printed[0].startswith("drafts with the embedded model (bench:instant, compact, load")
    assert re.search(r"plain 2 drafts  outcomes \{'drafted': 2\}", printed[2])
    assert re.search(r"first token [\d.]+ / [\d.]+ / [\d.]+ s   \[<= 1.5 s: met\]", printed[3])
    assert "  sendable (a draft, or >= 1 suggestion): 4 / 4 = 100%   [>= 95%: met]" in printed
    assert sum(line.startswith("      -> ") for line in printed) == len(rows)
