"""Where the database is, and the two roles the project connects as.

admin: runs migrations, seeding and operator commands; owns the tables.
app:   the service's role (fanagent_app); owns nothing and is held to row-level security, so every
       query it makes sees only the creator set with `creator_scope`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import TupleRow

from db import embedded
from db.settings import DatabaseSettings

APP_ROLE = "fanagent_app"
SET_CREATOR_SQL = "SELECT set_config('app.creator_id', %s, true)"


@dataclass(frozen=True)
class DatabaseTarget:
    admin_url: str
    app_url: str
    embedded: bool


def resolve(settings: DatabaseSettings | None = None) -> DatabaseTarget:
    """The configured database; starts the embedded server when DATABASE_URL is unset."""
    settings = settings or DatabaseSettings()
    if settings.database_url:
        admin_url, is_embedded = settings.database_url, False
    else:
        admin_url, is_embedded = embedded.start(settings.pgdata, settings.database_name), True
    password = settings.app_db_password.get_secret_value() if settings.app_db_password else None
    return DatabaseTarget(admin_url, app_url_for(admin_url, password), is_embedded)


def app_url_for(admin_url: str, password: str | None) -> str:
    """The admin URL with the application role's credentials in place of the admin's."""
    params = conninfo_to_dict(admin_url)
    params.pop("password", None)
    params["user"] = APP_ROLE
    if password:
        params["password"] = password
    return make_conninfo("", **params)


@contextmanager
def creator_scope(
    conn: psycopg.Connection[TupleRow], creator_id: UUID
) -> Iterator[psycopg.Connection[TupleRow]]:
    """A transaction in which row-level security shows only `creator_id`'s rows."""
    with conn.transaction():
        conn.execute(SET_CREATOR_SQL, [str(creator_id)])
        yield conn
