"""/health answers over real HTTP handling with the versions of the real database."""

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from db import migrate
from db.connect import APP_ROLE, DatabaseTarget
from server import create_app
from tests.pg import fresh_database


@pytest.fixture
def client(database: DatabaseTarget) -> Iterator[TestClient]:
    with TestClient(create_app(database)) as client:
        yield client


def test_health_reports_postgres_and_pgvector_versions(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "embedded"
    assert int(body["postgres"].split(".")[0]) >= 15
    major, minor = (int(part) for part in body["pgvector"].split(".")[:2])
    assert (major, minor) >= (0, 8)


def test_health_says_unavailable_when_the_database_is_gone() -> None:
    with fresh_database("health") as target:
        migrate.migrate(target.admin_url)
        with TestClient(create_app(target)) as client:
            assert client.get("/health").status_code == 200
            with psycopg.connect(target.admin_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("ALTER DATABASE {} CONNECTION LIMIT 0").format(
                        sql.Identifier(admin.info.dbname)
                    )
                )
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE usename = %s AND datname = current_database()",
                    [APP_ROLE],
                )
            response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_openapi_documents_health(client: TestClient) -> None:
    assert "/health" in client.get("/openapi.json").json()["paths"]
