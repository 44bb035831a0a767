"""Mechanical fixes for the rules a program can repair without rewriting the meaning.

Emoji over the limit are dropped, case and end punctuation are set, and an overlong draft is cut
at its last sentence end (or word) that fits. Avoided words and explicitness need a rewrite by
the model: the agent repairs those with the check's hints, or flags the draft.
"""

from personas.check import SENTENCE_END, ends_sentence
from personas.emoji import limit_emoji, split_trailing_emoji
from personas.model import Persona

ELLIPSIS = "…"


def apply_fixes(draft: str, persona: Persona) -> str:
    """`draft` with its emoji, punctuation and length brought within `persona`."""
    text = limit_emoji(draft.strip(), persona.emoji_limit)
    if persona.punctuation_style == "lowercase":
        text = text.lower()
    elif persona.punctuation_style == "proper":
        text = _proper(text)
    return _shorten(text, persona.max_chars)


def _proper(text: str) -> str:
    first = next((i for i, c in enumerate(text) if c.isalpha()), None)
    if first is not None:
        text = text[:first] + text[first].upper() + text[first + 1 :]
    body, tail = split_trailing_emoji(text)
    if body.strip() and not ends_sentence(body):
        body = body.rstrip() + "."
    return body + tail


def _shorten(text: str, max_chars: int) -> str:
    """Cut at the last sentence end that keeps at least half the room, else at a word."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    sentence_end = max(head.rfind(mark) for mark in SENTENCE_END)
    if sentence_end >= max_chars // 2:
        return head[: sentence_end + 1]
    words = text[: max_chars - len(ELLIPSIS)].rsplit(maxsplit=1)
    return (words[0] if len(words) > 1 else head[: max_chars - 1]).rstrip() + ELLIPSIS
