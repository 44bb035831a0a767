"""The draft guard: whether a candidate reply could be sent to a fan as it is.

A candidate is refused when it is not a reply at all: empty; the prompt copied back (its
instructions, the persona's rules, the repair request, its section tags or labels); markup or
HTML entities; a loop; words put in the fan's mouth or the fan spoken of in the third person; an
AI speaking about itself or a support assistant's phrases ("happy to help"); contact details,
links or hashtags; a proposal to meet; a price no offer carries (when the caller says which
prices are offered); another script or language than the fan's; sympathy for good news ("sorry
to hear about your shower bundle" to "loved it"); or a hard persona rule broken
(avoided words, explicitness) that no mechanical fix can mend. Style the persona fixer mends
(emoji, case, end punctuation, length) is not the guard's business.

The guard reads the text only; it never rewrites it. The graph, the evals and the tests call
`guard_draft`; every refusal has a code and a reason a chatter can read.
"""

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from personas.check import Rule, check_draft
from personas.model import Persona
from personas.render import render_persona
from prompts.forbidden import (
    assistant_phrases,
    bot_admissions,
    contact_details,
    meetings,
    prices,
)
from prompts.registry import PromptName, load
from prompts.settings import PromptSettings

# A sentence of 2+ words, or a run of 3 words, said 3 times is a model looping ("No! No! No!"
# is not).
LOOP_NGRAM, LOOP_TIMES = 3, 3
# Two word 4-grams shared with the prompt's own text (instructions, persona rules) is copying.
ECHO_NGRAM, ECHO_SHARED = 4, 2
# A reply that copies this many of the fan's words in a row parrots him (an injected
# instruction, often); a shorter reply made only of his words in his order does too.
PARROT_RUN, PARROT_MIN = 6, 3
# The prompt's section names that no reply would write.
SECTION_NAMES = re.compile(r"\b(?:fan_profile|fan_message|fan_summary)\b", re.IGNORECASE)
HARD_PERSONA_RULES = frozenset({Rule.AVOIDED_VOCABULARY, Rule.TOO_EXPLICIT})
PROMPTS: tuple[PromptName, ...] = ("draft", "draft_compact", "repair")

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_TAG = re.compile(r"</?\s*[A-Za-z_][A-Za-z0-9_-]*\s*/?>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#x[0-9a-fA-F]{1,6});")
# Words that insult the fan when said to him ("your shitter", "ur so pathetic"); a persona's
# crude flirting ("fuck yes babe") is the persona check's business, not this.
_INSULTING = (
    "shitter|loser|idiot|moron|dumbass|pathetic|ugly|stupid|creep|retard|asshole|worthless"
    "|disgusting|cringe"
)
_INSULT = re.compile(
    rf"\b(?:you(?:'re| are)?|ur|u r|u|your|such an?|what an?)\s+(?:an?\s+|so\s+|such an?\s+"
    rf"|fucking\s+|little\s+)?(?:{_INSULTING})\b",
    re.IGNORECASE,
)
# Content given away: only the creator decides that, never a draft ("this one is free").
_FREE = re.compile(
    r"\b(?:it'?s|is|for|be|totally|completely|100%)\s+free\b(?!\s+(?:time|tonight|today|now))"
    r"|\bfree\s+(?:video|vid|pics?|photos?|content|set|unlock|ppv|of charge)\b|\bon the house\b",
    re.IGNORECASE,
)
# What is left of a closing tag of the prompt's roles or sections without its brackets.
_BARE_TAG = re.compile(
    r"(?<![\w/])/(?:system|user|assistant|fan_message|fan_profile|memories|conversation|draft)\b",
    re.IGNORECASE,
)
# Sympathy in a reply, and what in the fan's message calls for it or rules it out. Only a
# message with good news and no trouble in it makes sympathy a misreading; an apology ("sorry
# i took so long") is not sympathy.
_SYMPATHY = re.compile(
    r"\bsorry to hear\b|\b(?:so|really|i'?m|i am) sorry (?:about|for) (?:your|the|that|what)\b"
    r"|\bsorry about your\b|\bthat (?:sucks|must (?:be|have been) (?:hard|tough|awful))\b"
    r"|\bthat'?s (?:too bad|awful|terrible|so sad)\b|\bpoor (?:you|thing|baby)\b"
    r"|\bhope (?:you|u) feel better\b",
    re.IGNORECASE,
)
_GOOD_NEWS = re.compile(
    r"\b(?:lov(?:e|ed|in|ing)|great|amazing|awesome|perfect|best|happy|fun|excited|incredible"
    r"|fantastic|insane|fire|yay|woo+|finally|promoted|won|passed)\b|[😍🥰😊🎉🔥🤩😁]",
    re.IGNORECASE,
)
_TROUBLE = re.compile(
    r"\b(?:sad|bad|sick|ill|hurt\w*|lost|los(?:e|ing)|died|dead|passed away|tired|exhausted"
    r"|stress\w*|rough|awful|terrible|suck\w*|broke|fired|lonely|depress\w*|anxious|worried"
    r"|cry\w*|miss(?:ing|ed)?|ugh|mess(?:y)?|sorry|pain|hospital|break ?up|dumped|upset|angry"
    r"|mad|hate|worst|not|no|never|didn'?t|don'?t|can'?t|won'?t|isn'?t|wasn'?t)\b"
    r"|[😢😭😩😞😔💔🥺😣😖😫]",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<!\w)#[A-Za-z]\w{2,}")
# A note about the reply rather than a reply ("[no response needed]", "(note: ...)").
_NOTE = re.compile(
    r"[\[(]\s*(?:no response|note|response|reply|draft|translation)\b[^\])]*[\])]", re.I
)
# A line that labels a part of a prompt or transcript ("voice:", "fan:", "### reply").
_LABEL_LINE = re.compile(
    r"^\s*(?:#+\s*)?(?:voice|rules|system|user|assistant|fan|you|draft|reply|response|"
    r"answer|persona|instructions?)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_THIRD_PERSON_FAN = re.compile(
    r"\b(?:the|this) fan(?:'s)?\s+(?:is|was|wants|wanted|wrote|writes|says|said|asks|asked|"
    r"seems|has|had|will|would|mentioned|likes|loves|message|request|name)\b"
    r"|\b(?:to|for|tell|ask|thank|answer|reply to|respond to) (?:the|this) fan\b"
    r"|\bthe (?:user|customer|subscriber)\b",
    re.IGNORECASE,
)
# Letters by script: a reply in another script than the fan's message is another language.
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
    "cjk": re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
}


def _vocabulary(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Common function words of the Latin-script languages fans write in (for telling them apart).
_FUNCTION_WORDS = {
    "en": _vocabulary("the you and to is it my me for are that this what with your have"),
    "es": _vocabulary("el la los que de y es por para con una tu mi pero muy como"),
    "fr": _vocabulary("le la les et est une des pour avec je tu vous pas que mais très"),
    "de": _vocabulary("der die das und ist nicht ich du mit ein eine auch für sehr wie"),
    "pt": _vocabulary("o os que de e é um uma para com não você muito meu minha"),
    "it": _vocabulary("il che di e è un una per con non sono ti mi molto anche"),
}


class Refusal(StrEnum):
    EMPTY = "empty"
    PROMPT_ECHO = "prompt_echo"
    MARKUP = "markup"
    LOOP = "loop"
    THIRD_PERSON = "third_person"
    AI_DISCLOSURE = "ai_disclosure"
    ASSISTANT_VOICE = "assistant_voice"
    CONTACT = "contact"
    MEETING = "meeting"
    INSULT = "insult"
    PRICE = "price"
    LANGUAGE = "language"
    MISREAD_MOOD = "misread_mood"
    PERSONA = "persona"


@dataclass(frozen=True)
class Finding:
    code: Refusal
    reason: str  # what is wrong, for the chatter

    def as_json(self) -> dict[str, str]:
        return {"code": self.code.value, "reason": self.reason}


@dataclass(frozen=True)
class Verdict:
    findings: tuple[Finding, ...]

    @property
    def sendable(self) -> bool:
        return not self.findings

    def as_json(self) -> list[dict[str, str]]:
        return [finding.as_json() for finding in self.findings]


def guard_draft(
    draft: str,
    persona: Persona,
    fan_message: str,
    *,
    prompts: PromptSettings | None = None,
    offered_prices: Collection[Decimal] | None = None,
) -> Verdict:
    """Every reason `draft` cannot be sent as it is, in the order of Refusal; none if it can.
    With `offered_prices`, an amount the draft names must be one of them (a price only an
    approved offer may state); None leaves prices unchecked."""
    text = draft.strip()
    if not text:
        return Verdict((Finding(Refusal.EMPTY, "the model wrote nothing"),))
    checks = (
        _echo(text, persona, fan_message, prompts or PromptSettings()),
        _markup(text),
        _loop(text),
        _third_person(text),
        _ai(text),
        _assistant(text),
        _contact(text),
        _meeting(text),
        _insult(text),
        _price(text, offered_prices),
        _language(text, fan_message),
        _misread_mood(text, fan_message),
        _persona(text, persona),
    )
    return Verdict(tuple(finding for finding in checks if finding is not None))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


@lru_cache(maxsize=16)
def _instruction_ngrams(version: str, folder: Path | None) -> frozenset[tuple[str, ...]]:
    """The word n-grams of the prompts' fixed text (placeholders left out)."""
    texts = [
        re.sub(r"\$\w+", " | ", template.template)
        for name in PROMPTS
        for _, template in load(version, name, folder).messages
    ]
    return _ngram_set(texts)


def _ngram_set(texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for text in texts:
        for line in text.split("|"):
            found.update(ngrams(words(line), ECHO_NGRAM))
    return frozenset(found)


def _echo(text: str, persona: Persona, fan_message: str, prompts: PromptSettings) -> Finding | None:
    tokens = words(text)
    if _parrots(tokens, words(fan_message)):
        return Finding(Refusal.PROMPT_ECHO, "repeats the fan's message")
    rules = _ngram_set(render_persona(persona).splitlines())
    instructions = _instruction_ngrams(prompts.version, prompts.templates_dir)
    shared = sorted({g for g in ngrams(tokens, ECHO_NGRAM) if g in rules or g in instructions})
    if len(shared) >= ECHO_SHARED:
        return Finding(Refusal.PROMPT_ECHO, f'repeats the instructions ("{" ".join(shared[0])} …")')
    section = SECTION_NAMES.search(text)
    if section:
        return Finding(Refusal.PROMPT_ECHO, f'names a section of the prompt ("{section.group(0)}")')
    note = _NOTE.search(text)
    if note:
        return Finding(Refusal.PROMPT_ECHO, f'writes a note about the reply ("{note.group(0)}")')
    label = _LABEL_LINE.search(text)
    if label:
        return Finding(
            Refusal.PROMPT_ECHO, f'labels a line like a prompt ("{label.group(0).strip()}")'
        )
    return None


def _parrots(tokens: list[str], theirs: list[str]) -> bool:
    if not tokens or not theirs:
        return False
    if tokens == theirs:
        return True
    spans = {tuple(theirs[i : i + len(tokens)]) for i in range(len(theirs) - len(tokens) + 1)}
    if len(tokens) >= PARROT_MIN and tuple(tokens) in spans:
        return True
    return bool(set(ngrams(tokens, PARROT_RUN)) & set(ngrams(theirs, PARROT_RUN)))


def _markup(text: str) -> Finding | None:
    found = _TAG.findall(text) + _ENTITY.findall(text) + _BARE_TAG.findall(text)
    if not found:
        return None
    return Finding(Refusal.MARKUP, f'contains markup ("{found[0]}")')


def _loop(text: str) -> Finding | None:
    sentences = Counter(
        " ".join(words(part)) for part in re.split(r"[\n.!?…]+", text) if len(words(part)) >= 2
    )
    runs = Counter(ngrams(words(text), LOOP_NGRAM))
    for said, times in [*sentences.most_common(1), *runs.most_common(1)]:
        if times >= LOOP_TIMES:
            shown = said if isinstance(said, str) else " ".join(said)
            return Finding(Refusal.LOOP, f'says "{shown}" {times} times')
    return None


def _third_person(text: str) -> Finding | None:
    found = _THIRD_PERSON_FAN.search(text)
    if found is None:
        return None
    return Finding(Refusal.THIRD_PERSON, f'speaks about "{found.group(0)}" instead of to them')


def _ai(text: str) -> Finding | None:
    found = bot_admissions(text)
    if not found:
        return None
    return Finding(Refusal.AI_DISCLOSURE, f'speaks as an AI ("{found[0]}")')


def _assistant(text: str) -> Finding | None:
    found = assistant_phrases(text)
    if not found:
        return None
    return Finding(Refusal.ASSISTANT_VOICE, f'sounds like a support assistant ("{found[0]}")')


def _contact(text: str) -> Finding | None:
    found = contact_details(text) + _HASHTAG.findall(text)
    if not found:
        return None
    return Finding(Refusal.CONTACT, f'points the fan elsewhere ("{found[0]}")')


def _meeting(text: str) -> Finding | None:
    found = meetings(text)
    if not found:
        return None
    return Finding(Refusal.MEETING, f'proposes to meet ("{found[0]}")')


def _insult(text: str) -> Finding | None:
    found = _INSULT.search(text)
    return Finding(Refusal.INSULT, f'insults the fan ("{found.group(0)}")') if found else None


def _price(text: str, offered: Collection[Decimal] | None) -> Finding | None:
    free = _FREE.search(text)
    if free:
        return Finding(Refusal.PRICE, f'gives content away ("{free.group(0)}")')
    if offered is None:
        return None
    named = [p for p in prices(text) if amount(p) not in offered]
    if not named:
        return None
    return Finding(Refusal.PRICE, f'names a price no offer carries ("{named[0]}")')


def amount(price: str) -> Decimal:
    """The number in a price as written ("$15", "15.00 dollars")."""
    return Decimal(re.sub(r"[^\d.]", "", price)).normalize()


def _language(text: str, fan_message: str) -> Finding | None:
    ours, theirs = _script(text), _script(fan_message)
    if ours and theirs and ours != theirs:
        return Finding(Refusal.LANGUAGE, f"is in {ours} script; the fan writes in {theirs}")
    if ours == theirs == "latin":
        mine, fans = _latin_language(text, at_least=3), _latin_language(fan_message, at_least=1)
        if mine and fans and mine != fans:
            return Finding(Refusal.LANGUAGE, f"reads as {mine}; the fan writes {fans}")
    return None


def _misread_mood(text: str, fan_message: str) -> Finding | None:
    sympathy = _SYMPATHY.search(text)
    if sympathy is None or not _GOOD_NEWS.search(fan_message) or _TROUBLE.search(fan_message):
        return None
    return Finding(
        Refusal.MISREAD_MOOD,
        f'consoles the fan ("{sympathy.group(0)}") for what he is happy about',
    )


def _script(text: str) -> str | None:
    """The script most of the letters are in, when there are enough letters to tell."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count >= 4 and count >= 0.6 * sum(counts.values()) else None


def _latin_language(text: str, at_least: int) -> str | None:
    """The language whose function words dominate: `at_least` of them, 1.5 times the next."""
    tokens = words(text)
    scores = sorted(
        (
            (sum(t in known for t in tokens), language)
            for language, known in _FUNCTION_WORDS.items()
        ),
        reverse=True,
    )
    (best, language), (second, _) = scores[0], scores[1]
    return language if best >= at_least and best >= 1.5 * second else None


def _persona(text: str, persona: Persona) -> Finding | None:
    hard = [v for v in check_draft(text, persona) if v.rule in HARD_PERSONA_RULES]
    if not hard:
        return None
    return Finding(Refusal.PERSONA, "; ".join(v.detail for v in hard))
