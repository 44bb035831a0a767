"""The pattern extractor on messages written the way fans write (lower case, typos, slang, emoji,
run-on sentences): the facts each must yield, exactly, and messages that must yield none
(questions to the creator, other people's facts, hypotheticals, sarcasm, small talk)."""

from datetime import date

import pytest

from memory.extract import extract_facts

SAID_ON = date(2025, 3, 3)  # a Monday: "on friday" is March 7, "tmrw" March 4

Found = set[tuple[str, str | None, str]]

# message -> every fact in it as (kind, subject, body)
YIELDS: dict[str, Found] = {
    # dates counted from the day said, losses, breakups
    "my birthday is next friday 🎂": {("key_date", "birthday", "Birthday is March 14")},
    "its my bday in 2 weeks!!": {("key_date", "birthday", "Birthday is March 17")},
    "my bday is on the 1st lol": {("key_date", "birthday", "Birthday is April 1")},
    "my grandma passed away this morning. i dont really know why im telling u this": {
        ("personal_detail", "loss:grandma", "Grandma passed away")
    },
    "my dad died last year, still hits hard sometimes": {
        ("personal_detail", "loss:dad", "Dad passed away")
    },
    "lost my job today 😞 not a great week": {("conversation_fact", None, "Lost their job")},
    "me and my gf split up last night 💔": {
        ("personal_detail", "partner", "Broke up with their partner")
    },
    "i just got dumped lol": {("personal_detail", "partner", "Broke up with their partner")},
    # pets
    "my dog max got into the trash again 🙄": {
        ("personal_detail", "pet:dog:max", "Has a dog named Max")
    },
    "lol my pup biscuit just ate my sock": {
        ("personal_detail", "pet:dog:biscuit", "Has a pup named Biscuit")
    },
    "took Bella my golden retriever to the vet today, shes ok": {
        ("personal_detail", "pet:dog:bella", "Has a golden retriever named Bella")
    },
    "we just got a new puppy named Rocco!! 🐶": {
        ("personal_detail", "pet:dog:rocco", "Has a puppy named Rocco")
    },
    "my doggo Zeus is snoring next to me": {
        ("personal_detail", "pet:dog:zeus", "Has a dog named Zeus")
    },
    "my kitty mochi knocked my coffee over lmao": {
        ("personal_detail", "pet:cat:mochi", "Has a cat named Mochi")
    },
    "adopted a kitten named Pickles last weekend": {
        ("personal_detail", "pet:cat:pickles", "Has a kitten named Pickles")
    },
    "we had to put our dog max down today 💔": {
        ("personal_detail", "pet:dog:max", "Their dog Max died")
    },
    "lost my kitty luna last night, cant stop crying": {
        ("personal_detail", "pet:cat:luna", "Their cat Luna died")
    },
    "our lab Duke turned 10 today, old man now": {
        ("personal_detail", "pet:dog:duke", "Has a lab named Duke")
    },
    "just got a puppy!! her name is luna 😍": {
        ("personal_detail", "pet:dog:luna", "Has a puppy named Luna")
    },
    # family
    "my sister Jess is getting married in june!!": {
        ("personal_detail", None, "Has a sister named Jess"),
        ("conversation_fact", None, "Sister Jess is getting married in June"),
    },
    "my daughter emma starts kindergarten tmrw 🥹": {
        ("personal_detail", None, "Has a daughter named Emma")
    },
    "my son tyler plays travel baseball, every weekend is a tournament": {
        ("personal_detail", None, "Has a son named Tyler")
    },
    "my wife and i are going to Cabo next month": {
        ("personal_detail", "partner", "Has a wife"),
        ("conversation_fact", "trip:cabo", "Mentioned a trip to Cabo next month"),
    },
    "picking up my kids from school then im free": {("personal_detail", None, "Has kids")},
    "my gf and i just moved in together": {("personal_detail", "partner", "Has a girlfriend")},
    "my husband is deployed again 😔": {("personal_detail", "partner", "Has a husband")},
    "my wife loves sushi": {("personal_detail", "partner", "Has a wife")},  # not her taste
    # job
    "I work at Home Depot, weekends are brutal": {
        ("personal_detail", "workplace", "Works at Home Depot")
    },
    "im a nurse so i get it lol": {("personal_detail", "job", "Works as a nurse")},
    "im an ER nurse btw": {("personal_detail", "job", "Works as an ER nurse")},
    "i'm a teacher, summers off baby": {("personal_detail", "job", "Works as a teacher")},
    "i work as a electrician": {("personal_detail", "job", "Works as an electrician")},
    "just got promoted to shift manager!!! 🎉": {
        ("personal_detail", "job", "Got promoted to shift manager")
    },
    "long day, my shift at the hospital ran 14 hrs": {
        ("personal_detail", "workplace", "Works at the hospital")
    },
    "i work in construction so im up at 5": {("personal_detail", "job", "Works in construction")},
    "i teach 8th grade math": {("personal_detail", "job", "Teaches 8th grade math")},
    # where they live
    "i live in tampa now, its hot af": {("personal_detail", "city", "Lives in Tampa")},
    "im from jersey originally lol": {("personal_detail", "hometown", "Is from Jersey")},
    "just moved to austin last month 🤠": {("personal_detail", "city", "Moved to Austin")},
    "back home in Ohio we call it pop not soda": {("personal_detail", "hometown", "Is from Ohio")},
    "i live in Columbus Ohio": {("personal_detail", "city", "Lives in Columbus Ohio")},
    # key dates and age
    "my bday is 3/14 just fyi 😏": {("key_date", "birthday", "Birthday is March 14")},
    "turning 30 on friday ugh": {
        ("personal_detail", "age", "Is turning 30"),
        ("key_date", "birthday", "Birthday is March 7"),
    },
    "our anniversary is june 2nd, 10 years 🥂": {
        ("key_date", "wedding_anniversary", "Wedding anniversary is June 2")
    },
    "its my bday tmrw!!": {("key_date", "birthday", "Birthday is March 4")},
    "my birthday is on christmas eve lol": {("key_date", "birthday", "Birthday is December 24")},
    "i just turned 25 🥳": {("personal_detail", "age", "Is 25 years old")},
    "im 34 and single lol": {("personal_detail", "age", "Is 34 years old")},
    # likes and dislikes
    "im obsessed with pickleball rn": {("preference", "taste:pickleball", "Loves pickleball")},
    "cant stand cilantro tbh": {("preference", "taste:cilantro", "Dislikes cilantro")},
    "im really into woodworking lately": {
        ("preference", "taste:woodworking", "Is into woodworking")
    },
    "my favorite movie is step brothers lol": {
        ("preference", "favourite:movie", "Favourite movie: step brothers")
    },
    "pizza is my fav food": {("preference", "favourite:food", "Favourite food: pizza")},
    "my favourite team is the Chiefs": {
        ("preference", "favourite:team", "Favourite team: the Chiefs")
    },
    "big fan of sushi honestly": {("preference", "taste:sushi", "Big fan of sushi")},
    "huge Packers fan here 🧀": {("personal_detail", "team", "Big fan of Packers")},
    "im a big fan of the yankees": {("personal_detail", "team", "Big fan of Yankees")},
    "i love working with my hands": {
        ("preference", "taste:working_with_their_hands", "Loves working with their hands")
    },
    "i hate not being able to sleep": {
        ("preference", "taste:not_being_able_to_sleep", "Dislikes not being able to sleep")
    },
    "i love to cook for people": {
        ("preference", "taste:to_cook_for_people", "Loves to cook for people")
    },
    "I love hiking and fishing": {
        ("preference", "taste:hiking_and_fishing", "Loves hiking and fishing")
    },
    # plans and trips
    "heading to Vegas next week for my buddys bachelor party": {
        ("conversation_fact", "trip:vegas", "Mentioned a trip to Vegas next week")
    },
    "flying to denver tmrw for work": {
        ("conversation_fact", "trip:denver", "Mentioned a work trip to Denver tomorrow")
    },
    "just got back from Cancun, so tan lol": {
        ("conversation_fact", "trip:cancun", "Back from Cancun")
    },
    "back from vegas and my wallet is crying": {
        ("conversation_fact", "trip:vegas", "Back from Vegas")
    },
    "me and my buddy are driving to Nashville this weekend": {
        ("conversation_fact", "trip:nashville", "Mentioned a trip to Nashville this weekend")
    },
    "going to Boston. Maybe we can facetime after?": {
        ("conversation_fact", "trip:boston", "Mentioned a trip to Boston")
    },
    # health and diet
    "doing keto again, day 3 🥩": {("personal_detail", "diet", "Is doing keto")},
    "vegan now btw so no more wings for me": {("personal_detail", "diet", "Is vegan")},
    "i went vegetarian last year": {("personal_detail", "diet", "Is vegetarian")},
    "I'm allergic to shellfish": {("personal_detail", None, "Is allergic to shellfish")},
    # hobbies
    "i play guitar in a cover band": {("personal_detail", None, "Plays guitar in a cover band")},
    "been learning spanish on duolingo 😅": {
        ("personal_detail", None, "Is learning spanish on duolingo")
    },
    "i go fishing every sunday morning": {("personal_detail", None, "Goes fishing")},
    "been learning jiu jitsu for like a year": {("personal_detail", None, "Is learning jiu jitsu")},
    "im a huge Steelers fan": {("personal_detail", "team", "Big fan of Steelers")},
}

# Nothing here is a durable fact about the fan.
YIELDS_NOTHING: tuple[str, ...] = (
    # questions to the creator
    "do you have a dog?",
    "do u have any pets lol",
    "whats your favorite food",
    "are you from texas?",
    "where do you live babe",
    "are you going to Paris next week?",
    "would you ever date a nurse?",
    "what are you doing this weekend?",
    # other people's facts
    "my buddy is going to Vegas next week",
    "my sister just moved to Denver",
    "my roommate loves sushi",
    "my mom lives in Tampa",
    "my brother is obsessed with crypto smh",
    "my roommate is vegan now, its annoying",
    "he just got promoted to manager",
    "my boss is flying to Chicago tomorrow",
    "my friend Jake is heading to Cancun next month",
    "Jake is flying to Denver tomorrow",
    "my coworker turned 40 today",
    "my buddy Jay just got a puppy named Rex",
    "my brother got promoted to manager",
    # hypotheticals and negations
    "if i ever get a dog i'd name him Max",
    "i wish i lived in Miami",
    "maybe i'll move to Denver someday",
    "thinking about getting a puppy named Bear",
    "i dont live in ohio anymore",
    "i used to live in Boston",
    "i'm not going to Vegas next week after all",
    "we should go to Vegas sometime",
    "not a big fan of mondays",
    "my brother passed his driving test!!",
    "my friends grandma passed away",
    "my sister broke up with her bf",
    "i lost my phone again lol",
    "if my grandma dies idk what i'll do",
    "been here since i subscribed on friday",  # a past day, but no date says which
    # sarcasm
    "oh yeah i LOVE mondays 🙄",
    "i just love sitting in traffic for 2 hours /s",
    "oh great i just love when the wifi dies",
    "lmao sure i LOVE doing taxes",
    "im vegan lol jk",
    # small talk and the chat itself
    "hey beautiful how was your day",
    "good morning 😘",
    "lol same",
    "i love you so much",
    "i love your new pics 😍",
    "i love talking to you",
    "im going to bed, night",
    "going to the gym then work",
    "im 20 minutes away from home",
    "im a simple guy, i like what i like",
    "im a mess today lol",
    "im a big fan of yours",
    "my dog ate my homework lol",
    "my cat is being so weird today",
    "how much for a custom vid?",
)

# Words a kept phrase must not end on: a phrase cut in the middle ("Loves to").
DANGLING = frozenset(
    {
        *("to", "not", "being", "a", "an", "the", "my", "your", "their", "of", "with", "for"),
        *("at", "in", "on", "from", "by", "and", "or", "is", "are", "was", "be", "get"),
        *("getting", "gonna", "wanna", "just", "really", "so", "very", "this", "that"),
        *("about", "like", "working"),
    }
)


@pytest.mark.parametrize("message", list(YIELDS))
def test_a_fans_message_yields_exactly_its_facts(message: str) -> None:
    found = {(f.kind, f.subject, f.body) for f in extract_facts(message, said_on=SAID_ON)}
    assert found == YIELDS[message]


@pytest.mark.parametrize("message", YIELDS_NOTHING)
def test_a_message_without_a_fact_about_the_fan_yields_none(message: str) -> None:
    assert [f.body for f in extract_facts(message, said_on=SAID_ON)] == []


@pytest.mark.parametrize("message", [*YIELDS, *YIELDS_NOTHING])
def test_no_kept_phrase_is_cut_off(message: str) -> None:
    for fact in extract_facts(message, said_on=SAID_ON):
        assert fact.body.split()[-1].lower() not in DANGLING, fact.body
        assert "." not in fact.body.split(":")[-1], fact.body  # a phrase stops at a full stop
