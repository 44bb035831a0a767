"""`fanagent draft` and `fanagent approvals` as a user runs them: the real CLI entry point on a
database of its own. The draft replays the recording of test_draft_recorded.py: the same world
and message give the same requests, whichever entry point sends them."""

import asyncio
import json
from collections.abc import Iterator
from uuid import UUID

import pytest

import agent.commands
import cli
from agent.service import DraftRequest
from db import migrate
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from tests.agent.conftest import running
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import action_status
from tests.agent.test_draft_recorded import (
    CASSETTE,
    FAN,
    LLAMA_SERVER,
    MESSAGE,
    RECORDING_KEY,
    build_world,
)
from tests.agent.test_gate import ppv_offer
from tests.llm.conftest import cassette_vcr
from tests.pg import fresh_database
from tests.tools.world import Creator, build_creator


@pytest.fixture
def own_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseTarget]:
    """A migrated database the CLI finds through DATABASE_URL, with the recorded model."""
    with fresh_database("cli") as target:
        migrate.migrate(target.admin_url)
        monkeypatch.setenv("DATABASE_URL", target.admin_url)
        for name, value in {
            "BACKEND": "openai",
            "MODEL": "SmolLM2-135M-Instruct",
            "OPENAI_BASE_URL": LLAMA_SERVER,
            "OPENAI_API_KEY": RECORDING_KEY,
            "OPENAI_JSON_MODE": "json_object",
            "PROFILE": "compact",
        }.items():
            monkeypatch.setenv(f"FANAGENT_LLM_{name}", value)
        yield target


def test_draft_prints_the_draft_intents_memories_and_timings(
    own_database: DatabaseTarget,
    embedder: LocalEmbedder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_world(own_database, embedder)
    with cassette_vcr.use_cassette(str(CASSETTE)):
        code = cli.main(["draft", "--fan", str(FAN), "--message", MESSAGE, "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["outcome"] == "drafted"
    assert printed["draft"] and printed["violations"] == []
    assert [i["signal"] for i in printed["intents"]] == ["emotional_support"]
    assert printed["memories"][0]["body"] == "Has a dog named Biscuit"
    assert set(printed["timings_ms"]) >= {"context", "recall", "classify", "model", "total"}


def test_draft_for_an_unknown_fan_fails_clearly(
    own_database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["draft", "--fan", str(UUID(int=7)), "--message", "hi"])
    assert code == 1
    assert f"no fan {UUID(int=7)}" in capsys.readouterr().err


def test_approvals_list_and_show(
    own_database: DatabaseTarget, embedder: LocalEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    creator: Creator = build_creator(own_database)
    media = str(creator.media["Shower video"])
    offer = ("send_ppv_offer", {"media_id": media, "price": 15, "message": "for you"})
    model = ScriptedChatModel([calls(offer)])

    async def queue_one() -> str:
        async with running(own_database, model, embedder) as service:
            outcome = await service.draft(DraftRequest(creator.id, creator.fan))
        return str(outcome.pending[0]["id"])

    action_id = asyncio.run(queue_one())
    assert cli.main(["approvals", "list", "--creator", str(creator.id)]) == 0
    listed = capsys.readouterr().out
    assert action_id in listed and "pending" in listed and "send_ppv_offer" in listed
    assert cli.main(["approvals", "show", action_id]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["args"]["price"] == 15 and shown["status"] == "pending"
    assert cli.main(["approvals", "reject", str(UUID(int=9)), "--reason", "no"]) == 1
    assert "no queued action" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "printed_status"),
    [("approve", "executed"), ("edit", "executed"), ("reject", "rejected (not today)")],
)
def test_each_decision_prints_the_action_and_the_reply_and_exits_0(
    database: DatabaseTarget,
    embedder: LocalEmbedder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    printed_status: str,
) -> None:
    creator = build_creator(database)
    model = ScriptedChatModel([calls(ppv_offer(creator)), says("talk soon")])
    monkeypatch.setenv("DATABASE_URL", database.admin_url)
    monkeypatch.setattr(
        agent.commands, "open_service", lambda target: running(target, model, embedder)
    )

    async def queue_one() -> str:
        async with running(database, model, embedder) as service:
            request = DraftRequest(creator.id, creator.fan, message_id=creator.inbound)
            outcome = await service.draft(request)
        return str(outcome.pending[0]["id"])

    action_id = asyncio.run(queue_one())
    options = {
        "approve": [],
        "edit": ["--args", json.dumps(ppv_offer(creator, price=20)[1])],
        "reject": ["--reason", "not today"],
    }[command]
    assert cli.main(["approvals", command, action_id, *options]) == 0
    action_line, *reply = capsys.readouterr().out.splitlines()
    assert action_line.startswith(f"action {action_id} send_ppv_offer(")
    assert action_line.endswith(f": {printed_status}")
    assert ('"price": 20' in action_line) == (command == "edit")
    assert reply[:2] == ["draft (drafted):", "  talk soon"]
    assert action_status(database, creator.id, action_id) == printed_status.split()[0]
