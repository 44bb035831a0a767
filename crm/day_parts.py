"""Greetings that name a part of the day ("morning babe ☀️", "good night 😘") and whether one
suits the fan's own clock: a past reply offered as a suggestion must not wish a fan good morning
in his evening."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Each part's greeting, and the fan's local hours in which it reads right.
GREETINGS = (
    (re.compile(r"\bgood\s*morning\b|^\W*(?:gm|morning|mornin)\b", re.IGNORECASE), range(4, 12)),
    (re.compile(r"\bgood\s*afternoon\b", re.IGNORECASE), range(12, 18)),
    (re.compile(r"\bgood\s*evening\b", re.IGNORECASE), range(17, 24)),
    (
        re.compile(
            r"\bgood\s*night\b|\bnighty?\s*night\b|^\W*(?:gn|night)\b|\bsweet dreams\b"
            r"|\bsleep (?:well|tight)\b",
            re.IGNORECASE,
        ),
        (*range(19, 24), *range(0, 5)),
    ),
)


def suits_the_hour(text: str, hour: int) -> bool:
    """Whether every part of the day `text` greets includes the local `hour` (0-23)."""
    return all(hour in hours for greeting, hours in GREETINGS if greeting.search(text))


def local_hour(now: datetime, timezone: str | None) -> int | None:
    """The hour at `now` in the fan's IANA `timezone`; None when it is unknown."""
    if not timezone:
        return None
    try:
        return now.astimezone(ZoneInfo(timezone)).hour
    except (ZoneInfoNotFoundError, ValueError):
        return None
