from datetime import UTC, date, datetime, timedelta

import pytest

from memory.said_when import said_when

NOW = datetime(2026, 9, 30, 15, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("message", "first", "last"),
    [
        ("what did he do around april 9?", date(2026, 4, 6), date(2026, 4, 12)),
        ("remember what i told u on june 6th", date(2026, 6, 5), date(2026, 6, 7)),
        ("on the 3rd of july i said", date(2026, 7, 2), date(2026, 7, 4)),
        ("what did i say yesterday", date(2026, 9, 28), date(2026, 9, 29)),
        ("remember what i told u last friday", date(2026, 9, 24), date(2026, 9, 26)),
        ("2 weeks ago i told you something", date(2026, 9, 13), date(2026, 9, 19)),
        ("like i said a couple of days ago", date(2026, 9, 27), date(2026, 9, 29)),
        ("what did we talk about last week", date(2026, 9, 21), date(2026, 9, 27)),
        ("back in december you promised", date(2025, 12, 1), date(2025, 12, 31)),
        ("dec 24 was the best night", date(2025, 12, 23), date(2025, 12, 25)),
        ("around sept 29", date(2026, 9, 26), date(2026, 9, 30)),  # not past today
    ],
)
def test_the_days_a_message_points_back_to(message: str, first: date, last: date) -> None:
    window = said_when(message, NOW)
    assert window is not None
    assert (window.start.date(), window.end.date()) == (first, last + timedelta(days=1))
    assert window.start.tzinfo == UTC


@pytest.mark.parametrize(
    "message",
    [
        "heading to vegas next week",
        "going to japan in march",  # a plan, not a memory
        "may i ask you something",
        "what about 31 feb",
        "see you friday",
        "i have 2 dogs",
    ],
)
def test_a_message_naming_no_past_day_has_no_window(message: str) -> None:
    assert said_when(message, NOW) is None
