"""The texts of the benchmark data: a pool of distinct memory bodies (facts as the agent stores
them, from the demo vocabulary and a few more slots), the fan messages drafts answer, and the
topics a creator searches across fans for."""

import random
import string

from db.demo import vocabulary as v

MEMORY_TEMPLATES = (
    "Has a {pet_kind} named {pet_name}",
    "His {pet_kind} {pet_name} turned {pet_age} this year",
    "Works as {job}",
    "Works night shifts as {job}",
    "Used to work as {job_old}",
    "Supports the {team}",
    "Watches every {team} game with his {family}",
    "Spends weekends {hobby_ing}",
    "Goes {hobby_ing} with his {family} on {weekday}s",
    "Birthday is {date}",
    "Subscription anniversary is {date}",
    "Likes being called '{pet_call}'",
    "Prefers {content_pref}",
    "Loves seeing her in {colour}",
    "Drinks {drink}",
    "Drinks {drink} on {weekday} nights",
    "Mentioned a work trip to {place}",
    "Is planning a trip to {place} in {month}",
    "Flew to {place} for his {family}'s wedding",
    "His {family} is getting married in {month}",
    "Lives in {city_old}",
    "Moved from {city_old} to {place}",
    "Is saving up for a {purchase}",
    "Just bought a {purchase}",
    "Is binge-watching {show}",
    "Favourite food is {food}",
    "Cooks {food} every {weekday}",
    "Plays {game} most evenings",
    "Is {age} years old",
    "Has {kids}",
    "Is training for a {race}",
    "Had {mood} and wanted to vent",
    "Asked for a custom video {custom}",
    "Bought {thing} and loved it",
    "Found her through {referral}",
    "Is learning to play the {instrument}",
    "Is allergic to {food}",
    "Drives a {car}",
    "Is planning a trip to {place} in {month} with his {family}",
    "Took his {pet_kind} {pet_name} to the park on {weekday}",
    "Watched {show} with his {family} over {food}",
    "Bought a {purchase} in {month}",
    "Works as {job} in {place}",
    "Met his {family} in {place} for {food}",
    "Turned {age} in {month} and celebrated with {drink}",
    "Went {hobby_ing} near {place} in {month}",
)
BENCH_SLOTS: dict[str, tuple[str, ...]] = {
    "age": tuple(str(n) for n in (24, 27, 29, 31, 35, 38, 42, 47, 53, 58)),
    "pet_age": ("one", "two", "three", "five", "seven", "nine", "twelve"),
    "month": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "purchase": (
        "new truck",
        "motorcycle",
        "house",
        "boat",
        "gaming PC",
        "new watch",
        "camper van",
        "home gym",
    ),
    "food": ("sushi", "tacos", "steak", "pizza", "ramen", "barbecue", "pasta", "curry", "pho"),
    "game": ("Call of Duty", "FIFA", "Fortnite", "chess online", "poker", "World of Warcraft"),
    "kids": ("two daughters", "a son in college", "three kids", "a newborn", "no kids yet"),
    "race": ("marathon", "half marathon", "triathlon", "10k", "cycling race"),
    "referral": ("Reddit", "TikTok", "a friend", "Twitter", "Instagram", "a podcast"),
    "instrument": ("guitar", "piano", "drums", "bass", "saxophone"),
    "car": ("Mustang", "Tesla", "F-150", "Jeep", "BMW", "Camaro", "Civic"),
    "mood": v.SLOTS["mood"],
    "show": v.SLOTS["show"],
    "custom": v.SLOTS["custom"],
    "thing": v.SLOTS["thing"],
    "weekday": v.SLOTS["weekday"],
}
SLOT_VALUES: dict[str, tuple[str, ...]] = {
    **{name: tuple(values) for name, values in v.MEMORY_SLOTS.items()},
    **BENCH_SLOTS,
}
KINDS = {
    "Birthday": "key_date",
    "Subscription": "key_date",
    "Likes being called": "pet_name",
    "Prefers": "preference",
    "Loves seeing": "preference",
    "Drinks": "preference",
    "Favourite": "preference",
    "Mentioned": "conversation_fact",
    "Asked": "conversation_fact",
    "Had": "conversation_fact",
    "Bought": "conversation_fact",
}
# What a creator looks for across her fans ("who is going to Denver?").
CROSS_FAN_QUERIES = (
    "trip to Denver",
    "work trip",
    "birthday in March",
    "has a dog",
    "owns a cat",
    "nurse",
    "firefighter",
    "truck driver",
    "Lakers fan",
    "Cowboys game",
    "likes whiskey",
    "drinks tequila",
    "loves videos",
    "voice notes",
    "red lingerie",
    "getting married",
    "wedding",
    "fishing",
    "gym",
    "gaming",
    "saving up for a house",
    "bought a motorcycle",
    "marathon training",
    "has kids",
    "moved to a new city",
    "sushi",
    "plays guitar",
    "drives a Tesla",
    "found me on TikTok",
    "rough week at work",
    "anniversary",
    "watches the last of us",
)


def memory_texts(count: int, seed: int) -> list[str]:
    """`count` distinct memory bodies (fewer if the templates cannot make that many)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not a secret
    found: dict[str, None] = {}
    attempts = 0
    while len(found) < count and attempts < count * 50:
        attempts += 1
        template = rng.choice(MEMORY_TEMPLATES)
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        found[template.format(**{n: rng.choice(SLOT_VALUES[n]) for n in names})] = None
    return list(found)


def kind_of(body: str) -> str:
    for prefix, kind in KINDS.items():
        if body.startswith(prefix):
            return kind
    return "personal_detail"


def fan_messages(count: int, seed: int) -> list[str]:
    """Fan messages a draft answers: the demo's inbound templates of every signal, filled."""
    rng = random.Random(seed)  # noqa: S311
    templates = [text for texts in v.INBOUND_TEMPLATES.values() for text in texts]
    values = {**{k: tuple(x) for k, x in v.SLOTS.items()}, **SLOT_VALUES}
    messages = []
    for _ in range(count):
        template = rng.choice(templates)
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        messages.append(template.format(**{n: rng.choice(values[n]) for n in names}))
    return messages
