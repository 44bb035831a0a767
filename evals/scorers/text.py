"""Text checks shared by the scorers: mentions and echoes of the prompt (what a reply must never
contain is prompts/forbidden.py, shared with the draft guard)."""

import re
from collections.abc import Iterable

SUFFIX = r"(?:s|es|'s|\u2019s|ing|ed|er|ers)?"
ECHO_WORDS = 8  # this many consecutive words of the system message in a draft: an echo


def term_pattern(term: str) -> re.Pattern[str]:
    """`term` as a word or phrase (case-insensitive), allowing a plural or -ing ending."""
    return re.compile(rf"(?<!\w){re.escape(term)}{SUFFIX}(?!\w)", re.IGNORECASE)


def mentioned(text: str, terms: Iterable[str]) -> list[str]:
    """The terms `text` mentions."""
    return [term for term in terms if term_pattern(term).search(text)]


def contains_any(text: str, needles: Iterable[str]) -> list[str]:
    """The needles that occur in `text`, ignoring case (plain substrings)."""
    lowered = text.casefold()
    return [needle for needle in needles if needle and needle.casefold() in lowered]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.casefold())


def echoes(draft: str, source: str, size: int = ECHO_WORDS) -> bool:
    """Whether `draft` repeats `size` consecutive words of `source`."""
    words = _words(source)
    shingles = {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
    drafted = _words(draft)
    return any(tuple(drafted[i : i + size]) in shingles for i in range(len(drafted) - size + 1))
