"""Durable facts from a fan message by pattern: the fast, deterministic extractor.

Each rule is a regular expression for one way fans state one kind of fact ("my dog's name is
Max", "being a nurse is exhausting", "my birthday is March 14", "going to Denver next week for
work") and a builder that writes the fact in the third person with its kind, subject (for facts
that change: city, job, birthday, pet:dog, ...), confidence and importance. Confidence is how
reliably the pattern means the fact (0.7 for loose ones like "i love X", up to 0.95); importance
is how much the fact should weigh in a draft (key dates highest). It finds what it was written
for and nothing else.
"""

import re
import string
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from memory.types import Fact


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A phrase ends at the end of the text, punctuation or an emoji, or before one of these words.
CONNECTORS = (
    "and|but|so|lol|lmao|haha|now|is|are|was|were|btw|though|tho|rn|today|tonight|too|at|for|"
    "in|on|with|from|since|because|cause|cuz|which|who|lately|anymore|again|honestly|tbh|ngl|"
    "this|next|last|every|when|if|or|omg|man|dude|bro|by"
)
END = rf"(?=\s*$|\s*[^\w\s'-]|\s+(?:{CONNECTORS})\b)"
SENTENCE_END = r"(?=\s*$|\s*[^\w\s'-]|\s+(?:and|but|so|lol|lmao|haha|btw)\b)"


def words(name: str, most: int) -> str:
    """A lazy group of 1 to `most` words named `name` (lazy: it stops at the first END)."""
    return rf"(?P<{name}>[a-z0-9][\w'-]*(?: [\w'-]+){{0,{most - 1}}}?)"


# What fans call their pets, by species: the species is the subject of the fact ("pet:dog").
PET_SPECIES: dict[str, tuple[str, ...]] = {
    "dog": (
        *("golden retriever", "german shepherd", "french bulldog", "retriever", "labrador"),
        *("lab", "husky", "beagle", "bulldog", "poodle", "corgi", "pug", "chihuahua"),
        *("dachshund", "puppy", "pup", "dog"),
    ),
    "cat": ("kitten", "kitty", "cat"),
    "bird": ("parrot", "bird"),
    "rabbit": ("rabbit", "bunny"),
    "guinea_pig": ("guinea pig",),
    **{other: (other,) for other in ("hamster", "horse", "ferret", "snake", "turtle", "lizard")},
}
SPECIES_OF = {kind: name for name, kinds in PET_SPECIES.items() for kind in kinds}
PET_KINDS = "|".join(sorted(SPECIES_OF, key=len, reverse=True))  # "golden retriever" first
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE = (
    rf"(?:(?P<month>{MONTH})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month2>{MONTH})"
    r"|(?P<relative>today|tomorrow))\b"
)
FORMATS = (
    "lingerie sets|photo sets|voice notes|voice memos|bts clips|videos|vids|photos|pics|pictures|"
    "sets|clips|audios|selfies|customs|livestreams|lives"
)
WHEN = (
    r"\b(?:next (?:week(?:end)?|month|year|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)|this (?:week(?:end)?|month|summer|winter|spring|fall|friday|saturday|sunday)|"
    r"tomorrow|tonight|"
    r"in (?:a few days|a couple (?:of )?(?:days|weeks)|two weeks|\d+ (?:days|weeks)|"
    + "|".join(MONTHS)
    + r"))\b"
)
WHEN_RE = re.compile(WHEN)
I_AM = r"(?:i'm|im|i am)"
# First words that make "going to X" or "living in X" something other than a place.
NOT_A_PLACE = word_set(
    "a an the my your his her our their this that it there here bed sleep work school "
    "church class gym be get have do go see try make take watch call buy need miss fear "
    "debt denial doctor dentist store shop hell heaven"
)
# What "i love X" says about the creator or the chat rather than the fan's tastes.
NOT_A_TASTE = word_set(
    "you u ya ur your yours it that this them him her when how talking chatting seeing hearing"
)
CALL_ME_NOT_A_NAME = word_set(
    "later tomorrow when back sometime now maybe crazy if on after please anytime tonight"
)


# A rule's builder: the fact a match states (without provenance), or None if it is not one.
Builder = Callable[[re.Match[str], date | None], Fact | None]
RULES: list[tuple[re.Pattern[str], Builder]] = []


def rule(*patterns: str, flags: re.RegexFlag = re.IGNORECASE) -> Callable[[Builder], Builder]:
    """Registers a builder for the facts the patterns match."""

    def register(build: Builder) -> Builder:
        RULES.extend((re.compile(pattern, flags), build) for pattern in patterns)
        return build

    return register


def extract_facts(
    text: str, *, source_message_id: UUID | None = None, said_on: date | None = None
) -> list[Fact]:
    """The facts the rules find in a fan's message, in the order they appear, each once.

    `said_on` (the day the fan wrote it) resolves "today" and "tomorrow" in dates; without it
    such dates are skipped.
    """
    text = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())
    found: list[tuple[int, Fact]] = []
    for pattern, build in RULES:
        for match in pattern.finditer(text):
            fact = build(match, said_on)
            if fact is not None:
                found.append((match.start(), replace(fact, source_message_id=source_message_id)))
    facts: dict[tuple[str, str | None, str], Fact] = {}
    for _, fact in sorted(found, key=lambda pair: pair[0]):
        facts.setdefault((fact.kind, fact.subject, fact.body.casefold()), fact)
    return list(facts.values())


# --- helpers ------------------------------------------------------------------------------------


def article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def proper(name: str) -> str:
    """A name as written, or capitalised when the fan wrote it all lower case."""
    return string.capwords(name) if name.islower() else name


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def parse_date(match: re.Match[str], said_on: date | None) -> str | None:
    """The DATE groups of a match as "March 14"; None for an impossible or unresolvable date."""
    relative = match.group("relative")
    if relative:
        if said_on is None:
            return None
        day = said_on + timedelta(days=1 if relative.lower() == "tomorrow" else 0)
        return f"{MONTHS[day.month - 1].capitalize()} {day.day}"
    month_text = (match.group("month") or match.group("month2")).lower()
    month = next(i for i, name in enumerate(MONTHS, 1) if name.startswith(month_text[:3]))
    day_number = int(match.group("day") or match.group("day2"))
    try:
        date(2000, month, day_number)  # a leap year: February 29 is a birthday
    except ValueError:
        return None
    return f"{MONTHS[month - 1].capitalize()} {day_number}"


# --- pets (animals) -----------------------------------------------------------------------------


@rule(
    rf"\bmy (?P<animal>{PET_KINDS})(?:'s| s)? name is (?P<name>[a-z]+)",
    rf"\bmy (?P<animal>{PET_KINDS}),? (?:is )?(?:called|named) (?P<name>[a-z]+)",
    rf"\b(?:i have|i've got|ive got|i got) (?:a|an) (?:new )?(?P<animal>{PET_KINDS})"
    r" (?:called|named) (?P<name>[a-z]+)",
)
def named_pet(match: re.Match[str], _: date | None) -> Fact:
    return _pet(match.group("animal").lower(), match.group("name"), 0.9)


@rule(rf"(?i:\bmy (?P<animal>{PET_KINDS})),? (?P<name>[A-Z][a-z]+)\b", flags=re.NOFLAG)
def pet_and_name(match: re.Match[str], _: date | None) -> Fact:
    return _pet(match.group("animal").lower(), match.group("name"), 0.85)


def _pet(animal: str, name: str, confidence: float) -> Fact:
    body = f"Has {article(animal)} named {name.capitalize()}"
    return Fact("personal_detail", body, f"pet:{SPECIES_OF[animal]}", confidence, 0.6)


# --- job, home, age, interests ------------------------------------------------------------------

JOB = words("job", 3) + END


@rule(
    rf"\bi (?:currently |still )?work as (?:a|an) {JOB}",
    rf"\b{I_AM} (?:currently )?working as (?:a|an) {JOB}",
    rf"\b(?:my|a) (?:new )?job as (?:a|an) {JOB}",
    rf"\b(?:shift|work|job)\b[^.!?]{{0,80}}?\bbeing (?:a|an) {words('job', 3)}\s+is\b",
    rf"\bjob\b[^.!?]{{0,80}}?\b{I_AM} (?:a|an) {words('job', 3)} now\b",
    rf"\b{I_AM} (?:a|an) {words('job', 3)} by (?:trade|profession)\b",
)
def job(match: re.Match[str], _: date | None) -> Fact:
    title = match.group("job").lower()
    return Fact("personal_detail", f"Works as {article(title)}", "job", 0.85, 0.6)


PLACE = rf"(?P<place>[a-z][\w.'-]*(?: [a-z][\w.'-]*){{0,2}}?){END}"


@rule(rf"\b(?:i live|{I_AM} living|living|{I_AM} based) in {PLACE}")
def lives_in(match: re.Match[str], _: date | None) -> Fact | None:
    return _place(match, "Lives in", "city")


@rule(rf"\b(?:just |finally |recently )?moved to {PLACE}")
def moved_to(match: re.Match[str], _: date | None) -> Fact | None:
    return _place(match, "Moved to", "city")


@rule(rf"\b{I_AM} (?:originally )?from {PLACE}")
def from_place(match: re.Match[str], _: date | None) -> Fact | None:
    return _place(match, "Is from", "hometown")


def _place(match: re.Match[str], verb: str, subject: str) -> Fact | None:
    place = match.group("place")
    if place.split()[0].lower() in NOT_A_PLACE:
        return None
    confidence = 0.7 if place.islower() else 0.85
    return Fact("personal_detail", f"{verb} {proper(place)}", subject, confidence, 0.6)


@rule(
    rf"\b{I_AM} (?P<age>[1-9]\d) (?:years old|yrs old|y/?o)\b",
    r"\b(?:i |i've |ive )?(?:just )?turned (?P<age>[1-9]\d)\b",
)
def age(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Is {match.group('age')} years old", "age", 0.85, 0.5)


@rule(
    rf"\b(?:huge|big|massive|die-?hard|lifelong) {words('team', 2)} fan\b",
    rf"\b(?:huge|big|massive|die-?hard|lifelong) fan of (?:the )?{words('team', 2)}{END}",
)
def fan_of(match: re.Match[str], _: date | None) -> Fact | None:
    team = match.group("team")
    if team.split()[0].lower() in NOT_A_TASTE:
        return None  # "big fan of yours"
    return Fact("personal_detail", f"Big fan of {proper(team)}", "team", 0.75, 0.4)


@rule(
    r"\bspent (?:the |my )?(?:whole |entire )?weekend"
    rf" (?P<doing>[a-z]+ing(?: [\w'-]+){{0,3}}?){SENTENCE_END}"
)
def weekend(match: re.Match[str], _: date | None) -> Fact:
    body = f"Spends weekends {match.group('doing').lower()}"
    return Fact("personal_detail", body, None, 0.7, 0.4)


@rule(rf"\bmy hobb(?:y is|ies are) {words('hobby', 5)}{END}")
def hobby(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Hobbies: {match.group('hobby').lower()}", None, 0.8, 0.5)


# --- key dates ----------------------------------------------------------------------------------


@rule(
    rf"\bmy (?:birthday|bday|b-day|birth day)(?: is|'s| falls)? (?:on )?{DATE}",
    rf"\b(?:it's|its|it is) my (?:birthday|bday|b-day) (?:on )?{DATE}",
)
def birthday(match: re.Match[str], said_on: date | None) -> Fact | None:
    day = parse_date(match, said_on)
    return Fact("key_date", f"Birthday is {day}", "birthday", 0.95, 0.9) if day else None


@rule(rf"\b(?:since|when) i (?:first )?subscribed (?:back )?on {DATE}")
def subscribed_on(match: re.Match[str], said_on: date | None) -> Fact | None:
    day = parse_date(match, said_on)
    body = f"Subscription anniversary is {day}"
    return Fact("key_date", body, "anniversary", 0.9, 0.7) if day else None


@rule(rf"\bmy (?:wedding )?anniversary is (?:on )?{DATE}")
def wedding_anniversary(match: re.Match[str], said_on: date | None) -> Fact | None:
    day = parse_date(match, said_on)
    body = f"Wedding anniversary is {day}"
    return Fact("key_date", body, "wedding_anniversary", 0.9, 0.8) if day else None


# --- pet names and nicknames --------------------------------------------------------------------

NICKNAME = r"(?:\"(?P<quoted>[^\"]{1,30})\"|(?P<nick>(?:(?:my|your|lil|little|big) )?[a-z][\w'-]*))"


@rule(
    rf"\bi (?:really )?(?:love|like|adore) (?:it )?when you call me {NICKNAME}",
    rf"\bi (?:love|like) being called {NICKNAME}",
    rf"\bkeep calling me {NICKNAME}",
)
def likes_being_called(match: re.Match[str], _: date | None) -> Fact | None:
    nickname = _nickname(match)
    body = f"Likes being called '{nickname}'"
    return Fact("pet_name", body, "pet_name", 0.9, 0.8) if nickname else None


@rule(
    rf"\b(?:you can|just|please) call me {NICKNAME}",
    rf"\b(?:my friends|everyone|everybody|people|my mates|the boys) calls? me {NICKNAME}",
    rf"\bmy nickname is {NICKNAME}",
)
def goes_by(match: re.Match[str], _: date | None) -> Fact | None:
    nickname = _nickname(match)
    return Fact("pet_name", f"Goes by '{nickname}'", "nickname", 0.85, 0.7) if nickname else None


def _nickname(match: re.Match[str]) -> str | None:
    nickname = match.group("quoted") or match.group("nick")
    return None if nickname.lower() in CALL_ME_NOT_A_NAME else nickname


# --- preferences --------------------------------------------------------------------------------

TASTE = words("thing", 5) + END


@rule(rf"\bi (?:really |absolutely |just |totally |so )?(?:love|adore) {TASTE}")
def loves(match: re.Match[str], _: date | None) -> Fact | None:
    return _taste(match, "Loves")


@rule(rf"\bi (?:really )?(?:hate|can't stand|cant stand|don't like|dont like|do not like) {TASTE}")
def dislikes(match: re.Match[str], _: date | None) -> Fact | None:
    return _taste(match, "Dislikes")


def _taste(match: re.Match[str], verb: str) -> Fact | None:
    thing = match.group("thing")
    first = thing.split()[0].lower()
    if first in NOT_A_TASTE or first.startswith("your") or thing.lower().startswith("the way"):
        return None
    return Fact("preference", f"{verb} {thing.lower()}", None, 0.7, 0.5)


@rule(rf"\bmy (?:favou?rite|fav|fave) (?P<what>[a-z]+(?: [a-z]+)?) (?:is|are) {TASTE}")
def favourite(match: re.Match[str], _: date | None) -> Fact:
    what, thing = match.group("what").lower(), match.group("thing")
    return Fact("preference", f"Favourite {what}: {thing}", f"favourite:{slug(what)}", 0.85, 0.6)


@rule(
    rf"\byour (?P<best>{FORMATS}) (?:are|is) (?:my|the) (?:favou?rite|fav|fave|best)\b",
    rf"\b(?P<best>{FORMATS}) ?(?:>|are better than|over) ?(?P<worse>{FORMATS})\b",
    rf"\b(?P<best>{FORMATS}) (?:are|is) (?:way |so much |much |a lot |definitely )?better\b",
    rf"\bi prefer (?P<best>{FORMATS})(?: (?:over|to) (?P<worse>{FORMATS}))?\b",
)
def content_format(match: re.Match[str], _: date | None) -> Fact:
    best, worse = match.group("best").lower(), match.groupdict().get("worse")
    body = f"Prefers {best} over {worse.lower()}" if worse else f"Prefers {best}"
    return Fact("preference", body, "content_format", 0.8, 0.7)


@rule(
    r"\byou look (?:so |really )?(?:amazing|hot|great|good|gorgeous|stunning|incredible|"
    rf"beautiful|sexy|perfect|fire) in {words('outfit', 3)}{END}"
)
def looks(match: re.Match[str], _: date | None) -> Fact:
    body = f"Loves seeing the creator in {match.group('outfit').lower()}"
    return Fact("preference", body, None, 0.75, 0.5)


PLAIN_ADJECTIVES = word_set(
    "simple nice good lucky normal shy lonely busy real regular big tall short old young "
    "single married happy funny cool bad lazy tired sad grown quiet loyal generous"
)


@rule(rf"\b{I_AM} (?:a|an) (?P<thing>[a-z]+(?: [a-z]+)?) (?P<who>guy|girl|person|man)\b")
def kind_of_person(match: re.Match[str], _: date | None) -> Fact | None:
    thing = match.group("thing").lower()
    if thing.split()[0] in PLAIN_ADJECTIVES:
        return None  # "i'm a simple guy" is not a taste
    return Fact("preference", f"Is a {thing} {match.group('who').lower()}", None, 0.7, 0.4)


# --- conversation facts -------------------------------------------------------------------------

TRAVEL = r"(?:going|heading|flying|travell?ing|driving|off)(?: out)? to"
CAPITALISED_PLACE = r"(?P<place>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2})"
PURPOSE = re.compile(r"\bfor (?P<purpose>work|business|a conference|vacation|holiday|a wedding)\b")


@rule(
    rf"(?i:\b{TRAVEL}|\b(?:trip|vacation|holiday) to) {CAPITALISED_PLACE}(?P<rest>[^.!?]*)",
    flags=re.NOFLAG,
)
def trip_to_named_place(match: re.Match[str], _: date | None) -> Fact | None:
    return _trip(match.group("place"), match.group("rest"))


@rule(rf"\b{TRAVEL} (?P<place>[a-z]+(?: [a-z]+)?) (?P<rest>{WHEN}[^.!?]*)")
def trip_to_place(match: re.Match[str], _: date | None) -> Fact | None:
    return _trip(match.group("place"), match.group("rest"))


def _trip(place: str, rest: str) -> Fact | None:
    if place.split()[0].lower() in NOT_A_PLACE:
        return None
    rest = rest.lower()
    purpose = PURPOSE.search(rest)
    what = "trip"
    if purpose and purpose.group("purpose") in ("work", "business", "a conference"):
        what = "work trip"
    elif purpose and purpose.group("purpose") in ("vacation", "holiday"):
        what = "vacation"
    when = WHEN_RE.search(rest)
    body = f"Mentioned {article(what)} to {proper(place)}" + (f" {when.group(0)}" if when else "")
    return Fact("conversation_fact", body, None, 0.8, 0.5)


@rule(
    r"\bsent you (?:a |an |some )?(?:little |small )?(?:something|gift|present|surprise)"
    r"(?P<wishlist>[^.!?]*\bwish ?list)?"
)
def sent_gift(match: re.Match[str], _: date | None) -> Fact:
    body = "Sent the creator a gift" + (" from the wishlist" if match.group("wishlist") else "")
    return Fact("conversation_fact", body, None, 0.85, 0.6)


RELATIVE = (
    "brother|sister|best friend|cousin|mom|mum|dad|mother|father|son|daughter|friend|buddy|"
    "roommate|wife|girlfriend|boyfriend|husband|grandma|grandpa|uncle|aunt"
)
EVENT = "getting married|having a baby|graduating|pregnant|moving away|sick|in (?:the )?hospital"


@rule(rf"\bmy (?P<who>{RELATIVE}) is (?P<event>{EVENT})(?P<rest>[^.!?]*)")
def family_event(match: re.Match[str], _: date | None) -> Fact:
    when = WHEN_RE.search(match.group("rest").lower())
    body = f"{match.group('who').capitalize()} is {match.group('event').lower()}"
    return Fact("conversation_fact", body + (f" {when.group(0)}" if when else ""), None, 0.8, 0.4)


@rule(r"\bi (?:just |finally )?got (?P<event>promoted|engaged|married|divorced|fired|laid off)\b")
def life_event(match: re.Match[str], _: date | None) -> Fact:
    return Fact("conversation_fact", f"Got {match.group('event').lower()}", None, 0.85, 0.6)
