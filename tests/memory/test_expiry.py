"""A plan's end: the day after the time the fan named, from the day it was said."""

from datetime import UTC, date, datetime

import pytest

from memory.expiry import expires_at
from memory.extract import extract_facts

WEDNESDAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("when", "over_on"),
    [
        (" tonight", date(2026, 12, 3)),
        (" tomorrow", date(2026, 12, 4)),
        (" this weekend", date(2026, 12, 7)),  # the Monday after
        (" next week", date(2026, 12, 14)),  # the Monday after next week
        (" next weekend", date(2026, 12, 14)),
        (" this Friday", date(2026, 12, 5)),
        (" next Monday", date(2026, 12, 15)),
        (" in 3 days", date(2026, 12, 7)),
        (" in 2 weeks", date(2026, 12, 18)),
        (" next month", date(2027, 2, 1)),
        (" in March", date(2027, 4, 1)),  # March has passed this year: next year's
        (" in December", date(2027, 1, 1)),
        (" this summer", date(2027, 9, 1)),
    ],
)
def test_a_plan_is_over_the_day_after_the_time_it_names(when: str, over_on: date) -> None:
    assert expires_at(when, WEDNESDAY) == datetime(
        over_on.year, over_on.month, over_on.day, tzinfo=UTC
    )


@pytest.mark.parametrize("when", ["", " next year", " someday"])
def test_no_time_or_one_too_vague_never_expires(when: str) -> None:
    assert expires_at(when, WEDNESDAY) is None


def test_without_the_day_it_was_said_nothing_expires() -> None:
    assert expires_at(" next week", None) is None


def test_the_extracted_trip_keeps_its_time_and_ends_after_it() -> None:
    (trip,) = extract_facts("heading to vegas next week w the boys!!", said_on=WEDNESDAY)
    assert trip.body == "Mentioned a trip to Vegas next week"
    assert trip.expires_at == datetime(2026, 12, 14, tzinfo=UTC)
    (plan,) = extract_facts("my sister is getting married in march", said_on=WEDNESDAY)
    assert plan.expires_at == datetime(2027, 4, 1, tzinfo=UTC)


def test_a_durable_fact_never_expires() -> None:
    (dog,) = extract_facts("my dog max got into the trash again", said_on=WEDNESDAY)
    assert dog.body == "Has a dog named Max" and dog.expires_at is None
