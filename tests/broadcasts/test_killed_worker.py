"""A broadcast sent by real worker processes on the real PostgreSQL: the worker sending it is
killed mid-way (a batch's transaction open), the job is retried by another worker, and every fan
ends with exactly one delivery and one message."""

import signal
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from agent.broadcasts import decide_broadcast
from auth.operator import app_connection
from crm.intelligence.segments import RuleSet, SegmentCreate, create_segment
from crm.templates.store import TemplateCreate, create_template
from db import migrate
from db.connect import DatabaseTarget
from tests.broadcasts.world import broadcast_to
from tests.intelligence.world import new_creator
from tests.jobs.workers import live_workers, wait_for, worker
from tests.pg import fresh_database

FANS = 1_200  # three batches of 500
FAN_ROWS = """
WITH fans AS (
    INSERT INTO fan_profiles (creator_id, display_name)
    SELECT app_current_creator(), 'Fan ' || n FROM generate_series(1, %s) AS n
    RETURNING id
)
INSERT INTO fan_scores
    (creator_id, fan_id, churn_risk, predicted_ltv, upsell_readiness, loyalty, formula_version)
SELECT app_current_creator(), id, 0.1, 10, 0.5, 0.5, 'test' FROM fans
"""


@pytest.fixture(scope="module")
def target() -> Iterator[DatabaseTarget]:
    """A database of its own: its workers send every due broadcast they see."""
    with fresh_database("broadcasts") as target:
        migrate.migrate(target.admin_url)
        yield target


def slow_worker(target: DatabaseTarget) -> list[str]:
    start = "import sys; from tests.broadcasts.slow_worker import main; main(*sys.argv[1:])"
    return [sys.executable, "-c", start, target.admin_url, target.app_url]


def test_a_broadcast_whose_worker_is_killed_writes_one_delivery_per_fan(
    target: DatabaseTarget,
) -> None:
    with app_connection(target) as conn:
        world = new_creator(conn)
        with world.scope():
            conn.execute(FAN_ROWS, [FANS])
            template = create_template(conn, TemplateCreate(name="hi", body="hi {fan_name}!"))
            everyone = RuleSet.model_validate({"all": []})
            segment = create_segment(conn, SegmentCreate(name="all", rules=everyone))
        media = world.media("Red set", "25")
        broadcast = broadcast_to(conn, world, template.id, segment.id, media)
        with world.scope():
            decide_broadcast(conn, broadcast.id, "approved", None)

        def delivered() -> int:
            return int(world.query("SELECT count(*) FROM message_broadcast_deliveries")[0][0])

        command = slow_worker(target)
        with worker(command, {}) as doomed:
            wait_for("a batch written", lambda: delivered() >= 500, timeout_s=60)
            doomed.send_signal(signal.SIGKILL)
            doomed.wait()
        assert delivered() < FANS  # killed mid-way
        with worker(command, {}):
            wait_for("a worker", lambda: live_workers(target) == 1)
            wait_for(
                "the broadcast sent",
                lambda: (
                    world.query("SELECT status FROM message_broadcasts WHERE id = %s", broadcast.id)
                    == [("sent",)]
                ),
                timeout_s=60,
            )
        assert_one_delivery_per_fan(world.query)


def assert_one_delivery_per_fan(query: Any) -> None:
    assert query(
        "SELECT count(*), count(DISTINCT fan_id), count(message_id)"
        " FROM message_broadcast_deliveries"
    ) == [(FANS, FANS, FANS)]
    assert query(
        "SELECT count(*), count(DISTINCT fan_id) FROM fan_messages WHERE direction = 'outbound'"
    ) == [(FANS, FANS)]
    assert query("SELECT recipients, queued, status FROM message_broadcasts") == [
        (FANS, FANS, "sent")
    ]
    assert query("SELECT status FROM hitl_action_queue") == [("executed",)]
