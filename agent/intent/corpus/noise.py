"""How fans type: slang, dropped apostrophes, typos, stretched words, all caps, emoji. Each
function maps a text and a seeded random source to a variant; `fan_style` picks a few."""

import random
import re
from collections.abc import Callable

SLANG = {
    "you": "u",
    "your": "ur",
    "you're": "ur",
    "are": "r",
    "please": "pls",
    "tonight": "tonite",
    "because": "cuz",
    "though": "tho",
    "really": "rly",
    "want to": "wanna",
    "going to": "gonna",
    "got to": "gotta",
    "right now": "rn",
    "to be honest": "tbh",
    "okay": "ok",
    "thanks": "thx",
    "love": "luv",
    "what": "wut",
    "for": "4",
    "to": "2",
}
EMOJI = ("😂", "🥺", "😍", "🙏", "😅", "💀", "🔥", "😘", "👀", "😭", "✨", "💕")
_WORD = re.compile(r"[a-z]{4,}")


def casual(text: str, rng: random.Random) -> str:
    """Lower case, no apostrophes, no final full stop."""
    return text.lower().replace("'", "").rstrip(".")


def slang(text: str, rng: random.Random) -> str:
    """Some words swapped for their chat forms."""
    for word, short in SLANG.items():
        if rng.random() < 0.6:
            text = re.sub(rf"\b{re.escape(word)}\b", short, text)
    return text


def typo(text: str, rng: random.Random) -> str:
    """One or two slips of the finger inside longer words: a swap, a drop or a double."""
    for _ in range(rng.choice((1, 1, 2))):
        words = list(_WORD.finditer(text))
        if not words:
            return text
        word = rng.choice(words)
        i = rng.randrange(word.start() + 1, word.end() - 1)
        slip = rng.choice(("swap", "drop", "double"))
        if slip == "swap":
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif slip == "drop":
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + text[i] + text[i:]
    return text


def stretch(text: str, rng: random.Random) -> str:
    """One word's last letter held: "sooo", "pleaseee"."""
    words = list(re.finditer(r"[a-z]{2,}", text))
    if not words:
        return text
    word = rng.choice(words)
    return text[: word.end()] + text[word.end() - 1] * rng.randint(2, 4) + text[word.end() :]


def shout(text: str, rng: random.Random) -> str:
    return text.upper()


def emoji(text: str, rng: random.Random) -> str:
    return f"{text} {rng.choice(EMOJI) * rng.choice((1, 1, 2, 3))}"


def punctuation(text: str, rng: random.Random) -> str:
    return text.rstrip(".?!") + rng.choice(("??", "!!", "...", "?!", "!!!", " ?"))


STYLES: tuple[tuple[Callable[[str, random.Random], str], float], ...] = (
    (casual, 0.45),
    (slang, 0.3),
    (typo, 0.2),
    (stretch, 0.12),
    (emoji, 0.2),
    (punctuation, 0.15),
)


def fan_style(text: str, rng: random.Random, *, loud: float = 0.06) -> str:
    """The text as one fan might type it: each style applied with its chance; short messages are
    sometimes all caps."""
    for style, chance in STYLES:
        if rng.random() < chance:
            text = style(text, rng)
    if len(text) <= 60 and rng.random() < loud:
        text = shout(text, rng)
    return text


def assistant_style(text: str, rng: random.Random) -> str:
    """A request typed to an assistant: plain, sometimes capitalised, or with a slip."""
    roll = rng.random()
    if roll < 0.3:
        return text[:1].upper() + text[1:]
    if roll < 0.45:
        return typo(text, rng)
    if roll < 0.55 and not text.endswith("?"):
        return f"{text} please"
    return text


def request_style(text: str, rng: random.Random) -> str:
    """A request typed quickly to an assistant (round 3): as written, capitalised, all lower case
    without the question mark, with a slip, or with a "pls" at the end."""
    roll = rng.random()
    if roll < 0.25:
        return text[:1].upper() + text[1:]
    if roll < 0.45:
        return text.lower().rstrip("?")
    if roll < 0.6:
        return typo(text, rng)
    if roll < 0.67 and not text.endswith("?"):
        return f"{text} {rng.choice(('please', 'pls', 'thanks'))}"
    return text
