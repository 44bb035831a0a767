"""The SQL of webhook_secrets (one secret per creator and platform) and webhook_events (every
event received, unique per creator, platform and event id).

Every function runs in the caller's `db.connect.creator_scope`: row-level security shows only
that creator's rows, and inserts take the creator from the scope. Secrets are returned to the
caller and never logged here.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

SELECT_SECRET = """
SELECT secret FROM webhook_secrets
WHERE creator_id = app_current_creator() AND platform = %(platform)s
"""  # noqa: S105 (SQL, no secret)
CREATE_SECRET = """
INSERT INTO webhook_secrets (creator_id, platform, secret)
VALUES (app_current_creator(), %(platform)s, %(secret)s)
ON CONFLICT (creator_id, platform) DO NOTHING
RETURNING platform
"""  # noqa: S105 (SQL, no secret)
ROTATE_SECRET = """
INSERT INTO webhook_secrets (creator_id, platform, secret)
VALUES (app_current_creator(), %(platform)s, %(secret)s)
ON CONFLICT (creator_id, platform) DO UPDATE SET secret = EXCLUDED.secret, rotated_at = now()
RETURNING platform
"""  # noqa: S105 (SQL, no secret)
# The gate of idempotency: of two deliveries of one event, the second waits here for the first
# to commit and then inserts nothing.
RECORD_EVENT = """
INSERT INTO webhook_events (creator_id, fan_id, platform, event_id, type, occurred_at, payload)
VALUES (app_current_creator(), %(fan_id)s, %(platform)s, %(event_id)s, %(type)s,
        %(occurred_at)s, %(payload)s::jsonb)
ON CONFLICT (creator_id, platform, event_id) DO NOTHING
RETURNING id
"""


def secret_for(conn: psycopg.Connection[Any], platform: str) -> str | None:
    """The scope's creator's secret for `platform`, None when there is none."""
    row = conn.execute(SELECT_SECRET, {"platform": platform}).fetchone()
    return None if row is None else str(row[0])


def create_secret(conn: psycopg.Connection[Any], platform: str, secret: str) -> bool:
    """Stores `secret` unless the platform has one already; whether it was stored."""
    row = conn.execute(CREATE_SECRET, {"platform": platform, "secret": secret}).fetchone()
    return row is not None


def rotate_secret(conn: psycopg.Connection[Any], platform: str, secret: str) -> None:
    """Stores `secret` in place of the platform's secret (the old one stops working at once)."""
    conn.execute(ROTATE_SECRET, {"platform": platform, "secret": secret})


def record_event(
    conn: psycopg.Connection[Any],
    *,
    fan_id: UUID,
    platform: str,
    event_id: str,
    type_: str,
    occurred_at: datetime,
    payload: str,
) -> bool:
    """Records the event; False when it was recorded before (a replay: write nothing else)."""
    params = {
        "fan_id": fan_id,
        "platform": platform,
        "event_id": event_id,
        "type": type_,
        "occurred_at": occurred_at,
        "payload": payload,
    }
    return conn.execute(RECORD_EVENT, params).fetchone() is not None
