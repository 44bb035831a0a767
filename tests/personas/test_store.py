"""Which persona applies to a fan, against the real PostgreSQL through the application role:
the fan's override, else the creator's default, else the built-in one; never another creator's."""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from db.connect import DatabaseTarget, creator_scope
from personas import store
from personas.defaults import BUILTIN_PERSONA
from personas.model import Persona
from tests.db.crm_rows import create_creator_with_everything

CHEEKY = Persona(
    name="Cheeky",
    vocabulary_use=("babe", "hun"),
    vocabulary_avoid=("sir",),
    warmth=0.9,
    explicitness_threshold=0.45,
    emoji_style="heavy",
    max_emoji=5,
    max_chars=400,
    punctuation_style="lowercase",
    promotional=0.65,
)
FORMAL = Persona(name="Formal", formality=0.9, emoji_style="none", punctuation_style="proper")


@pytest.fixture
def conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database.app_url) as conn:
        yield conn


def new_creator(database: DatabaseTarget) -> tuple[UUID, UUID]:
    """A creator with one fan and the stored default persona named "Default"."""
    creator, rows = create_creator_with_everything(database)
    return creator, rows["fan_profiles"]


def add_fan(conn: psycopg.Connection[Any], creator: UUID) -> UUID:
    with creator_scope(conn, creator):
        row = conn.execute(
            "INSERT INTO fan_profiles (creator_id, display_name) VALUES (%s, 'Other') RETURNING id",
            [creator],
        ).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def test_a_fan_without_an_override_gets_the_creator_default(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fan = new_creator(database)
    effective = store.effective_persona(conn, creator, fan)
    assert (effective.source, effective.persona.name) == ("creator", "Default")
    assert effective.persona == Persona(name="Default")  # the column defaults read back equal


def test_the_fans_override_wins_and_only_for_that_fan(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fan = new_creator(database)
    other_fan = add_fan(conn, creator)
    persona_id = store.save_fan_persona(conn, creator, fan, CHEEKY)

    effective = store.effective_persona(conn, creator, fan)
    assert (effective.source, effective.id, effective.persona) == ("fan", persona_id, CHEEKY)
    assert store.effective_persona(conn, creator, other_fan).source == "creator"


def test_without_any_stored_persona_the_builtin_applies(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fan = new_creator(database)
    assert store.delete_persona(conn, creator, None) is True
    assert store.delete_persona(conn, creator, None) is False

    effective = store.effective_persona(conn, creator, fan)
    assert (effective.source, effective.id, effective.persona) == ("builtin", None, BUILTIN_PERSONA)
    assert store.creator_default(conn, creator).source == "builtin"


def test_saving_again_replaces_in_place_and_removing_falls_back(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fan = new_creator(database)
    first = store.save_fan_persona(conn, creator, fan, CHEEKY)
    second = store.save_fan_persona(conn, creator, fan, FORMAL)
    default_id = store.save_creator_default(conn, creator, CHEEKY)

    assert first == second
    assert store.effective_persona(conn, creator, fan).persona == FORMAL
    assert store.creator_default(conn, creator).id == default_id
    assert store.creator_default(conn, creator).persona == CHEEKY
    assert store.delete_persona(conn, creator, fan) is True
    assert store.effective_persona(conn, creator, fan).persona == CHEEKY


def test_another_creators_persona_is_never_returned(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator_a, fan_a = new_creator(database)
    creator_b, fan_b = new_creator(database)
    store.save_creator_default(conn, creator_b, FORMAL)
    store.save_fan_persona(conn, creator_b, fan_b, CHEEKY)
    store.delete_persona(conn, creator_a, None)

    for fan in (fan_a, fan_b):  # even when asked for creator B's fan by id
        effective = store.effective_persona(conn, creator_a, fan)
        assert (effective.source, effective.persona) == ("builtin", BUILTIN_PERSONA)
    assert store.effective_persona(conn, creator_b, fan_b).persona == CHEEKY


def test_an_override_for_another_creators_fan_is_refused(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator_a, _ = new_creator(database)
    creator_b, fan_b = new_creator(database)
    with pytest.raises(store.UnknownFan):
        store.save_fan_persona(conn, creator_a, fan_b, CHEEKY)
    assert store.delete_persona(conn, creator_a, fan_b) is False
    assert store.effective_persona(conn, creator_b, fan_b).source == "creator"


def test_the_store_works_inside_a_callers_creator_scope(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fan = new_creator(database)
    with creator_scope(conn, creator):
        store.save_fan_persona(conn, creator, fan, CHEEKY)
        assert store.effective_persona(conn, creator, fan).persona == CHEEKY
        count = conn.execute("SELECT count(*) FROM fan_personas").fetchone()
    assert count == (2,)  # still scoped to this creator: its default and the override
