"""A backlog of fan messages is taken in on two lanes side by side (crm/jobs.py): each fan's
messages in one lane, every message in one of them."""

import threading
from typing import Any
from uuid import UUID

import psycopg
import pytest

from crm.episodes import ingest_new_messages
from db.connect import DatabaseTarget, creator_scope
from db.lanes import Lane, in_lanes
from memory.embedders import LocalEmbedder
from tests.memory.helpers import new_creator, new_message

EMBEDDED_BY_FAN = """
SELECT fan_id, count(embedding), count(*) FROM fan_messages
WHERE direction = 'inbound' GROUP BY fan_id
"""


def _embedded_by_fan(conn: psycopg.Connection[Any], creator: UUID) -> dict[UUID, tuple[int, int]]:
    """(messages with a vector, messages) of each of the creator's fans."""
    with creator_scope(conn, creator):
        return {UUID(str(fan)): (done, total) for fan, done, total in conn.execute(EMBEDDED_BY_FAN)}


def test_two_lanes_take_each_fan_whole_and_every_message_between_them(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, fans = new_creator(database, 16)
    with creator_scope(conn, creator):
        for fan in fans:
            new_message(conn, fan, "my dog max got into the trash again")
            new_message(conn, fan, "just got back from vegas lol")

    ingest_new_messages(conn, embedder, lane=Lane(0, 2))
    # each fan wholly taken in or wholly left for the other lane, and both lanes have fans
    assert set(_embedded_by_fan(conn, creator).values()) == {(2, 2), (0, 2)}

    ingest_new_messages(conn, embedder, lane=Lane(1, 2))
    assert set(_embedded_by_fan(conn, creator).values()) == {(2, 2)}
    with creator_scope(conn, creator):
        remembered = conn.execute("SELECT count(DISTINCT fan_id) FROM fan_memories").fetchone()
    assert remembered == (16,)  # and each fan's facts (Max, Vegas) were remembered


def test_lanes_run_side_by_side_and_their_counts_add_up() -> None:
    both_running = threading.Barrier(2, timeout=10)  # broken unless the two lanes overlap

    def work(lane: Lane) -> int:
        both_running.wait()
        return 10 + lane.index

    assert in_lanes(work, 2) == 21


def test_a_lane_that_fails_fails_the_run_once_the_others_finish() -> None:
    finished: list[int] = []

    def work(lane: Lane) -> int:
        if lane.index == 0:
            raise RuntimeError("lane 0 broke")
        finished.append(lane.index)
        return 1

    with pytest.raises(RuntimeError, match="lane 0 broke"):
        in_lanes(work, 3)
    assert sorted(finished) == [1, 2]
