"""A transaction PostgreSQL aborts to break a deadlock is run again (db/deadlocks.py)."""

import threading

import psycopg
import pytest

from db.connect import DatabaseTarget
from db.deadlocks import retry_deadlocks


def test_of_two_transactions_locking_in_opposite_orders_the_aborted_one_runs_again(
    empty_database: DatabaseTarget,
) -> None:
    with psycopg.connect(empty_database.admin_url, autocommit=True) as setup:
        setup.execute("CREATE TABLE probe (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)")
        setup.execute("INSERT INTO probe (id) VALUES (1), (2)")
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = {"first": 0, "second": 0}

    def transaction(name: str, conn: psycopg.Connection[tuple[int]], order: list[int]) -> str:
        attempts[name] += 1
        with conn.transaction():
            conn.execute("UPDATE probe SET n = n + 1 WHERE id = %s", [order[0]])
            if attempts[name] == 1:
                both_hold_one.wait()  # each now holds one row and wants the other's
            conn.execute("UPDATE probe SET n = n + 1 WHERE id = %s", [order[1]])
        return name

    with (
        psycopg.connect(empty_database.admin_url, autocommit=True) as first,
        psycopg.connect(empty_database.admin_url, autocommit=True) as second,
    ):
        done: list[str] = []
        other = threading.Thread(
            target=lambda: done.append(
                retry_deadlocks(lambda: transaction("second", second, [2, 1]))
            )
        )
        other.start()
        done.append(retry_deadlocks(lambda: transaction("first", first, [1, 2])))
        other.join(timeout=30)
        rows = first.execute("SELECT n FROM probe ORDER BY id").fetchall()

    assert sorted(done) == ["first", "second"]
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL aborted one of them, once
    assert rows == [(2,), (2,)]  # each transaction's two updates, once each


def test_a_transaction_deadlocked_every_time_fails_after_the_last_attempt() -> None:
    calls = []

    def always_deadlocked() -> None:
        calls.append(1)
        raise psycopg.errors.DeadlockDetected("deadlock detected")

    with pytest.raises(psycopg.errors.DeadlockDetected):
        retry_deadlocks(always_deadlocked, attempts=3)
    assert len(calls) == 3


def test_other_errors_are_not_retried() -> None:
    calls = []

    def broken() -> None:
        calls.append(1)
        raise psycopg.errors.UniqueViolation("duplicate key")

    with pytest.raises(psycopg.errors.UniqueViolation):
        retry_deadlocks(broken)
    assert len(calls) == 1
