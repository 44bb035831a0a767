"""The last line of the outbound guard: a send decided past the earlier checks (here, claimed
straight in the database, as a crash or an older rule could leave it) fails when it runs, with
the guard's reason on the action, nothing in the outbox, and the block logged."""

import asyncio
from uuid import UUID

from agent.gate import queue
from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from tests.agent.conftest import FIXED_NOW, running
from tests.agent.fakes import ScriptedChatModel, says
from tests.agent.rows import action_status, outbox, rows
from tests.agent.test_gate import request
from tests.tools.world import Creator


def test_a_decided_send_the_guard_blocks_fails_when_it_runs(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([says("miss you too")])
    zelle = "zelle me the $40 instead"

    async def scenario() -> UUID:
        async with running(database, model, embedder) as service:
            drafted = await service.draft(request(database, creator_a, "miss you"))
            assert drafted.draft_id is not None
            sent = service.send(
                creator_a.id, UUID(drafted.draft_id), "miss you more", user_id=None, role="chatter"
            )
            with app_connection(database) as conn, creator_scope(conn, creator_a.id):
                edited = {"text": zelle}
                assert queue.decide(
                    conn,
                    sent.action.id,
                    "edited",
                    now=FIXED_NOW,
                    decided_by=None,
                    edited_args=edited,
                )
            assert await service.sweep() == 1
            return sent.action.id

    action_id = asyncio.run(scenario())
    assert action_status(database, creator_a.id, str(action_id)) == "failed"
    [(error,)] = rows(
        database, creator_a.id, "SELECT error FROM hitl_action_queue WHERE id = %s", action_id
    )
    assert error.startswith("blocked by the outbound guard: the message asks for payment")
    assert outbox(database, creator_a.id) == []
    logged = rows(
        database,
        creator_a.id,
        "SELECT path, category, matched, body, action_id FROM outbound_guard_blocks",
    )
    assert logged == [("execution", "off_platform_payment", "zelle", zelle, action_id)]
