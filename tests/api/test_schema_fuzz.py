"""Schemathesis against the OpenAPI document: generated requests (valid and not) to every
operation, authenticated as an owner, never get a 5xx. Bounded, so it stays a few seconds."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.fakes import ScriptedChatModel, says
from tests.api.keys import bearer, key_for
from tests.tools.world import build_creator

EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def client(database: DatabaseTarget, embedder: LocalEmbedder) -> Iterator[TestClient]:
    model = ScriptedChatModel([], otherwise=says("hey you"))
    with TestClient(create_app(database, chat_model=model, embedder=embedder)) as client:
        yield client


def test_no_operation_answers_a_5xx(client: TestClient, database: DatabaseTarget) -> None:
    creator = build_creator(database)
    auth = bearer(key_for(database, creator.id, "owner"))
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), with_key=st.booleans())
        def call(case: Any, with_key: bool) -> None:
            kwargs = case.as_transport_kwargs(base_url="")
            kwargs.pop("cookies", None)
            headers = {**(kwargs.pop("headers", None) or {}), **(auth if with_key else {})}
            response = client.request(
                kwargs.pop("method"), kwargs.pop("url"), headers=headers, **kwargs
            )
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        call()
    assert failures == []
