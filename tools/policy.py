"""Which actions wait for the creator's approval before they run.

By default everything that reaches the fan or moves money (DEFAULT_GATED); a creator may
override that per action (approval_policies). Reading never needs approval; an action this
version does not know always does. Every function runs in the caller's creator scope.
"""

from typing import Any

import psycopg

from tools.registry import READ_TOOLS, WRITE_TOOLS

DEFAULT_GATED = frozenset(
    {
        "send_message",
        "send_ppv_offer",
        "offer_discount",
        "accept_custom_request",
        "decline_custom_request",
    }
)

SELECT_OVERRIDES = "SELECT action, requires_approval FROM approval_policies"
UPSERT_OVERRIDE = """
INSERT INTO approval_policies (creator_id, action, requires_approval)
VALUES (app_current_creator(), %(action)s, %(requires_approval)s)
ON CONFLICT (creator_id, action) DO UPDATE SET requires_approval = EXCLUDED.requires_approval
"""


class UnknownActionName(ValueError):
    """A policy was set for something that is not a write tool."""


def requires_approval(conn: psycopg.Connection[Any], action: str) -> bool:
    """Whether the scoped creator approves `action` before it runs."""
    if action in READ_TOOLS:
        return False
    return effective_policy(conn).get(action, True)


def effective_policy(conn: psycopg.Connection[Any]) -> dict[str, bool]:
    """Every write tool and whether the scoped creator approves it before it runs."""
    overrides = dict(conn.execute(SELECT_OVERRIDES).fetchall())
    return {action: overrides.get(action, action in DEFAULT_GATED) for action in WRITE_TOOLS}


def set_policy(conn: psycopg.Connection[Any], action: str, requires_approval: bool) -> None:
    """Overrides the default for one write tool, for the scoped creator."""
    if action not in WRITE_TOOLS:
        raise UnknownActionName(
            f"{action!r} is not an action; one of: {', '.join(sorted(WRITE_TOOLS))}"
        )
    conn.execute(UPSERT_OVERRIDE, {"action": action, "requires_approval": requires_approval})
