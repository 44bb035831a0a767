"""Fan identity: a fan profile found or created from a platform account.

(creator_id, platform, platform_fan_id) is the dedup key: the same platform identity always
resolves to the same account and fan, also when two requests create it at the same moment.
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg

SELECT_ACCOUNT = """
SELECT id, fan_id FROM fan_platform_accounts
WHERE creator_id = %(creator_id)s AND platform = %(platform)s
  AND platform_fan_id = %(platform_fan_id)s
"""
INSERT_FAN = """
INSERT INTO fan_profiles (creator_id, display_name) VALUES (%(creator_id)s, %(display_name)s)
RETURNING id
"""
INSERT_ACCOUNT = """
INSERT INTO fan_platform_accounts (creator_id, fan_id, platform, platform_fan_id, username)
VALUES (%(creator_id)s, %(fan_id)s, %(platform)s, %(platform_fan_id)s, %(username)s)
ON CONFLICT (creator_id, platform, platform_fan_id) DO NOTHING
RETURNING id, fan_id
"""


@dataclass(frozen=True)
class ResolvedAccount:
    account_id: UUID
    fan_id: UUID
    created: bool


class _LostRace(Exception):
    """Another transaction created the same account first; our new profile is rolled back."""


def resolve_platform_account(
    conn: psycopg.Connection[Any],
    creator_id: UUID,
    platform: str,
    platform_fan_id: str,
    display_name: str,
    username: str | None = None,
) -> ResolvedAccount:
    """The account for this platform identity, creating it and its fan profile if new.

    Runs in the caller's creator scope (a transaction with app.creator_id set).
    """
    params = {
        "creator_id": creator_id,
        "platform": platform,
        "platform_fan_id": platform_fan_id,
        "display_name": display_name,
        "username": username,
    }
    existing = conn.execute(SELECT_ACCOUNT, params).fetchone()
    if existing is not None:
        return ResolvedAccount(existing[0], existing[1], created=False)
    try:
        with conn.transaction():  # a savepoint: losing the race undoes only the new profile
            fan = conn.execute(INSERT_FAN, params).fetchone()
            assert fan is not None
            created = conn.execute(INSERT_ACCOUNT, {**params, "fan_id": fan[0]}).fetchone()
            if created is None:
                raise _LostRace
            return ResolvedAccount(created[0], created[1], created=True)
    except _LostRace:
        winner = conn.execute(SELECT_ACCOUNT, params).fetchone()
        assert winner is not None
        return ResolvedAccount(winner[0], winner[1], created=False)
