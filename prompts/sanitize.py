"""Untrusted text (what fans write, and facts taken from it) made safe to put between the
prompt's data tags.

A fan cannot close a data section or open a new turn: anything shaped like a tag
(`</fan_message>`, `<system>`, also written with look-alike brackets) gets its brackets replaced
by single guillemets U+2039/U+203A: never by HTML entities, which a model copies into its
reply; chat-template tokens (`<|im_end|>`, `[INST]`, `<<SYS>>`) are broken up; invisible
characters that can hide instructions (Unicode tag characters, bidirectional overrides,
zero-width spaces, C0 controls) are removed; the zero-width joiners emoji need stay. "<3" and
other emoticons stay as they are.
"""

import re

_OPEN = "<\uff1c\ufe64\u2329\u27e8\u3008"  # < and its look-alikes
_CLOSE = ">\uff1e\ufe65\u232a\u27e9\u3009"
_GAP = r"[\s\u200c\u200d]*"  # what may sit between a bracket and a tag name unseen
_TAG = re.compile(rf"[{_OPEN}]+{_GAP}/?{_GAP}[A-Za-z_][^{_OPEN}{_CLOSE}\n]{{0,100}}?[{_CLOSE}]+")
_CHAT_TOKEN = re.compile(rf"[{_OPEN}][|\uff5c][^\n]{{0,64}}?[|\uff5c][{_CLOSE}]")
_INST = re.compile(r"\[(/?INST)\]", re.IGNORECASE)
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069"
    "\U000e0000-\U000e007f]"
)
_GUILLEMETS = str.maketrans({**dict.fromkeys(_OPEN, "\u2039"), **dict.fromkeys(_CLOSE, "\u203a")})


def neutralise(text: str) -> str:
    """`text` with delimiter look-alikes defused and invisible characters removed."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CHAT_TOKEN.sub(lambda m: m.group(0).translate(_GUILLEMETS), text)
    text = _TAG.sub(lambda m: m.group(0).translate(_GUILLEMETS), text)
    return _INST.sub(r"(\1)", text)


def one_line(text: str) -> str:
    """`text` neutralised and on one line: an item of a list cannot forge the next item."""
    return " ".join(neutralise(text).split())
