from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
import pytest

from crm.intelligence import RecomputeReport, recompute_creator
from db.connect import DatabaseTarget
from tests.intelligence.world import (
    AS_OF,
    World,
    build_lapsed,
    build_trial,
    build_whale,
    connection,
    new_creator,
)


@pytest.fixture(scope="module")
def conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with connection(database) as conn:
        yield conn


@dataclass(frozen=True)
class Trio:
    world: World
    whale: UUID
    lapsed: UUID
    trial: UUID
    media: UUID  # the PPV the whale bought
    report: RecomputeReport


@pytest.fixture(scope="module")
def trio(conn: psycopg.Connection[Any]) -> Trio:
    """A creator with the whale, the lapsed fan and the new trial fan, recomputed at AS_OF."""
    world = new_creator(conn)
    whale, media = build_whale(world)
    lapsed = build_lapsed(world)
    trial = build_trial(world)
    with world.scope():
        report = recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
    return Trio(world, whale, lapsed, trial, media, report)


@pytest.fixture
def world(conn: psycopg.Connection[Any]) -> World:
    """A new, empty creator."""
    return new_creator(conn)
