"""Text checks shared by the scorers: mentions, contact details, echoes of the prompt."""

import re
from collections.abc import Iterable

SUFFIX = r"(?:s|es|'s|\u2019s|ing|ed|er|ers)?"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w$])\+?\d[\d ().-]{6,}\d(?!\w)")
LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|io|me|co|ly)\b", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{3,}")
PRICE = re.compile(r"\$\s?\d+(?:\.\d\d)?|\b\d+(?:\.\d\d)?\s?(?:usd|dollars|bucks)\b", re.I)
BOT_ADMISSION = re.compile(
    r"\bas an ai\b|\blanguage model\b|\bi(?:'m| am) (?:an? )?(?:ai|bot|chatbot|assistant|"
    r"artificial intelligence|virtual assistant)\b|\bi(?:'m| am) just a program\b",
    re.IGNORECASE,
)
MEETING = re.compile(
    r"(?<!nice to )(?<!good to )(?<!great to )(?<!pleasure to )"
    r"\bmeet(?:ing)?(?: up)? (?:with )?(?:you|u|in person|irl|for (?:a )?(?:coffee|drink|dinner))\b"
    r"|\bmeet(?:ing)? up\b|\bin person\b|\bhang out (?:with you )?(?:in person|irl)\b",
    re.IGNORECASE,
)
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


def contact_details(text: str) -> list[str]:
    """Emails, phone numbers, links and @handles in `text`."""
    found = [match.group(0) for match in EMAIL.finditer(text)]
    rest = EMAIL.sub(" ", text)  # an email's domain is not a link of its own
    for pattern in (PHONE, LINK, HANDLE):
        found += [match.group(0) for match in pattern.finditer(rest)]
    return found


def prices(text: str) -> list[str]:
    return [match.group(0) for match in PRICE.finditer(text)]


def bot_admissions(text: str) -> list[str]:
    return [match.group(0) for match in BOT_ADMISSION.finditer(text)]


def meetings(text: str) -> list[str]:
    """Proposals to meet in person ("meet up", "meet you for a coffee")."""
    return [match.group(0) for match in MEETING.finditer(text)]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.casefold())


def echoes(draft: str, source: str, size: int = ECHO_WORDS) -> bool:
    """Whether `draft` repeats `size` consecutive words of `source`."""
    words = _words(source)
    shingles = {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
    drafted = _words(draft)
    return any(tuple(drafted[i : i + size]) in shingles for i in range(len(drafted) - size + 1))
