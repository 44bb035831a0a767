"""When a time-bound fact stops being true: a plan is over the day after the time it names.

"Going to Vegas next week", said on a Wednesday, is a plan until the Monday after next week; a
draft a month later must not wish the fan a good trip. The time is the phrase the extraction
keeps in the fact (memory/extract.py `when`: " next week", " tomorrow", " in 3 days",
" in March", " this Friday"); a fact without one, or a phrase not understood, does not expire.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Counts fans write in words ("a couple of weeks ago", "in two days").
COUNT_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "a few": 3, "a couple": 2}
COUNT_WORDS["a couple of"] = 2
IN_DAYS = re.compile(r"^in (\d+) (days|weeks)$")
FEW = {"in a few days": 4, "in a couple days": 3, "in a couple of days": 3}
FEW |= {"in a couple weeks": 15, "in a couple of weeks": 15, "in two weeks": 15}
SEASON_OVER = {"spring": (6, 1), "summer": (9, 1), "fall": (12, 1), "winter": (3, 1)}  # day after


def expires_at(when: str, said_on: date | None) -> datetime | None:
    """The moment (UTC midnight) the plan `when` names is over, said on `said_on`; None if the
    phrase names no time this understands or the day it was said is unknown."""
    phrase = " ".join(when.lower().split())
    if said_on is None or not phrase:
        return None
    day = _last_day(phrase, said_on)
    return None if day is None else datetime.combine(day + timedelta(days=1), time(), UTC)


def _last_day(phrase: str, said_on: date) -> date | None:
    """The last day the plan can still be ahead or under way."""
    if phrase in ("today", "tonight"):
        return said_on
    if phrase == "tomorrow":
        return said_on + timedelta(days=1)
    if phrase in FEW:
        return said_on + timedelta(days=FEW[phrase])
    if found := IN_DAYS.match(phrase):
        count = int(found.group(1)) * (7 if found.group(2) == "weeks" else 1)
        return said_on + timedelta(days=count + 1)
    this_or_next, _, unit = phrase.partition(" ")
    week_end = said_on + timedelta(days=6 - said_on.weekday())  # this week's Sunday
    if this_or_next in ("this", "next") and unit in ("week", "weekend"):
        return week_end + timedelta(days=7 if this_or_next == "next" else 0)
    if this_or_next in ("this", "next") and unit in WEEKDAYS:
        ahead = (WEEKDAYS.index(unit) - said_on.weekday()) % 7
        return said_on + timedelta(days=ahead + (7 if this_or_next == "next" else 0))
    if phrase == "this month":
        return _month_end(said_on.year, said_on.month)
    if phrase == "next month":
        year, month = divmod(said_on.month, 12)
        return _month_end(said_on.year + year, month + 1)
    if this_or_next == "this" and unit in SEASON_OVER:
        month, day = SEASON_OVER[unit]
        over = date(said_on.year, month, day)
        return (over if over > said_on else date(said_on.year + 1, month, day)) - timedelta(days=1)
    if this_or_next == "in" and unit in MONTHS:
        month = MONTHS.index(unit) + 1
        year = said_on.year + (1 if month < said_on.month else 0)
        return _month_end(year, month)
    return None  # "next year": too far to matter for a draft


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)
