"""Emoji in a draft, counted as the reader sees them: one per grapheme cluster, so 👍🏽, 🇺🇸
and 👨‍👩‍👧 are one each.

A cluster is an emoji when it holds a character drawn as emoji by default, the emoji variation
selector U+FE0F, a keycap (1️⃣), or a pictograph from U+2600 up (❤ ☺ ✔ even without U+FE0F).
©, ®, ™, ‼ and arrows are text unless followed by U+FE0F. Emoticons such as :) or <3 are text.
"""

import regex

_CLUSTER = regex.compile(r"\X")
_EMOJI = regex.compile(
    r"\p{Emoji_Presentation}|\uFE0F|\u20E3|(?=\p{Extended_Pictographic})[\u2600-\U0010FFFF]"
)


def find_emoji(text: str) -> list[str]:
    """The emoji of `text`, in order."""
    return [c for c in _CLUSTER.findall(text) if _EMOJI.search(c)]


def limit_emoji(text: str, limit: int) -> str:
    """`text` with every emoji after the first `limit` removed (and the spaces that doubled)."""
    kept: list[str] = []
    seen = 0
    for cluster in _CLUSTER.findall(text):
        if _EMOJI.search(cluster):
            seen += 1
            if seen > limit:
                continue
        kept.append(cluster)
    if seen <= limit:
        return text
    return " ".join(part for part in "".join(kept).split(" ") if part).strip()


def split_trailing_emoji(text: str) -> tuple[str, str]:
    """`text` as (body, tail): the tail is the emoji and spaces it ends with."""
    clusters = _CLUSTER.findall(text)
    end = len(clusters)
    while end and (clusters[end - 1].isspace() or _EMOJI.search(clusters[end - 1])):
        end -= 1
    return "".join(clusters[:end]), "".join(clusters[end:])
