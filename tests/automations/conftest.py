"""The automations tests' world: build's fans of a new creator, for each test (a module with a
world of its own defines its own `fans`)."""

import pytest

from db.connect import DatabaseTarget
from tests.automations.world import Fans, build


@pytest.fixture
def fans(database: DatabaseTarget) -> Fans:
    return build(database)
