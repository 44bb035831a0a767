"""The exit status convention of `fanagent`, through its entry point: 2 when a command is called
wrongly, 1 when it is called right but cannot do it, each with a `fanagent: ` message."""

import argparse
from collections.abc import Iterator
from uuid import UUID

import pytest

import cli
from db.connect import DatabaseTarget
from tests.api.test_me import handle
from tests.memory.helpers import new_creator

UNKNOWN = str(UUID(int=12345))


@pytest.fixture(autouse=True)
def use_the_test_database(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["db", "reset"], "fanagent: db reset deletes all data; run it again with --yes"),
        (["memories", "search", "trip"], "fanagent: give --fan"),
        (["personas", "show"], "fanagent: give --fan, --creator or both"),
    ],
)
def test_a_command_called_wrongly_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    printed = capsys.readouterr()
    assert printed.err.startswith(message) and printed.out == ""


def test_argparse_rejects_a_bad_value_with_2_too() -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["memories", "search", "--creator", UNKNOWN, "--limit", "0", "trip"])
    assert exited.value.code == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["memories", "list", "--fan", UNKNOWN], f"fanagent: no fan {UNKNOWN}"),
        (["approvals", "show", UNKNOWN], f"fanagent: no queued action {UNKNOWN}"),
        (["price", "--fan", UNKNOWN, "--media", UNKNOWN], f"fanagent: no fan {UNKNOWN}"),
    ],
)
def test_a_command_that_cannot_do_it_exits_1(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 1
    printed = capsys.readouterr()
    assert printed.err.startswith(message) and printed.out == ""


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command of the parser with its words, e.g. ("approvals", "list")."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def test_every_creator_option_takes_a_handle_or_an_id() -> None:
    options = [
        (words, action)
        for words, parser in _commands(cli.build_parser())
        for action in parser._actions
        if "--creator" in action.option_strings
    ]
    assert len(options) >= 15
    assert [words for words, action in options if action.metavar != "HANDLE|ID"] == []


@pytest.mark.parametrize("by", ["handle", "id"])
def test_a_creator_is_named_by_handle_or_id(
    database: DatabaseTarget, by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    creator, _ = new_creator(database, fans=2)
    name = handle(creator) if by == "handle" else str(creator)
    assert cli.main(["approvals", "list", "--creator", name]) == 0
    assert cli.main(["personas", "show", "--creator", name]) == 0
    assert capsys.readouterr().out.startswith("no queued actions\npersona: built in")


@pytest.mark.parametrize(
    "argv",
    [
        ["approvals", "list"],
        ["scores", "recompute"],
        ["scores", "refresh", "--fan", UNKNOWN],
        ["segments", "list"],
        ["inbox"],
        ["alerts"],
        ["price", "--fan", UNKNOWN, "--media", UNKNOWN],
        ["memories", "search", "trip"],
        ["memories", "embed-missing"],
        ["personas", "show"],
        ["webhooks", "secret", "--platform", "onlyfans"],
        ["users", "add", "--email", "a@example.com", "--name", "A", "--role", "chatter"],
    ],
)
@pytest.mark.parametrize("name", ["nobody-here", UNKNOWN])
def test_an_unknown_creator_exits_1_saying_so(
    argv: list[str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*argv, "--creator", name]) == 1
    printed = capsys.readouterr()
    assert printed.err == f"fanagent: no creator with handle or id {name}\n"
    assert printed.out == ""


def test_creators_list_shows_each_creator_with_its_fans(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    creator, _ = new_creator(database, fans=3)
    assert cli.main(["creators", "list"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if str(creator) in line]
    assert line.split() == [str(creator), handle(creator), "Creator", "(3", "fans)"]
