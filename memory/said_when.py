"""The days a message points back to: "around june 6", "last friday", "in march", "2 weeks ago".

"What did I tell you last friday?" is about what was said on that day, whatever its words: the
memories said within the window this finds rank higher (memory/search.py, `said_then`). The
window is of days before the message's "now": a date without a year is its latest past
occurrence; a named day reaches a day either side ("around" three), as fans are loose with
dates. A message naming no time, or a time ahead ("next friday"), has no window.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from memory.expiry import COUNT_WORDS, MONTHS, WEEKDAYS

_MONTH = "|".join(MONTHS + tuple(m[:3] for m in MONTHS) + ("sept",))
_MONTH_DAY = re.compile(
    rf"\b(?P<around>around |about |on |)(?:(?P<month>{_MONTH})\.? (?P<day>3[01]|[12]?\d)"
    rf"(?:st|nd|rd|th)?|(?P<day2>3[01]|[12]?\d)(?:st|nd|rd|th)? (?:of )?(?P<month2>{_MONTH}))\b"
)
_IN_MONTH = re.compile(rf"\b(?:during|back in|earlier in|last) (?P<month>{'|'.join(MONTHS)})\b")
_LAST_WEEKDAY = re.compile(rf"\b(?:last|this past) (?P<weekday>{'|'.join(WEEKDAYS)})\b")
_AGO = re.compile(
    r"\b(?P<count>\d+|a|one|two|three|four|a few|a couple(?: of)?) (?P<unit>days?|weeks?|months?)"
    r" ago\b"
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


@dataclass(frozen=True)
class Window:
    """Said from `start` (inclusive) until `end` (exclusive), in UTC."""

    start: datetime
    end: datetime


def said_when(text: str, now: datetime) -> Window | None:
    """The window of past days `text` points to, seen from `now`; None when it names none."""
    phrase = " ".join(text.lower().split())
    today = now.astimezone(UTC).date()
    days = _days(phrase, today)
    if days is None:
        return None
    first, last = days
    return Window(_midnight(first), _midnight(min(last, today) + timedelta(days=1)))


def _days(phrase: str, today: date) -> tuple[date, date] | None:
    """The first and last day meant, or None."""
    if found := _MONTH_DAY.search(phrase):
        month = _month_number(found.group("month") or found.group("month2"))
        day = _latest(today, month, int(found.group("day") or found.group("day2")))
        if day is None:
            return None
        reach = 3 if found.group("around").strip() in ("around", "about") else 1
        return day - timedelta(days=reach), day + timedelta(days=reach)
    if "yesterday" in phrase:
        return today - timedelta(days=2), today - timedelta(days=1)
    if found := _LAST_WEEKDAY.search(phrase):
        back = (today.weekday() - WEEKDAYS.index(found.group("weekday"))) % 7 or 7
        day = today - timedelta(days=back)
        return day - timedelta(days=1), day + timedelta(days=1)
    if found := _AGO.search(phrase):
        count = COUNT_WORDS.get(found.group("count")) or int(found.group("count"))
        span = _UNIT_DAYS[found.group("unit").rstrip("s")]
        day = today - timedelta(days=count * span)
        reach = max(1, span // 2)
        return day - timedelta(days=reach), day + timedelta(days=reach)
    if "last week" in phrase:
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if found := _IN_MONTH.search(phrase):
        month = MONTHS.index(found.group("month")) + 1
        year = today.year if month <= today.month else today.year - 1
        first = date(year, month, 1)
        return first, date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return None


def _month_number(name: str) -> int:
    return next(i for i, month in enumerate(MONTHS, start=1) if month.startswith(name[:3]))


def _latest(today: date, month: int, day: int) -> date | None:
    """The latest `month`/`day` on or before today; None if no such date."""
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)
