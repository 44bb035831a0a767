"""`fanagent webhooks secret`: the secret is printed once, works, and rotates; secrets never
reach the logs."""

import argparse
import logging
import uuid

import pytest
from fastapi.testclient import TestClient

from auth.operator import run_command
from crm.webhooks.commands import register
from db.connect import DatabaseTarget
from tests.webhooks.helpers import Creator, event, post


@pytest.fixture(autouse=True)
def configured(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="fanagent")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(list(argv))
    return run_command(args.handler, args)


def secret_command(creator: Creator, platform: str, *extra: str) -> int:
    return run("webhooks", "secret", "--creator", str(creator.id), "--platform", platform, *extra)


def test_the_secret_is_printed_once_and_signs_deliveries(
    client: TestClient, creator: Creator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert secret_command(creator, "fanvue") == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("whsec_") and len(secret) > 40

    assert secret_command(creator, "fanvue") == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "--rotate" in printed.err

    response = post(client, creator.id, event("tip"), secret, platform="fanvue")
    assert response.status_code == 200


def test_rotating_replaces_the_secret_at_once(
    client: TestClient, creator: Creator, capsys: pytest.CaptureFixture[str]
) -> None:
    old = creator.secrets["onlyfans"]
    assert secret_command(creator, "onlyfans", "--rotate") == 0
    new = capsys.readouterr().out.strip()
    assert new != old
    assert post(client, creator.id, event("tip"), old).status_code == 401
    assert post(client, creator.id, event("tip"), new).status_code == 200


def test_an_unknown_creator_gets_no_secret(capsys: pytest.CaptureFixture[str]) -> None:
    unknown = Creator(uuid.uuid4(), {})
    assert secret_command(unknown, "onlyfans") == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "no creator" in printed.err


def test_a_secret_never_appears_in_the_logs(
    client: TestClient,
    creator: Creator,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    assert secret_command(creator, "fanvue") == 0
    secret = capsys.readouterr().out.strip()
    tip = event("tip")
    for response in (
        post(client, creator.id, tip, secret, platform="fanvue"),
        post(client, creator.id, tip, secret, platform="fanvue"),
        post(client, creator.id, event("tip"), secret),  # the wrong platform's secret
        post(client, creator.id, event("tip"), secret, platform="fanvue", timestamp=1),
        post(client, creator.id, event("tip", amount=-1), secret, platform="fanvue"),
        post(client, str(creator.id), event("tip"), None, platform="fanvue", signature=secret),
    ):
        assert response.status_code in (200, 401, 422)
    assert any(r.name == "fanagent.webhooks" for r in caplog.records)  # it did log
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert secret not in logged
    assert secret[len("whsec_") :] not in logged
