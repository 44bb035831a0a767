"""(creator, platform, platform_fan_id) identifies one platform account, and so one fan."""

import threading
import uuid
from typing import Any

import psycopg
import pytest
from psycopg import errors

from crm.fans.accounts import ResolvedAccount, resolve_platform_account
from db.connect import DatabaseTarget, creator_scope
from tests.db.crm_rows import create_creator_with_everything


@pytest.fixture
def creator(database: DatabaseTarget) -> Any:
    return create_creator_with_everything(database)[0]


def _resolve(database: DatabaseTarget, creator: Any, platform_fan_id: str) -> ResolvedAccount:
    with psycopg.connect(database.app_url) as conn, creator_scope(conn, creator):
        return resolve_platform_account(conn, creator, "onlyfans", platform_fan_id, "Mike")


def _count(database: DatabaseTarget, creator: Any, platform_fan_id: str) -> tuple[int, int]:
    with psycopg.connect(database.admin_url) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT fan_id) FROM fan_platform_accounts"
            " WHERE creator_id = %s AND platform_fan_id = %s",
            [creator, platform_fan_id],
        ).fetchone()
        profiles = conn.execute(
            "SELECT count(*) FROM fan_profiles WHERE creator_id = %s", [creator]
        ).fetchone()
    assert row is not None and profiles is not None
    return row[0], profiles[0]


def test_the_same_account_twice_is_one_account_and_one_fan(
    database: DatabaseTarget, creator: Any
) -> None:
    first = _resolve(database, creator, "u-100")
    second = _resolve(database, creator, "u-100")
    assert first.created and not second.created
    assert (second.account_id, second.fan_id) == (first.account_id, first.fan_id)
    assert _count(database, creator, "u-100") == (1, 2)  # the fixture's fan plus this one


def test_racing_creations_still_give_one_account_and_no_orphan_profile(
    database: DatabaseTarget, creator: Any
) -> None:
    results: list[ResolvedAccount] = []
    start = threading.Barrier(6)

    def run() -> None:
        start.wait()
        results.append(_resolve(database, creator, "u-race"))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    assert len({(r.account_id, r.fan_id) for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert _count(database, creator, "u-race") == (1, 2)


def test_a_raw_duplicate_insert_is_rejected_by_the_unique_key(
    database: DatabaseTarget, creator: Any
) -> None:
    account = _resolve(database, creator, "u-raw")
    with (
        psycopg.connect(database.app_url) as conn,
        pytest.raises(errors.UniqueViolation),
        creator_scope(conn, creator),
    ):
        conn.execute(
            "INSERT INTO fan_platform_accounts (creator_id, fan_id, platform, platform_fan_id)"
            " VALUES (%s, %s, 'onlyfans', 'u-raw')",
            [creator, account.fan_id],
        )
    assert _count(database, creator, "u-raw") == (1, 2)


def test_the_same_platform_id_at_two_creators_is_two_fans(database: DatabaseTarget) -> None:
    creator_a = create_creator_with_everything(database)[0]
    creator_b = create_creator_with_everything(database)[0]
    platform_fan_id = f"shared-{uuid.uuid4().hex[:6]}"
    a = _resolve(database, creator_a, platform_fan_id)
    b = _resolve(database, creator_b, platform_fan_id)
    assert a.created and b.created and a.fan_id != b.fan_id
