"""The rare words of a message: what full-text matching looks for in a fan's memories.

A name, a place, a brand, a hobby's own term ("bella", "tromsø", "miata", "ossobuco") tells one
memory from another where the embedding blurs them; an everyday word ("work", "football",
"pizza") matches many memories and only adds noise. A word is rare when it is not among the
common English words in data/common_english.txt: the 7,080 alphabetic words with a Zipf
frequency of at least 4 (once per 100,000 words or more) in wordfreq 3.1.1's English list,
slang included ("lol", "babe", "gonna"). Regenerate with wordfreq installed:

    python -c "from wordfreq import top_n_list as t, zipf_frequency as z; print('\\n'.join(
        sorted({w for w in t('en', 50000) if z(w, 'en') >= 4.0 and w.isalpha()})))" \\
        > memory/data/common_english.txt
"""

import re
from functools import cache
from pathlib import Path

COMMON_ENGLISH = Path(__file__).resolve().parent / "data" / "common_english.txt"
MIN_LETTERS = 3  # "rn", "ur", "xo": too short to name anything
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@cache
def common_words() -> frozenset[str]:
    return frozenset(COMMON_ENGLISH.read_text(encoding="utf-8").split())


def rare_words(text: str) -> str:
    """The rare words of `text`, lowercased, space-separated, in order, each once."""
    common = common_words()
    found: dict[str, None] = {}
    for match in _WORD.finditer(text.lower()):
        word = match.group(0).split("'")[0]  # "marisol's" is about Marisol
        if len(word) >= MIN_LETTERS and word not in common:
            found.setdefault(word)
    return " ".join(found)
