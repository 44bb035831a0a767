"""Durable facts from a fan message by pattern: the fast, deterministic extractor.

Each rule is a regular expression for one way fans state one kind of fact ("my dog's name is
Max", "im a nurse", "my bday is 3/14", "heading to Vegas next week") and a builder that writes
the fact in the third person with its kind, subject (for facts that change: city, job, birthday,
pet:dog, ...), confidence and importance. Confidence is how reliably the pattern means the fact
(0.7 for loose ones like "i love X", up to 0.95); importance is how much the fact should weigh in
a draft (key dates highest).

A match only counts when the fan says it of themself, as a fact: not when the clause is someone
else's ("my buddy is going to Vegas"), a question, a hypothetical or a negation ("if i ever get
a dog", "i'm not going"). A kept phrase is a whole one: it stops at the end of its clause, and
one that would end mid-phrase ("Loves to", "Dislikes not being") is dropped.
"""

import re
import string
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from memory.expiry import COUNT_WORDS, MONTHS, WEEKDAYS, expires_at
from memory.types import Fact


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A phrase ends at the end of the text, punctuation or an emoji, or before one of these words.
CONNECTORS = (
    "and|but|so|lol|lmao|haha|now|is|are|was|were|btw|though|tho|rn|today|tonight|too|at|for|"
    "in|on|with|from|since|because|cause|cuz|which|who|lately|anymore|again|honestly|tbh|ngl|"
    "this|next|last|every|when|if|or|omg|man|dude|bro|by|originally|atm|right|here|there|"
    "i|im|i'm|we|you|u|my|it|its|it's|then|af|lmfao|fr|smh|yet|tmrw|tomorrow|yesterday|"
    "finally|already|earlier|just|finna"
)
END = rf"(?=\s*$|\s*[^\w\s'-]|\s+(?:{CONNECTORS})\b)"
SENTENCE_END = r"(?=\s*$|\s*[^\w\s'-]|\s+(?:and|but|so|lol|lmao|haha|btw)\b)"
# What follows a trigger, up to punctuation or an emoji: cut to a whole phrase by `phrase`.
REST = r"(?P<rest>[\w'& -]*)"
# The rest of the sentence, looked at but not taken: a later fact in it is still found.
SENTENCE_REST = r"(?=(?P<rest>[^.!?]*))"


def words(name: str, most: int) -> str:
    """A lazy group of 1 to `most` words named `name` (lazy: it stops at the first END)."""
    return rf"(?P<{name}>[a-z0-9][\w'-]*(?: [\w'-]+){{0,{most - 1}}}?)"


# What fans call their pets, by species: the species is the subject of the fact ("pet:dog").
PET_SPECIES: dict[str, tuple[str, ...]] = {
    "dog": (
        *("golden retriever", "german shepherd", "french bulldog", "australian shepherd"),
        *("border collie", "great dane", "shih tzu", "pit bull", "cocker spaniel", "shiba inu"),
        *("retriever", "labrador", "lab", "husky", "beagle", "bulldog", "poodle", "corgi", "pug"),
        *("chihuahua", "dachshund", "pitbull", "pittie", "labradoodle", "goldendoodle", "doodle"),
        *("rottweiler", "yorkie", "collie", "pomeranian", "terrier", "shepherd", "mastiff"),
        *("greyhound", "schnauzer", "shiba", "puppy", "pup", "doggo", "doggy", "doggie", "pupper"),
        *("pooch", "dog"),
    ),
    "cat": ("maine coon", "kitten", "kitty", "kitteh", "tabby", "siamese", "ragdoll", "cat"),
    "bird": ("parrot", "parakeet", "budgie", "cockatiel", "cockatoo", "macaw", "bird"),
    "rabbit": ("rabbit", "bunny"),
    "guinea_pig": ("guinea pig",),
    "lizard": ("bearded dragon", "gecko", "lizard"),
    "snake": ("ball python", "snake"),
    "turtle": ("tortoise", "turtle"),
    **{other: (other,) for other in ("hamster", "horse", "ferret", "goldfish")},
}
SPECIES_OF = {kind: name for name, kinds in PET_SPECIES.items() for kind in kinds}
PET_KINDS = "|".join(sorted(SPECIES_OF, key=len, reverse=True))  # "golden retriever" first
# Pet words written as the plain species in a fact ("my doggo Zeus": "Has a dog named Zeus").
PET_WORD_AS = {"doggo": "dog", "doggy": "dog", "doggie": "dog", "pupper": "dog", "pooch": "dog"}
PET_WORD_AS |= {"kitty": "cat", "kitteh": "cat"}
PET_ADJECTIVE = r"(?:(?:little|lil|sweet|old|new|baby|fat|lazy|good|big|rescue) )?"

# Family a fan names ("my daughter Emma"), as written in the fact; partners have one subject.
KIN = {
    kin: kin
    for kin in word_set(
        "son daughter brother sister wife husband nephew niece stepson stepdaughter grandson "
        "granddaughter girlfriend boyfriend fiance fiancee"
    )
} | {"gf": "girlfriend", "bf": "boyfriend", "wifey": "wife", "hubby": "husband"}
KIN |= {"fiancé": "fiance", "fiancée": "fiancee"}
PARTNERS = word_set("wife husband girlfriend boyfriend fiance fiancee")
KIN_WORDS = "|".join(sorted(KIN, key=len, reverse=True))
RELATIVE = (
    "brother|sister|best friend|cousin|mom|mum|dad|mother|father|son|daughter|friend|buddy|"
    "roommate|wife|girlfriend|boyfriend|husband|grandma|grandpa|uncle|aunt|gf|bf"
)
# Who else a clause can be about ("my buddy is going to Vegas"): the fact is not the fan's.
PEOPLE = word_set(
    "brother sister cousin mom mum mommy dad daddy mother father son daughter friend friends "
    "buddy buddies bud pal roommate wife girlfriend boyfriend husband grandma grandpa uncle "
    "aunt gf bf wifey hubby fiance fiancee kid kids children child boss coworker coworkers "
    "neighbor neighbour manager bro sis homie homies guy guys girl dude family parents sibling "
    "siblings nephew niece bestie teammate partner ex team crew"
) | frozenset(SPECIES_OF)
# Words that are someone only after "my" ("my bro is going", but "bro im going").
MY_PEOPLE = word_set("bro sis baby dude girl boy man")
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
TOMORROW = r"tomorrow|tomorow|tmrw|tmr|tmw|2morrow"
# Days that fall on one date every year: "my birthday is on christmas eve".
HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "new years eve": (12, 31),
    "new years day": (1, 1),
    "new years": (1, 1),
    "halloween": (10, 31),
    "valentines day": (2, 14),
    "valentines": (2, 14),
    "4th of july": (7, 4),
    "fourth of july": (7, 4),
    "st patricks day": (3, 17),
}
HOLIDAY = (
    r"christmas eve|christmas|new year'?s eve|new year'?s(?: day)?|halloween|valentine'?s(?: day)?|"
    r"(?:4th|fourth) of july|st\.? patrick'?s day"
)
DATE = (
    rf"(?:(?P<month>{MONTH})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month2>{MONTH})"
    r"|(?P<num_month>\d{1,2})/(?P<num_day>\d{1,2})(?:/(?:\d{4}|\d{2}))?"
    rf"|(?P<holiday>{HOLIDAY})"
    rf"|(?:this )?(?P<weekday>{'|'.join(WEEKDAYS)})"
    rf"|next (?P<next_weekday>{'|'.join(WEEKDAYS)})"
    r"|the (?P<ordinal>3[01]|[12]?\d)(?:st|nd|rd|th)"
    r"|in (?P<in_count>\d{1,2}|a|one|two|three|four|a few|a couple(?: of)?)"
    r" (?P<in_unit>days?|weeks?)"
    rf"|(?P<relative>today|{TOMORROW}))\b"
)
DATE_GROUPS = (
    *("month", "month2", "num_month", "holiday"),
    *("weekday", "next_weekday", "ordinal", "in_count", "relative"),
)
# The DATE forms that count from the day the fan wrote (the next such day, never a past one).
AHEAD_GROUPS = ("weekday", "next_weekday", "ordinal", "in_count", "relative")
FORMATS = (
    "lingerie sets|photo sets|voice notes|voice memos|bts clips|videos|vids|photos|pics|pictures|"
    "sets|clips|audios|selfies|customs|livestreams|lives"
)
WHEN = (
    r"\b(?:(?:next|nxt) (?:week(?:end)?|wknd|month|year|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)|this (?:week(?:end)?|wknd|month|summer|winter|spring|fall|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|"
    rf"{TOMORROW}|tonight|"
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
    "debt denial doctor dentist store shop hell heaven lunch dinner breakfast break practice "
    "vacation holiday deployment walk run errands town jail court rehab grab pick eat target "
    "walmart costco starbucks mcdonalds chipotle sleepover shower bathroom hospital vet war "
    "lose cry kill die beat stop start tell ask meet visit pay the moment you u ur sea "
    "around nowhere everywhere far future out over all mom moms dad dads parents grandmas "
    "grandma grandpas grandpa"
) | frozenset(MONTHS)
# Places that start with "the": "im from the UK".
THE_PLACES = word_set("uk us usa states bay midwest south north east west bronx philippines")
# What "i love X" says about the creator or the chat rather than the fan's tastes.
NOT_A_TASTE = word_set(
    "you u ya ur your yours it that this them him her when how talking chatting seeing hearing what"
)
CALL_ME_NOT_A_NAME = word_set(
    "later tomorrow when back sometime now maybe crazy if on after please anytime tonight"
)
# Words that are not a pet's or a person's name ("my dog ate", "with my dog").
NOT_A_NAME = (
    word_set(
        "a an the this that these those my your his her its our their me you him them us it i we "
        "they he she is was are were be been being am has had have having do does did done doing "
        "will would could should might must can may shall gonna wanna gotta just and or but so "
        "yet nor if then than as at by for from in into of off on onto out over to up down with "
        "about after before like since until while when where why how what who which whose also "
        "always never still really literally finally sometimes usually even ever every all some "
        "any more most very much many few one two three first last next same other another only "
        "not no yes ok okay lol lmao haha omg ugh bro dude man today tonight yesterday tomorrow "
        "now again rn tho though too back here there home outside inside got get gets went go "
        "goes going come comes came make makes made take takes took see sees saw seen know knows "
        "knew think thinks thought want wants need needs said says say tell tells told give gives "
        "gave let lets put keep keeps kept start starts stop stops try tries turn turns play plays "
        "run runs ran eat eats ate sleep sleeps slept bark barks bite bites bit jump jumps walk "
        "walks die dies love loves hate hates like likes miss misses hug pet pets feed feeds fed "
        "bring brings brought watch watches call calls named called name lives live lost lose "
        "broke break breaks woke wakes threw throws stole steals found finds sat sits lay lays "
        "lies stays acts looks follows snores sheds chews won't wont can't cant don't dont didn't "
        "didnt doesn't doesnt isn't isnt wasn't wasnt ain't aint hasn't hasnt new old little lil "
        "big baby sweet good bad best fat lazy crazy cute sick dumb stupid smart poor favorite fav "
        "fave buddy boy girl bought brings sent sends texted calls hurt won split left dumped "
        "cheated passed died"
    )
    | frozenset(SPECIES_OF)
    | frozenset(KIN)
    | PEOPLE
)

# Who the nearest subject before a match is: the fan, or someone else.
FAN_WORDS = word_set(
    "i im i'm ive i've ill i'll ima imma me we we're weve we've us our myself ourselves"
)
OTHER_WORDS = word_set(
    "he she they hes he's shes she's theyre they're his her their him them you u ya youre "
    "you're ur your yall y'all he'll she'll they'll"
)
# A match starting with one of these states the fan's own fact ("i love", "my dog").
FIRST_PERSON = FAN_WORDS | word_set("my its it's your you")
# A clause that is a wish, a plan not made, a condition or a denial states no fact.
NOT_A_FACT = re.compile(
    r"\b(?:if|wish|would|wouldn't|wouldnt|could|should|might|maybe|someday|hope|hoping|"
    r"imagine|pretend|thinking (?:about|of|abt)|considering|wanna|want to|wants to|"
    r"i'd|id|you'd|supposed to|unless|not|never|don't|dont|didn't|didnt|doesn't|doesnt|"
    r"no longer|ain't|aint|won't|wont|isn't|isnt|wasn't|wasnt|used to)\b"
)
JOKING = re.compile(r"(?:^|\s)/s\b|\b(?:jk|jking|just kidding|kidding)\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[^\w\s'&/-]")  # punctuation or an emoji
SOFT_BREAK = re.compile(r"\b(?:but|so|because|cause|cuz|and|then|tho|though|lol|lmao|haha)\b")


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

    `said_on` (the day the fan wrote it) resolves "today", "tomorrow" and weekdays in dates;
    without it such dates are skipped.
    """
    text = normalise(text)
    if JOKING.search(text):
        return []  # "im vegan lol jk": nothing in it is sure
    found: list[tuple[int, int, Fact]] = []  # (start, end, fact)
    for pattern, build in RULES:
        for match in pattern.finditer(text):
            if not stated_by_the_fan(text, match):
                continue
            fact = build(match, said_on)
            if fact is not None:
                fact = replace(fact, source_message_id=source_message_id)
                found.append((match.start(), match.end(), fact))
    # A slot's fact that ends last is the message's word on it ("my dog max passed away").
    last_said = {
        (fact.kind, fact.subject): fact
        for _, _, fact in sorted(found, key=lambda item: item[1])
        if fact.subject is not None
    }
    facts: dict[tuple[str, str | None, str], Fact] = {}
    for _, _, fact in sorted(found, key=lambda item: item[0]):
        if fact.subject is None or last_said[fact.kind, fact.subject] is fact:
            facts.setdefault((fact.kind, fact.subject, fact.body.casefold()), fact)
    kept = list(facts.values())
    return [fact for fact in kept if not any(said_more(other, fact) for other in kept)]


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<!\w)w/(?!\w)", "with", text)
    text = re.sub(r"(?<!\w)b/c(?!\w)", "because", text)
    return " ".join(text.split())


def said_more(other: Fact, fact: Fact) -> bool:
    """Whether `other` says all `fact` says and more ("Has a son named Tyler", "Has a son")."""
    return other.body.casefold().startswith(fact.body.casefold() + " ")


# --- who says it, and whether as a fact ---------------------------------------------------------


def stated_by_the_fan(text: str, match: re.Match[str]) -> bool:
    """Whether the match is the fan stating something of themself, not a question, a
    hypothetical, a denial or someone else's news."""
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, match.start())), default=0)
    clause = text[clause_start : match.start()]
    after = CLAUSE_BREAK.search(text, match.end())
    first = match.group(0).split()[0].lower()
    own = first in FIRST_PERSON
    if after and after.group(0) == "?" and not own:
        return False
    soft = max((m.end() for m in SOFT_BREAK.finditer(clause)), default=0)
    if first not in ("my", "our") and NOT_A_FACT.search(clause[soft:]):
        return False  # "if my dog max gets out": he still has a dog named Max
    return own or nearest_subject_is_the_fan(clause.split())


NAMED_DOES = word_set("is was just will has had and")


def nearest_subject_is_the_fan(before: list[str]) -> bool:
    """Whether the last subject before a verb ("my buddy is going", "me and my buddy are
    going", "going") is the fan; a clause without one is the fan's."""
    for i in range(len(before) - 1, -1, -1):
        word = before[i].lower().strip("\"'")
        if word in FAN_WORDS:
            return True
        possessive = re.sub(r"(?:'s|s)$", "", word)
        named = (
            before[i][:1].isupper()
            and possessive not in NOT_A_NAME
            and (
                word.endswith("'s") or (i + 1 < len(before) and before[i + 1].lower() in NAMED_DOES)
            )
        )
        mine = i > 0 and before[i - 1].lower() == "my" and word in MY_PEOPLE
        if word in OTHER_WORDS or word in PEOPLE or possessive in PEOPLE or named or mine:
            together = " ".join(before[max(0, i - 4) : i]).lower()
            return re.search(r"\b(?:me|i) (?:and|&|n) ", together) is not None
    return True


# --- helpers ------------------------------------------------------------------------------------


def article(noun: str) -> str:
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


def proper(name: str) -> str:
    """A name as written, or capitalised when the fan wrote it all lower case."""
    return string.capwords(name) if name.islower() else name


def plain(text: str) -> str:
    """A phrase in lower case but for acronyms ("ER nurse")."""
    return " ".join(
        word if word.isupper() and len(word) > 1 else word.lower() for word in text.split()
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def a_name(word: str | None, *, at_clause_start: bool = True) -> str | None:
    """The word as a name (capitalised), or None for a word that is no name ("my dog ate")."""
    if not word or not 2 <= len(word) <= 15 or not word.isalpha():
        return None
    low = word.lower()
    if low in NOT_A_NAME or (len(low) > 4 and low.endswith(("ing", "ed", "ly"))):
        return None  # "Walked my dog", "my son graduated"
    if word.islower() and low.endswith("s") and not low.endswith(("us", "ss")):
        return None  # "my dog barks"
    return None if word.islower() and not at_clause_start else word.capitalize()


def parse_date(match: re.Match[str], said_on: date | None) -> str | None:
    """The DATE groups of a match as "March 14"; None for an impossible or unresolvable date."""
    groups = match.groupdict()
    holiday = groups["holiday"]
    if any(groups[group] for group in AHEAD_GROUPS):
        day = _day_ahead(groups, said_on) if said_on is not None else None
        return f"{MONTHS[day.month - 1].capitalize()} {day.day}" if day else None
    if holiday:
        key = re.sub(r"['.]", "", holiday.lower())
        month, day_number = HOLIDAYS[key]
    elif groups["num_month"]:
        month, day_number = int(groups["num_month"]), int(groups["num_day"])
        if month > 12:  # 14/3: day first
            month, day_number = day_number, month
    else:
        month_text = (groups["month"] or groups["month2"]).lower()
        month = next(i for i, name in enumerate(MONTHS, 1) if name.startswith(month_text[:3]))
        day_number = int(groups["day"] or groups["day2"])
    try:
        date(2000, month, day_number)  # a leap year: February 29 is a birthday
    except ValueError:
        return None
    return f"{MONTHS[month - 1].capitalize()} {day_number}"


def _day_ahead(groups: dict[str, str | None], said_on: date) -> date | None:
    """The day a DATE counted from `said_on` names: "friday" the coming one (today included),
    "next friday" the friday of next week (weeks start on monday), "the 14th" the next 14th
    (of the first month that has one), "in 2 weeks" 14 days on."""
    weekday, next_weekday = groups["weekday"], groups["next_weekday"]
    if weekday:
        return said_on + timedelta(days=(WEEKDAYS.index(weekday.lower()) - said_on.weekday()) % 7)
    if next_weekday:
        next_monday = said_on + timedelta(days=7 - said_on.weekday())
        return next_monday + timedelta(days=WEEKDAYS.index(next_weekday.lower()))
    if groups["ordinal"]:
        day_number = int(groups["ordinal"])
        first = 0 if day_number >= said_on.day else 1  # this month's is past: from the next
        for ahead in range(first, first + 3):  # "the 31st" said on November 6: December 31
            years, month = divmod(said_on.month - 1 + ahead, 12)
            try:
                return date(said_on.year + years, month + 1, day_number)
            except ValueError:
                continue
        return None
    if groups["in_count"]:
        count = groups["in_count"].lower()
        days = int(count) if count.isdigit() else COUNT_WORDS[count]
        weeks = (groups["in_unit"] or "").startswith("week")
        return said_on + timedelta(days=days * (7 if weeks else 1))
    relative = groups["relative"] or ""
    return said_on + timedelta(days=0 if relative.lower() == "today" else 1)


def timed(fact: Fact, rest: str, said_on: date | None) -> Fact:
    """The fact with the time `rest` names said in it and kept as its end ("next week")."""
    said = when(rest)
    return replace(fact, body=fact.body + said, expires_at=expires_at(said, said_on))


def when(rest: str) -> str:
    """The time `rest` names, with a leading space (" next week", "tmrw" as " tomorrow"), or ""."""
    found = WHEN_RE.search(rest.lower())
    if not found:
        return ""
    said = re.sub(rf"\b(?:{TOMORROW})\b", "tomorrow", found.group(0))
    said = said.replace("nxt", "next").replace("wknd", "weekend")
    return " " + " ".join(w.capitalize() if w in MONTHS else w for w in said.split())


# --- phrases ------------------------------------------------------------------------------------

# Words that end the phrase they follow ("i love hiking lol"); a phrase cannot start with one.
PHRASE_STOPS = word_set(
    "lol lmao lmfao haha hahaha hehe btw tbh ngl rn tho though because cause cuz bc cus since "
    "but so when whenever if which who while until unless lately anymore nowadays today tonight "
    "tomorrow tmrw yesterday again honestly fr omg smh idk imo too also either yet now right "
    "every af asf sadly unfortunately apparently actually obviously seriously literally "
    "basically definitely probably lowkey highkey"
)
# Subjects of a new clause in a run-on sentence ("i love hiking im out every weekend").
NEW_CLAUSE = word_set(
    "i im i'm ive i've ill i'll id i'd we we're he she they he's she's hes shes they're theyre "
    "thats that's theres there's whats what's"
)
# A phrase about the creator or the chat, not the fan's taste ("i hate not being with you").
ABOUT_THE_CREATOR = word_set("you u ya ur your yours ure you're youre")
# Objects that end a phrase after a noun ("i love my job it pays") but leave a verb without its
# object ("i love watching it").
OBJECTS = word_set("it them him her")
# "and" that starts a new clause rather than a list ("back from vegas and my wallet is crying").
AND_NEW_CLAUSE = NEW_CLAUSE | word_set("my you u it its the then so that this was is")
# Words a whole phrase does not end on ("Loves to", "Dislikes not being").
DANGLING = word_set(
    "to not being a an the my your their of with w for at in on from by and or is are was be "
    "get getting gonna wanna just really so very this that about like into than as when"
)
DURATION = word_set("like a an about over years months weeks ages awhile the")
PREPOSITIONS = word_set("with for at in on from by to of about during near around")
FILLER_TAIL = re.compile(
    r"(?:\s+(?:(?:so+|very|too|sm) much|sm|a lot|alot|as well|more than anything|the most|"
    r"to death|forever|for real))+$",
    re.IGNORECASE,
)
THIRD_PERSON = {"my": "their", "me": "them", "mine": "theirs", "myself": "themselves"}
THIRD_PERSON |= {"our": "their", "us": "them"}


def phrase(rest: str, most: int = 6) -> str | None:
    """The whole phrase `rest` starts with, in the third person; None for none or a cut one."""
    tokens = rest.split()
    kept: list[str] = []
    for i, token in enumerate(tokens):
        word = token.lower()
        following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if word in ABOUT_THE_CREATOR:
            return None
        if word in OBJECTS:
            last = kept[-1].lower() if kept else ""
            if not last or last.endswith("ing") or last in PREPOSITIONS:
                return None
            break
        if word in PHRASE_STOPS or (kept and word in NEW_CLAUSE):
            break
        if word == "and" and (not following or following in AND_NEW_CLAUSE):
            break
        if word == "for" and (following in DURATION or following.isdigit()):
            break  # "jiu jitsu for like a year"
        kept.append(token)
    kept = FILLER_TAIL.sub("", " ".join(kept)).split()
    if len(kept) > most:
        cuts = [i for i in range(1, most + 1) if kept[i].lower() in PREPOSITIONS]
        if not cuts:
            return None
        kept = kept[: cuts[-1]]
    if not kept or kept[-1].lower() in DANGLING:
        return None
    return " ".join(THIRD_PERSON.get(word.lower(), word) for word in kept)


# --- pets (animals) -----------------------------------------------------------------------------


@rule(
    rf"\b(?:my|our) (?P<animal>{PET_KINDS})(?:'s|s| s)? name(?: is|'s|s) (?P<name>[a-z]+)",
    rf"\b(?:my|our) (?P<animal>{PET_KINDS}),? (?:is )?(?:called|named) (?P<name>[a-z]+)",
    r"\b(?:i have|i've got|ive got|i got|we got|we have|got|adopted|rescued|bought)"
    rf" (?:a|an) (?:new )?{PET_ADJECTIVE}(?P<animal>{PET_KINDS}),? (?:called|named)"
    r" (?P<name>[a-z]+)",
    r"\b(?:i got|we got|got|adopted|rescued|bought) (?:a|an) (?:new )?"
    rf"{PET_ADJECTIVE}(?P<animal>{PET_KINDS})\b\W*(?:and )?(?:his|her|its|their) name"
    r"(?: is|'s|s) (?P<name>[a-z]+)",
)
def named_pet(match: re.Match[str], _: date | None) -> Fact | None:
    return _pet(match.group("animal"), a_name(match.group("name")), 0.9)


@rule(rf"\b(?:my|our) {PET_ADJECTIVE}(?P<animal>{PET_KINDS}),? (?P<name>[a-z]+)\b")
def pet_and_name(match: re.Match[str], _: date | None) -> Fact | None:
    return _pet(match.group("animal"), a_name(match.group("name")), 0.85)


@rule(rf"(?P<name>\b[a-z]+),? (?:my|our) {PET_ADJECTIVE}(?P<animal>{PET_KINDS})\b")
def name_and_pet(match: re.Match[str], _: date | None) -> Fact | None:
    before = match.string[: match.start()].rstrip()
    starts_clause = not before or bool(CLAUSE_BREAK.match(before[-1]))
    name = a_name(match.group("name"), at_clause_start=starts_clause)
    return _pet(match.group("animal"), name, 0.8)


def _pet(animal: str, name: str | None, confidence: float) -> Fact | None:
    if name is None:
        return None
    animal = animal.lower()
    body = f"Has {article(PET_WORD_AS.get(animal, animal))} named {name}"
    return Fact("personal_detail", body, pet_subject(animal, name), confidence, 0.6)


def pet_subject(animal: str, name: str) -> str:
    """One pet's slot, by species and name: a second dog is another pet, not a correction."""
    return f"pet:{SPECIES_OF[animal.lower()]}:{slug(name)}"[:63]


PET_DIED = r"(?:just )?(?:passed away|passed|died|crossed the rainbow bridge)"


@rule(
    rf"\b(?:my|our) {PET_ADJECTIVE}(?P<animal>{PET_KINDS}),? (?P<name>[a-z]+),? {PET_DIED}",
    rf"\b(?:had to )?put (?:my|our) {PET_ADJECTIVE}(?P<animal>{PET_KINDS}),? (?P<name>[a-z]+)"
    r" down\b",
    rf"\b(?:lost|buried|said goodbye to) (?:my|our) {PET_ADJECTIVE}(?P<animal>{PET_KINDS}),?"
    r" (?P<name>[a-z]+)\b",
)
def pet_died(match: re.Match[str], _: date | None) -> Fact | None:
    """A pet's death ends the fact of having it (the old one stays as history)."""
    name = a_name(match.group("name"))
    if name is None:
        return None
    animal = match.group("animal").lower()
    body = f"Their {PET_WORD_AS.get(animal, animal)} {name} died"
    return Fact("personal_detail", body, pet_subject(animal, name), 0.85, 0.7)


# --- family -------------------------------------------------------------------------------------


@rule(rf"\b(?:my|our) (?P<kin>{KIN_WORDS}),? (?P<name>[a-z]+)\b")
def named_family(match: re.Match[str], _: date | None) -> Fact | None:
    name = a_name(match.group("name"))
    if name is None:
        return None
    kin = KIN[match.group("kin").lower()]
    subject = "partner" if kin in PARTNERS else None
    return Fact("personal_detail", f"Has {article(kin)} named {name}", subject, 0.8, 0.6)


@rule(r"\bmy (?P<kin>wife|wifey|husband|hubby|girlfriend|gf|boyfriend|bf|fianc[eé]e?)\b")
def partner(match: re.Match[str], _: date | None) -> Fact:
    kin = KIN[match.group("kin").lower()]
    return Fact("personal_detail", f"Has {article(kin)}", "partner", 0.75, 0.5)


@rule(r"\bmy (?P<kids>kids|children|son|daughter|kid)(?:'s|s)?\b")
def children(match: re.Match[str], _: date | None) -> Fact:
    kids = match.group("kids").lower()
    body = {"son": "Has a son", "daughter": "Has a daughter"}.get(kids, "Has kids")
    return Fact("personal_detail", body, None, 0.75, 0.5)


@rule(
    r"\bi (?:have|got|have got) (?P<count>a|an|one|two|three|four|five|\d) (?:little |baby |"
    r"teenage |grown |beautiful )?(?P<kids>sons?|daughters?|kids?|children|boys|girls)\b"
)
def has_children(match: re.Match[str], _: date | None) -> Fact:
    body = f"Has {match.group('count').lower()} {match.group('kids').lower()}"
    return Fact("personal_detail", body, None, 0.85, 0.6)


@rule(
    rf"\b{I_AM} (?:happily |newly |recently |now |finally )?"
    r"(?P<status>married|single|divorced|engaged|widowed|separated)\b(?!-)"
)
def relationship(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Is {match.group('status').lower()}", "relationship", 0.8, 0.6)


EVENT = "getting married|having a baby|graduating|pregnant|moving away|sick|in (?:the )?hospital"


@rule(
    rf"\bmy (?P<who>{RELATIVE})(?: (?P<name>[a-z]+))?(?: is|'s|s) (?P<event>{EVENT})"
    + SENTENCE_REST
)
def family_event(match: re.Match[str], said_on: date | None) -> Fact:
    name = a_name(match.group("name"))
    who = KIN.get(match.group("who").lower(), match.group("who").lower()).capitalize()
    body = f"{who}{f' {name}' if name else ''} is {match.group('event').lower()}"
    return timed(Fact("conversation_fact", body, None, 0.8, 0.4), match.group("rest"), said_on)


# Whose death a fan tells of; pets have their own rules ("my dog max passed away").
MOURNED = (
    "grandma|grandpa|grandmother|grandfather|nana|granny|mom|mum|mother|dad|father|brother|"
    "sister|son|daughter|uncle|aunt|cousin|wife|husband|best friend|stepdad|stepmom"
)
DIED = (
    r"(?:passed away|passed on|died"
    r"|passed(?=\s*$|\s*[^\w\s'-]|\s+(?:this|last|yesterday|today|in|on|recently)\b))"
)


@rule(
    rf"\bmy (?P<who>{MOURNED})(?: (?!just |recently |sadly )(?P<name>[a-z]+))? (?:just |recently "
    rf"|sadly )?{DIED}",
    rf"\bi (?:just |recently )?lost my (?P<who2>{MOURNED})\b",
)
def bereavement(match: re.Match[str], _: date | None) -> Fact:
    """A loss to be gentle about for a long time: durable, and weighs much in a draft."""
    groups = match.groupdict()
    who = (groups.get("who") or groups["who2"]).lower()
    name = a_name(groups.get("name"))
    body = f"{who.capitalize()}{f' {name}' if name else ''} passed away"
    return Fact("personal_detail", body, f"loss:{slug(who)}", 0.9, 0.9)


# --- job ----------------------------------------------------------------------------------------

JOB = words("job", 3) + END
JOB_TITLES = (
    "nurse|teacher|cop|police officer|officer|firefighter|paramedic|emt|electrician|"
    "plumber|carpenter|mechanic|welder|truck driver|trucker|chef|bartender|server|waiter|"
    "waitress|barista|accountant|lawyer|attorney|engineer|developer|programmer|doctor|dentist|"
    "pharmacist|vet|veterinarian|surgeon|soldier|marine|pilot|flight attendant|contractor|"
    "realtor|salesman|sales rep|manager|cashier|professor|lineman|farmer|rancher|fisherman|"
    "roofer|machinist|security guard|janitor|librarian|therapist|consultant|analyst|architect|"
    "designer|photographer|cna|rn|lpn|mailman|mail carrier|delivery driver|bus driver|"
    "uber driver|driver|supervisor|technician|tech|hvac tech|social worker|pastor|coach|"
    "personal trainer|trainer|banker|dispatcher|miner|landscaper|painter|builder|operator"
)
TITLE_TAIL = (
    "(?:practitioner|assistant|aide|manager|supervisor|tech|technician|officer|driver|"
    "engineer|specialist|coordinator|director)"
)
TITLE = f"(?:{JOB_TITLES})(?: {TITLE_TAIL})?"
NOT_A_JOB_AFTER = "(?:guy|girl|person|man|fan|nerd|lover|junkie|at heart|wannabe)"
# Words before a title that make "i'm a terrible cook" no job.
NOT_A_JOB = word_set(
    "good bad terrible great decent horrible awful amazing better worse pretty ok okay shitty "
    "lousy backseat big huge simple real proud lucky happy sad tired lonely"
)


@rule(
    rf"\bi (?:currently |still )?work as (?:a|an) {JOB}",
    rf"\b{I_AM} (?:currently )?working as (?:a|an) {JOB}",
    rf"\b(?:my|a) (?:new )?job as (?:a|an) {JOB}",
    rf"\b(?:shift|work|job)\b[^.!?]{{0,80}}?\bbeing (?:a|an) {words('job', 3)}\s+is\b",
    rf"\bjob\b[^.!?]{{0,80}}?\b{I_AM} (?:a|an) {words('job', 3)} now\b",
    rf"\b{I_AM} (?:a|an) {words('job', 3)} by (?:trade|profession)\b",
    rf"\b{I_AM} (?:a|an) (?P<job>(?:[\w-]+ ){{0,2}}?{TITLE})\b(?!'|s\b| {NOT_A_JOB_AFTER}\b)",
)
def job(match: re.Match[str], _: date | None) -> Fact | None:
    title = plain(match.group("job"))
    if title.split()[0].lower() in NOT_A_JOB:
        return None
    return Fact("personal_detail", f"Works as {article(title)}", "job", 0.85, 0.6)


NOT_A_WORKPLACE = word_set("night nights noon midnight work myself least")


@rule(
    rf"\bi (?:currently |still |now )?work (?P<at>at|for) {REST}",
    rf"\bmy (?:\w+ )?shift (?P<at>at) {REST}",
)
@rule(
    r"\b(?:i (?:just )?got|just got|got|i started|started|starting) (?:a |my )?(?:new )?job"
    rf" (?P<at>at|with) {REST}"
)
def works_at(match: re.Match[str], _: date | None) -> Fact | None:
    place = workplace(match.group("rest"))
    if place is None:
        return None
    at = "at" if match.group("at") == "with" else match.group("at")
    return Fact("personal_detail", f"Works {at} {place}", "workplace", 0.8, 0.6)


def workplace(rest: str) -> str | None:
    """The place `rest` starts with: "the county hospital", "Home Depot"; None for a time
    ("at night") or no place."""
    tokens = rest.split()
    lead = tokens[:1] if tokens and tokens[0].lower() in ("the", "a", "an") else []
    name: list[str] = []
    for token in tokens[len(lead) : len(lead) + 3]:
        word = token.lower()
        stop = word in NOT_A_NAME or word in PHRASE_STOPS or word in NOT_A_WORKPLACE
        if stop and not token.istitle():  # "Home Depot" is a name
            break
        name.append(token)
    if not name or name[0][:1].isdigit():
        return None
    place = " ".join(name)
    return " ".join([*lead, place]) if lead else proper(place)


@rule(
    rf"\b{I_AM} (?:a|an) (?P<student>(?:(?:college|grad|graduate|nursing|med|law|phd|full time|"
    r"part time|high school) )?student)\b"
)
def student(match: re.Match[str], _: date | None) -> Fact:
    body = f"Is {article(match.group('student').lower())}"
    return Fact("personal_detail", body, "job", 0.8, 0.6)


FIELDS = (
    "construction|sales|retail|tech|it|finance|marketing|insurance|real estate|healthcare|"
    "hospitality|logistics|education|hr|accounting|security|law enforcement|manufacturing|"
    "the oil ?fields?|oil and gas|the trades|software|government|politics|the military|"
    "a warehouse|a factory|a hospital|a restaurant|a bar|an office|a kitchen|a prison|a plant|"
    "a mine|a school|a lab|a bank|a hotel|a casino|a call center"
)


@rule(rf"\bi (?:currently |still )?work in (?P<field>{FIELDS})\b")
def works_in(match: re.Match[str], _: date | None) -> Fact:
    field = match.group("field")
    subject = "workplace" if field.split()[0].lower() in ("a", "an") else "job"
    return Fact("personal_detail", f"Works in {plain(field)}", subject, 0.8, 0.6)


@rule(rf"\b(?:just |finally )?got promoted to (?:be )?(?:a |an )?{JOB}")
def promoted(match: re.Match[str], _: date | None) -> Fact:
    body = f"Got promoted to {plain(match.group('job'))}"
    return Fact("personal_detail", body, "job", 0.85, 0.6)


@rule(rf"\bi (?:currently |still )?teach {REST}")
def teaches(match: re.Match[str], _: date | None) -> Fact | None:
    subject = phrase(match.group("rest"), most=4)
    if subject is None or subject.split()[0].lower() in NOT_A_NAME | word_set("their them"):
        return None
    return Fact("personal_detail", f"Teaches {subject}", "job", 0.75, 0.6)


@rule(r"\bi (?:just |finally )?got (?P<event>promoted|engaged|married|divorced|fired|laid off)\b")
def life_event(match: re.Match[str], _: date | None) -> Fact:
    return Fact("conversation_fact", f"Got {match.group('event').lower()}", None, 0.85, 0.6)


@rule(r"\b(?:i )?(?:just |recently )?lost my job\b")
def lost_job(_: re.Match[str], __: date | None) -> Fact:
    return Fact("conversation_fact", "Lost their job", None, 0.85, 0.7)


PARTNER_WORDS = "gf|bf|girlfriend|boyfriend|wife|husband|fiance|fiancee|partner"


@rule(
    rf"\b(?:i|we|me and my (?:{PARTNER_WORDS})|my (?:{PARTNER_WORDS}) and i) (?:just |finally |"
    r"recently )?(?:broke up|split up|separated)\b",
    r"\bi (?:just )?got dumped\b",
)
def breakup(_: re.Match[str], __: date | None) -> Fact:
    return Fact("personal_detail", "Broke up with their partner", "partner", 0.85, 0.8)


# --- home ---------------------------------------------------------------------------------------

CLAUSE_START = r"(?:^|(?<=[^\w\s'-])\s*)"  # the message's or a clause's first word
PLACE_WORD = r"(?:(?:st|ft|mt)\. )?[a-z][\w'-]*"
PLACE = rf"(?P<place>{PLACE_WORD}(?: {PLACE_WORD}){{0,2}}?){END}"


@rule(
    rf"\b(?:i live|{I_AM} living|living|{I_AM} based) in {PLACE}",
    rf"{CLAUSE_START}live in {PLACE}",
)
def lives_in(match: re.Match[str], _: date | None) -> Fact | None:
    return _place(match, "Lives in", "city")


@rule(rf"\b(?:just |finally |recently )?moved to {PLACE}")
def moved_to(match: re.Match[str], _: date | None) -> Fact | None:
    return _place(match, "Moved to", "city")


@rule(rf"\b(?:{I_AM}|we're|we are|were) (?:finally )?moving to {PLACE}{SENTENCE_REST}")
def moving_to(match: re.Match[str], said_on: date | None) -> Fact | None:
    fact = _place(match, "Is moving to", "city")
    if fact is None:
        return None
    plan = replace(fact, kind="conversation_fact", subject=None, importance=0.5)
    return timed(plan, match.group("rest"), said_on)


@rule(
    rf"\b{I_AM} (?:originally )?from {PLACE}",
    rf"{CLAUSE_START}originally from {PLACE}",
    rf"\bback home (?:in|to) {PLACE}",
    rf"\b(?:i grew up|grew up|born and raised|raised|i was born) in {PLACE}",
    rf"\bmy home ?town is {PLACE}",
)
def from_place(match: re.Match[str], _: date | None) -> Fact | None:
    return _place(match, "Is from", "hometown")


def _place(match: re.Match[str], verb: str, subject: str) -> Fact | None:
    place = match.group("place")
    first, *others = place.lower().split()
    if first in NOT_A_PLACE and not (first == "the" and others and others[0] in THE_PLACES):
        return None
    if first.endswith("'s"):
        return None  # "my mom's", "Jake's": someone's home
    if first == "the" and len(others) == 1 and len(others[0]) <= 3:
        place = f"the {others[0].upper()}"  # "the uk": the UK
    confidence = 0.7 if place.islower() else 0.85
    return Fact("personal_detail", f"{verb} {proper(place)}", subject, confidence, 0.6)


# --- age and key dates --------------------------------------------------------------------------


@rule(
    rf"\b{I_AM} (?P<age>[1-9]\d) (?:years old|yrs old|y/?o)\b",
    rf"\b{I_AM} (?P<age>[1-9]\d)(?=\s*$|\s*[,.!]|\s+(?:and|lol|btw|haha|now|yo|y/o)\b)",
    r"\b(?:i |i've |ive )?(?:just )?turned (?P<age>[1-9]\d)\b",
)
def age(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Is {match.group('age')} years old", "age", 0.85, 0.5)


TURNING = rf"\bturning (?P<age>[1-9]\d)\b(?! was\b)(?: (?:on )?{DATE})?"


@rule(TURNING)
def turning(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Is turning {match.group('age')}", "age", 0.85, 0.5)


@rule(
    rf"\bmy (?:birthday|bday|b-day|birth day)(?: is|'s| falls)? (?:on )?{DATE}",
    rf"\b(?:it's|its|it is) my (?:birthday|bday|b-day) (?:on )?{DATE}",
    TURNING,
)
def birthday(match: re.Match[str], said_on: date | None) -> Fact | None:
    if not any(match.groupdict()[group] for group in DATE_GROUPS):
        return None  # "turning 30" without a day
    day = parse_date(match, said_on)
    return Fact("key_date", f"Birthday is {day}", "birthday", 0.95, 0.9) if day else None


@rule(
    rf"\bmy (?P<kin>{KIN_WORDS}|mom|mum|dad|mother|father)(?:'s|s) (?:birthday|bday|b-day)"
    rf"(?: is|'s)? (?:on )?{DATE}"
)
def family_birthday(match: re.Match[str], said_on: date | None) -> Fact | None:
    kin = KIN.get(match.group("kin").lower(), match.group("kin").lower())
    day = parse_date(match, said_on)
    body = f"{kin.capitalize()}'s birthday is {day}"
    return Fact("key_date", body, f"birthday:{slug(kin)}", 0.9, 0.8) if day else None


@rule(rf"\b(?:since|when) i (?:first )?subscribed (?:back )?on {DATE}")
def subscribed_on(match: re.Match[str], said_on: date | None) -> Fact | None:
    if any(match.groupdict()[group] for group in AHEAD_GROUPS):
        return None  # a past day: "on friday" is not the coming one, and no year says which
    day = parse_date(match, said_on)
    body = f"Subscription anniversary is {day}"
    return Fact("key_date", body, "anniversary", 0.9, 0.7) if day else None


@rule(rf"\b(?:my|our) (?:wedding )?anniversary(?: is|'s)? (?:on )?{DATE}")
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

# "oh yeah i LOVE mondays", "gotta love traffic", "/s": the opposite of what it says.
SARCASM = re.compile(
    r"(?:^|\s)/s\b|\b(?:oh (?:yeah|great|joy|boy|wow|sure)|yeah right|gotta love|nothing like)\b",
    re.IGNORECASE,
)
SAYING = "think|say|believe|imagine|know|hear|see|talk|chat|tease|admit|point|hope|watch you"
LOVE = r"(?:love|adore|luv|lo+ve+)"


@rule(rf"\bi (?:really |absolutely |just |totally |so |honestly |genuinely )?{LOVE} {REST}")
def loves(match: re.Match[str], _: date | None) -> Fact | None:
    shouted = re.search(r"\bLO+VE+\b", match.group(0)) and not match.string.isupper()
    if shouted and re.search(r"\b(?:oh|yeah|sure|wow)\b", match.string, re.IGNORECASE):
        return None
    return _taste(match, "Loves")


@rule(rf"\bi (?:really |rly |honestly |genuinely |also |kinda )?like {REST}")
def likes(match: re.Match[str], _: date | None) -> Fact | None:
    return _taste(match, "Likes", 0.65)


@rule(rf"\bi (?:really |honestly |genuinely |also |just )?enjoy {REST}")
def enjoys(match: re.Match[str], _: date | None) -> Fact | None:
    return _taste(match, "Enjoys")


@rule(
    r"\bi (?:really |honestly |just |absolutely )?(?:hate|despise|can't stand|cant stand|"
    rf"don't like|dont like|do not like) {REST}",
    rf"\b(?:can't|cant|cannot) stand {REST}",
)
def dislikes(match: re.Match[str], _: date | None) -> Fact | None:
    if match.group("rest").lower().startswith("to "):
        return None  # "i hate to say it"
    return _taste(match, "Dislikes")


@rule(
    rf"\b(?:{I_AM} |been |i've been |ive been )?(?:so |lowkey |kinda |totally |literally )?"
    rf"obsessed (?:with|w) {REST}"
)
def obsessed(match: re.Match[str], _: date | None) -> Fact | None:
    return _taste(match, "Loves", 0.75)


@rule(
    rf"\b(?:{I_AM}|i've been|ive been|been) (?:really |so |super |big |kinda |lowkey |very |"
    rf"heavily |deep )?into {REST}"
)
def into(match: re.Match[str], _: date | None) -> Fact | None:
    return _taste(match, "Is into")


def _taste(match: re.Match[str], verb: str, confidence: float = 0.7) -> Fact | None:
    if SARCASM.search(match.string) or match.group("rest").lower().startswith("our "):
        return None  # "i enjoy our chats" is about the creator
    if re.match(rf"(?i)to (?:{SAYING})\b", match.group("rest")):
        return None  # "i like to think so"
    thing = phrase(match.group("rest"))
    if thing is None:
        return None
    first, *others = thing.lower().split()
    if first in NOT_A_TASTE or first.startswith("your") or thing.lower().startswith("the way"):
        return None
    if first == "their" and others and (others[0] in PEOPLE or others[0] in KIN):
        return None  # "i love my wife": who she is, not a taste
    return Fact("preference", f"{verb} {thing}", taste_subject(thing), confidence, 0.5)


def taste_subject(thing: str) -> str | None:
    """A taste's slot, by what it is about: "Dislikes sushi" replaces "Loves sushi"."""
    key = slug(thing)
    return f"taste:{key}"[:63] if key else None


FAVOURITE = r"(?:favou?rite|favorit|fav|fave|favs)"
# Words that start a sentence rather than a favourite thing ("lol pizza is my fav food").
LEAD_IN = re.compile(r"^(?:(?:lol|honestly|tbh|ngl|and|but|so|ok|okay|omg|yeah|i think|imo) )+")


@rule(
    rf"\bmy (?:all time )?{FAVOURITE} (?P<what>[a-z]+(?: [a-z]+)?) (?:is|are|has to be|would be)"
    rf" {REST}"
)
def favourite(match: re.Match[str], _: date | None) -> Fact | None:
    thing = phrase(match.group("rest"), most=5)
    return _favourite(match.group("what"), thing)


@rule(
    r"\b(?P<thing>[\w'-]+(?: [\w'-]+){0,2}) (?:is|are) (?:def |definitely |"
    rf"prob |probably |still )?my (?:all time )?{FAVOURITE} (?P<what>[a-z]+)\b"
)
def favourite_first(match: re.Match[str], _: date | None) -> Fact | None:
    thing = LEAD_IN.sub("", match.group("thing").lower())
    return _favourite(match.group("what"), thing or None)


def _favourite(what: str, thing: str | None) -> Fact | None:
    if not thing or thing.split()[0].lower() in NOT_A_TASTE | NEW_CLAUSE | word_set("she he"):
        return None
    what = what.lower()
    return Fact("preference", f"Favourite {what}: {thing}", f"favourite:{slug(what)}", 0.85, 0.6)


# Sports teams by the word fans call them ("Cowboys", "Man United"): the only fans of a team.
SPORTS_TEAMS = word_set(
    # NFL
    "cardinals falcons ravens bills panthers bears bengals browns cowboys broncos lions packers "
    "texans colts jaguars jags chiefs raiders chargers rams dolphins vikings patriots pats saints "
    "giants jets eagles steelers 49ers niners seahawks buccaneers bucs titans commanders "
    # NBA
    "hawks celtics nets hornets bulls cavaliers cavs mavericks mavs nuggets pistons warriors "
    "rockets pacers clippers lakers grizzlies heat bucks timberwolves wolves pelicans knicks "
    "thunder magic 76ers sixers suns blazers kings spurs raptors jazz wizards "
    # MLB
    "diamondbacks braves orioles sox cubs reds guardians rockies tigers astros royals angels "
    "dodgers marlins brewers twins mets yankees athletics phillies pirates padres mariners "
    "rays rangers jays nationals nats "
    # NHL
    "ducks bruins sabres flames hurricanes canes blackhawks avalanche avs jackets stars "
    "wings oilers wild canadiens habs predators devils islanders senators flyers penguins "
    "sharks kraken blues lightning leafs canucks knights capitals caps jets "
    # football clubs and colleges
    "arsenal chelsea liverpool tottenham united city barcelona barca madrid juventus bayern psg "
    "celtic inter milan dortmund everton gunners buckeyes longhorns gators wolverines bama "
    "tide seminoles hokies huskers sooners aggies razorbacks volunteers vols gamecocks"
)
# Team names that are also plain words ("big fan of jazz"): a team only when capitalised.
AMBIGUOUS_TEAMS = word_set(
    "jazz magic heat thunder stars wild blues lightning kings angels twins sharks bears tigers "
    "lions eagles saints giants devils knights rays suns nets city united inter wings tide "
    "cardinals rockets warriors pirates royals rangers"
)


FAN_SIZE = "(?:huge|big|massive|die-?hard|lifelong|diehard)"


def sports_team(name: str) -> bool:
    last = name.split()[-1]
    return last.lower() in SPORTS_TEAMS and (last.lower() not in AMBIGUOUS_TEAMS or last.istitle())


@rule(
    rf"\b{FAN_SIZE} (?P<team>[a-z0-9][\w'-]*(?: [\w'-]+)?)"
    r" fan\b",
    rf"\b{I_AM} (?:a|an) (?:{FAN_SIZE} )?(?P<team>[a-z0-9][\w'-]*(?: [\w'-]+)?) fan\b",
    rf"\b{FAN_SIZE} fan of (?P<the>the )?{REST}",
)
def fan_of(match: re.Match[str], _: date | None) -> Fact | None:
    named = match.groupdict().get("team")
    thing = named if named else phrase(match.group("rest"), most=4)
    if thing is None or thing.split()[0].lower() in NOT_A_TASTE | word_set("a an my"):
        return None  # "big fan of yours"
    if sports_team(thing):
        return Fact("personal_detail", f"Big fan of {proper(thing)}", "team", 0.75, 0.4)
    if named:
        return None  # "big time fan", "huge anime fan" says too little
    the = (match.groupdict().get("the") or "").lower()
    return Fact("preference", f"Big fan of {the}{thing}", taste_subject(thing), 0.7, 0.5)


@rule(
    r"\bspent (?:the |my )?(?:whole |entire )?weekend"
    rf" (?P<doing>[a-z]+ing(?: [\w'-]+){{0,3}}?){SENTENCE_END}"
)
def weekend(match: re.Match[str], _: date | None) -> Fact:
    body = f"Spends weekends {match.group('doing').lower()}"
    return Fact("personal_detail", body, None, 0.7, 0.4)


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


# --- health, diet and hobbies -------------------------------------------------------------------


@rule(
    r"\b(?:doing|started|starting|on|trying) (?:the )?(?:strict )?"
    r"(?P<diet>keto|paleo|carnivore|intermittent fasting|whole ?30|atkins|weight watchers)\b"
)
def diet(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Is doing {match.group('diet').lower()}", "diet", 0.8, 0.5)


DIETS = r"vegan|vegetarian|pescatarian|plant based|gluten free|gluten-free"


@rule(
    rf"\b(?:{I_AM}|went|gone|turned|became|been) (?:fully |full |100% |strictly |now )?"
    rf"(?P<diet>{DIETS})\b(?! (?:food|place|restaurant|options?|burgers?|meals?))",
    rf"{CLAUSE_START}(?P<diet>{DIETS}) now\b",
)
def no_meat(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Is {match.group('diet').lower()}", "diet", 0.8, 0.5)


@rule(rf"\b(?:{I_AM} )?(?:super |really |very |deathly |severely )?allergic to {REST}")
def allergy(match: re.Match[str], _: date | None) -> Fact | None:
    thing = phrase(match.group("rest"), most=3)
    if thing is None or thing.split()[0].lower() in NOT_A_TASTE:
        return None
    return Fact("personal_detail", f"Is allergic to {thing}", None, 0.85, 0.6)


NOT_PLAYED = word_set("it around along dumb nice hard fair rough safe too so all that this")


@rule(
    rf"\bi (?:also |still |mostly |usually )?play {REST}",
    rf"\b(?:i've been|ive been|been|started) playing {REST}",
)
def plays(match: re.Match[str], _: date | None) -> Fact | None:
    thing = phrase(match.group("rest"))
    first = thing.split()[0].lower() if thing else ""
    if thing is None or first in NOT_PLAYED | PREPOSITIONS | word_set("their them a"):
        return None
    return Fact("personal_detail", f"Plays {thing}", None, 0.7, 0.4)


@rule(rf"\b(?:{I_AM}|i've been|ive been|been|started) (?:slowly )?learning {REST}")
def learning(match: re.Match[str], _: date | None) -> Fact | None:
    thing = phrase(match.group("rest"))
    if thing is None or thing.split()[0].lower() in ABOUT_THE_CREATOR | word_set("it that so"):
        return None
    if thing.lower().startswith("a lot"):
        return None
    return Fact("personal_detail", f"Is learning {thing}", None, 0.7, 0.4)


PASTIMES = (
    "painting|drawing|writing|reading|cooking|baking|gardening|knitting|crocheting|lifting|"
    "working out|gaming|skateboarding|dancing|singing|photography|pottery|woodworking|yoga|"
    "meditating|journaling|sketching|boxing|jiu jitsu|bjj|crossfit"
)
ACTIVITIES = (
    "fishing|hunting|hiking|camping|golfing|bowling|skiing|snowboarding|surfing|running|biking|"
    "kayaking|climbing|bouldering|swimming|skating|sailing|boating"
)


@rule(rf"\bi (?:usually |always |often |like to |love to )?go (?P<activity>{ACTIVITIES})\b")
def goes(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Goes {match.group('activity').lower()}", None, 0.75, 0.4)


@rule(
    r"\b(?:i've been|ive been|been|i started|started|getting into|got into|i took up|took up)"
    rf" (?:really )?(?:into )?(?P<activity>{ACTIVITIES}|{PASTIMES})\b(?! (?:your|you|u|ur|ya)\b)"
)
def pastime(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Enjoys {match.group('activity').lower()}", None, 0.7, 0.4)


@rule(rf"\b(?:i |i just |just |finally )?(?P<verb>joined|signed up for|took up) {REST}")
def joined(match: re.Match[str], _: date | None) -> Fact | None:
    thing = phrase(match.group("rest"), most=5)
    if thing is None or thing.split()[0].lower() not in ("a", "an", "the"):
        return None  # "joined your page", "just joined"
    return Fact("personal_detail", f"{match.group('verb').capitalize()} {thing}", None, 0.75, 0.5)


@rule(rf"\bmy hobb(?:y is|ies are) {words('hobby', 5)}{END}")
def hobby(match: re.Match[str], _: date | None) -> Fact:
    return Fact("personal_detail", f"Hobbies: {match.group('hobby').lower()}", None, 0.8, 0.5)


# --- conversation facts -------------------------------------------------------------------------

TRAVEL = (
    r"(?:going|heading|headed|flying|travell?ing|driving|off|road tripping)(?: out| down| up)? to"
)
CAPITALISED_PLACE = r"(?P<place>(?:(?:St|Ft|Mt)\. )?[A-Z][\w'-]+(?: [A-Z][\w'-]+){0,2})"
PURPOSE = r"\bfor (?P<purpose>work|business|a conference|vacation|holiday|a wedding)\b"
PURPOSE_RE = re.compile(PURPOSE)


@rule(
    rf"(?i:\b{TRAVEL}|\b(?:trip|vacation|holiday|getaway) to) {CAPITALISED_PLACE}{SENTENCE_REST}",
    flags=re.NOFLAG,
)
def trip_to_named_place(match: re.Match[str], said_on: date | None) -> Fact | None:
    return _trip(match.group("place"), match.group("rest"), said_on)


@rule(
    rf"\b{TRAVEL} (?P<place>[a-z]+(?: [a-z]+)??) (?=(?P<rest>(?:{WHEN}|{PURPOSE})[^.!?]*))",
    rf"\b(?:flying|driving|road trip|trip) to (?P<place>[a-z]+(?: [a-z]+)??){END}{SENTENCE_REST}",
)
def trip_to_place(match: re.Match[str], said_on: date | None) -> Fact | None:
    return _trip(match.group("place"), match.group("rest"), said_on)


def _trip(place: str, rest: str, said_on: date | None) -> Fact | None:
    first = place.split()[0].lower()
    if first in NOT_A_PLACE or first.endswith("'s"):
        return None
    purpose = PURPOSE_RE.search(rest.lower())
    what = "trip"
    if purpose and purpose.group("purpose") in ("work", "business", "a conference"):
        what = "work trip"
    elif purpose and purpose.group("purpose") in ("vacation", "holiday"):
        what = "vacation"
    body = f"Mentioned {article(what)} to {proper(place)}"
    return timed(Fact("conversation_fact", body, trip_subject(place), 0.8, 0.5), rest, said_on)


@rule(rf"\b(?:just )?(?:got |came |flew |made it )?back from {PLACE}")
def back_from(match: re.Match[str], _: date | None) -> Fact | None:
    place = match.group("place")
    if place.split()[0].lower() in NOT_A_PLACE:
        return None
    return Fact("conversation_fact", f"Back from {proper(place)}", trip_subject(place), 0.8, 0.4)


def trip_subject(place: str) -> str:
    """A trip's slot: being back from a place ends the trip planned there (as history)."""
    return f"trip:{slug(place)}"[:63]


@rule(
    r"\bsent you (?:a |an |some )?(?:little |small )?(?:something|gift|present|surprise)"
    r"(?P<wishlist>[^.!?]*\bwish ?list)?"
)
def sent_gift(match: re.Match[str], _: date | None) -> Fact:
    body = "Sent the creator a gift" + (" from the wishlist" if match.group("wishlist") else "")
    return Fact("conversation_fact", body, None, 0.85, 0.6)
