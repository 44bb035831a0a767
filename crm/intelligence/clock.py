"""The moment a computation is "as of": the caller's, or now. Every query of this package takes
it as a parameter (never SQL's now()), so a test or a backfill can evaluate any moment and the
same inputs always give the same figures."""

from datetime import UTC, datetime


def resolve(as_of: datetime | None) -> datetime:
    """`as_of`, or the current time; a naive datetime is rejected (it has no time zone)."""
    if as_of is None:
        return datetime.now(UTC)
    if as_of.tzinfo is None:
        raise ValueError("as_of needs a time zone (e.g. datetime.now(UTC))")
    return as_of
