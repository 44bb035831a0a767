"""Many approvals at once against the real PostgreSQL: the gate's per-thread locks use their own
connections, so concurrent resumes cannot starve the app pool that they and every route need."""

import time
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from httpx2 import Response

from db.connect import DatabaseTarget
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import executed, fan_writes, outbox, rows
from tests.api.test_drafts_and_approvals import offer
from tests.tools.world import Creator

APPROVALS = 32  # four times the app pool's 8 connections
WITHIN_S = 10.0


WANTS_MORE = "send me more pics like that, i'll buy"  # wants_more: the selling tools are offered


def test_32_concurrent_approvals_each_execute_once_and_routes_keep_answering(
    client: TestClient,
    model: ScriptedChatModel,
    database: DatabaseTarget,
    creator: Creator,
    owner: dict[str, str],
) -> None:
    model.replies += [calls(offer(creator)) for _ in range(APPROVALS)]
    model.otherwise = says("enjoy it babe")
    messages = [
        fan_writes(database, creator.id, creator.fan, f"{WANTS_MORE} ({n})")
        for n in range(APPROVALS)
    ]
    actions = []
    for message in messages:
        body = {"message_id": str(message)}
        drafted = client.post(f"/v1/fans/{creator.fan}/drafts", json=body, headers=owner)
        [pending] = drafted.json()["pending"]
        actions.append(pending["id"])

    def approve(action: str) -> Response:
        return client.post(f"/v1/approvals/{action}/approve", headers=owner)

    def list_fans() -> Response:
        time.sleep(0.2)  # while the approvals run
        return client.get("/v1/fans", headers=owner)

    started = time.perf_counter()
    with ThreadPoolExecutor(APPROVALS + 1) as pool:
        fans = pool.submit(list_fans)
        answers = list(pool.map(approve, actions))
    elapsed = time.perf_counter() - started

    assert [a.status_code for a in answers] == [200] * APPROVALS
    assert {a.json()["action"]["status"] for a in answers} == {"executed"}
    assert elapsed < WITHIN_S, elapsed
    assert fans.result().status_code == 200
    assert len(outbox(database, creator.id)) == APPROVALS
    audited = [str(action_id) for action_id, _, _, _ in executed(database, creator.id)]
    assert sorted(audited) == sorted(actions)
    statuses = rows(database, creator.id, "SELECT DISTINCT status FROM hitl_action_queue")
    assert statuses == [("executed",)]
