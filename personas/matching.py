"""Finding a word or phrase in a draft: case-insensitive, whole words only.

"sir" matches "Sir," and "SIR!" but not "sirloin"; "as an AI" matches across any run of spaces;
a trailing "*" makes a term a prefix ("fuck*" matches "fucking"). An edge of the term that is not
a letter or digit needs no boundary ("<3" is found in "love<3"). Curly apostrophes count as
straight ones on both sides, so "don't" finds "don\u2019t".
"""

import re
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def normalise(text: str) -> str:
    return text.translate(_APOSTROPHES)


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern[str]:
    prefix = term.endswith("*")
    words = normalise(term.rstrip("*")).split()
    body = r"\s+".join(re.escape(word) for word in words)
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    end = r"\w*" if prefix else r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def find_term(term: str, text: str) -> list[str]:
    """Each occurrence of `term` in `text`, as written in the text."""
    return term_pattern(term).findall(normalise(text))
