"""Transactions that PostgreSQL may end to break a deadlock, run again.

Writers working side by side (db/lanes.py) touch rows they share, such as a creator's memory
texts, in no agreed order; PostgreSQL then aborts one transaction of a cycle and lets the others
go on, so running the aborted one again almost always succeeds.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

import psycopg.errors

ATTEMPTS = 3
T = TypeVar("T")
log = logging.getLogger("fanagent.db")


def retry_deadlocks(transaction: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Runs `transaction` (which opens and ends its own transaction) until it is not aborted
    by a deadlock, at most `attempts` times; the last deadlock is raised."""
    for _ in range(attempts - 1):
        try:
            return transaction()
        except psycopg.errors.DeadlockDetected:
            log.warning("a deadlock was broken by aborting this transaction; running it again")
    return transaction()
