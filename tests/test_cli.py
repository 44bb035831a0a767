"""The exit status convention of `fanagent`, through its entry point: 2 when a command is called
wrongly, 1 when it is called right but cannot do it, each with a `fanagent: ` message."""

from uuid import UUID

import pytest

import cli
from db.connect import DatabaseTarget

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
