"""The fan's facts, one thread per kind of fact: the messages that introduce, repeat and change
it, the other people's look-alike facts, and the questions a chatter (or the fan) asks about it.

Every phrasing is a template of the intent corpus's grammar (`{a|b}`, `[slot]`) with `<key>`
values. Questions are written apart from the statements, as a chatter would ask, so they do not
copy the evidence's words."""

from evals.longmem import pools
from evals.longmem.plan import Beat, Plan

WARM = (
    "aww [babe] i love that{ 😍| 🥰|}",
    "omg wait thats so cute",
    "haha love that for u{ 😘|}",
    "stop that's adorable 🥺",
    "ooh tell me more{ 😏|}",
    "thats amazing babe{!|!!}",
    "u always make me smile when u tell me stuff like that 💕",
    "aww that sounds {perfect|so fun|like a vibe}",
)
ASKING = (
    "wait really?? how long has that been a thing",
    "haha no way, what was that like",
    "omg how did that happen lol",
    "ooh do u like it?",
    "i need more details babe 👀",
    "thats so random i love it, how's it going",
)
SAD = (
    "oh no babe im so sorry 🥺",
    "that's awful, im here if u need to talk 💕",
    "ugh sending u the biggest hug",
    "im so sorry hun, take care of urself ok?",
)
OTHER = ("lol thats wild", "hahaha poor guy", "omg 😂", "ha thats funny", "lucky them!!")
SPECIES = {
    "dog": ("dog", "pup", "puppy", "lab", "husky", "pitbull", "doggo", "boxer"),
    "cat": ("cat", "kitty", "kitten", "tabby", "cat"),
    "parrot": ("parrot", "bird", "cockatiel"),
    "bearded dragon": ("bearded dragon", "lizard", "beardie"),
    "rabbit": ("bunny", "rabbit"),
}
PET_INTRO = (
    "[hey]my <word> <pet> just knocked my coffee off the table{ lol| 😂|}",
    "{sorry|brb} gotta walk <pet> my <word>{ lol|}",
    "this is <pet> btw, my <word>. {shes|hes} the real boss here",
    "got a <word> named <pet>{, best decision ever|!!|}",
    "<pet> (my <word>) is {sleeping|snoring} on my feet rn{ 🥺|}",
    "my <word> <pet> {hates|is scared of} the vacuum lmao",
)
PET_AGAIN = (
    "<pet> {chewed up|destroyed|ate} my {shoes|charger|remote|headphones} again{ smh| 🙄|}",
    "took <pet> to the vet today, {all good|shots and stuff|cost me a fortune}",
    "<pet> woke me up at 5am {again|for food} lol",
    "{ugh|lol} <pet> {stole|ran off with} my sock",
)
PET_LOSS = (
    "{rip|we lost} <pet> {today|this morning} 😭 {had to put {him|her} down|{he|she} was old}",
    "had to say goodbye to <pet> yesterday. house feels so empty",
)
PET_NEW = (
    "{so|ok so} i got a new <word>!! {his|her} name is <pet2>",
    "meet <pet2>, my new <word>{ 🥺| 🐾|}",
    "adopted a <word> this weekend, named {him|her} <pet2>",
)
PET_ASK = (
    "what's his <species> called again?",
    "remind me, what's the name of his <species>?",
    "does he have a <species>? what's its name",
    "what did he name his <species>?",
)
PET_ASK_NOW = (
    "what's his <species>'s name now?",
    "he got a new <species> right? what's it called",
    "what's the new <species> called?",
)
PET_CALLBACK = (
    "<pet> did it again lol",
    "guess who says hi 😂 <pet>",
    "ugh <pet> tho{ 🙄|}",
    "u remember <pet> right? lol",
)
PETS_ASK = (
    "what pets does he have?",
    "does he have any animals at home?",
    "remind me what pets he's got",
)
OTHER_PET = (
    "my buddy <person>s <word> <pet> bit me today lol",
    "my neighbor got a <word>, {calls it|named it} <pet> 😂",
    "if i ever get a <word> im naming it <pet>",
)


def pets(plan: Plan, *, loss: bool) -> None:
    """Two pets of two species; with `loss` the first one dies and a new one of its species
    comes: the question then asks for the new one."""
    species = plan.rng.sample(sorted(SPECIES), 2)
    found: list[tuple[str, str, Beat]] = []
    for index, kind in enumerate(species):
        pet = plan.take(pools.NAMES)
        values = {"pet": pet, "word": plan.rng.choice(SPECIES[kind]), "species": kind}
        intro = plan.beat(plan.session(0, 0.3), PET_INTRO, values, (pet,), WARM + ASKING)
        died = plan.session(0.45, 0.7) if index == 0 and loss else None
        again = [
            plan.beat(
                plan.session(0.35, 0.95 if died is None else 0.4), PET_AGAIN, values, (pet,), WARM
            )
            for _ in range(plan.rng.randint(1, 2))
        ]
        if died is None:
            plan.ask("single", PET_ASK, values, pet, (pet,), [intro, *again])
            if index == 1:
                plan.ask("callback", PET_CALLBACK, values, f"his {kind}", (pet,), [intro, *again])
            found.append((kind, pet, intro))
            continue
        plan.beat(died, PET_LOSS, values, (pet,), SAD)
        pet2 = plan.take(pools.NAMES)
        values |= {"pet2": pet2, "word": plan.rng.choice(SPECIES[kind])}
        new = plan.beat(plan.session(0.75, 0.9), PET_NEW, values, (pet2,), WARM)
        plan.ask("updated", PET_ASK_NOW, values, pet2, (pet2,), [new])
        found.append((kind, pet2, new))
    answer = " and ".join(f"a {kind} named {name}" for kind, name, _ in found)
    names = tuple(name for _, name, _ in found)
    plan.ask("multi", PETS_ASK, {}, answer, names, [beat for _, _, beat in found])
    other = {
        "person": plan.take(pools.PEOPLE),
        "word": plan.rng.choice(SPECIES[species[0]]),
        "pet": plan.take(pools.NAMES),
    }
    plan.beat(plan.session(0, 1), OTHER_PET, other, (other["pet"],), OTHER, "other")


JOB_INTRO = (
    "just got off a {12|10} hour shift at <place>{, so tired| 😩|}",
    "im a <job> at <place>{ btw|, not glamorous lol|}",
    "{work|my job} is killing me lately. <job> life at <place>",
    "been a <job> for {6|8|10} years now, at <place> since {march|last year}",
)
JOB_AGAIN = (
    "another double at <place> today{ 😮‍💨|}",
    "my manager at <place> is {driving me nuts|the worst}",
)
JOB_NEW = (
    "{big news|guess what}, started a new job today!! <job2> at <place2>",
    "finally quit <place>. {new gig|starting monday} as a <job2> at <place2>",
)
JOB_ASK = (
    "what does he do for work?",
    "where does he work?",
    "what's his job again?",
)
JOB_ASK_NOW = (
    "where does he work now?",
    "what's his job these days?",
    "he switched jobs right? where to",
)
OTHER_JOB = (
    "my brother just got hired at <place>, {proud of him|crazy}",
    "my buddy <person> is a <job>, says its {brutal|easy money}",
)


def job(plan: Plan, *, change: bool) -> None:
    values = {"job": plan.take(pools.JOBS), "place": plan.take(pools.WORKPLACES)}
    intro = plan.beat(plan.session(0, 0.3), JOB_INTRO, values, (values["place"],), ASKING + WARM)
    again = plan.beat(plan.session(0.3, 0.55), JOB_AGAIN, values, (values["place"],), WARM)
    other = {
        "place": plan.take(pools.WORKPLACES),
        "job": plan.take(pools.JOBS),
        "person": plan.take(pools.PEOPLE),
    }
    plan.beat(plan.session(0, 1), OTHER_JOB, other, (other["place"],), OTHER, "other")
    if not change:
        answer = f"{values['job']} at {values['place']}"
        plan.ask("single", JOB_ASK, values, answer, (values["place"],), [intro, again])
        return
    values |= {"job2": plan.take(pools.JOBS), "place2": plan.take(pools.WORKPLACES)}
    new = plan.beat(plan.session(0.6, 0.95), JOB_NEW, values, (values["place2"],), WARM)
    answer = f"{values['job2']} at {values['place2']}"
    plan.ask("updated", JOB_ASK_NOW, values, answer, (values["place2"],), [new])


CITY_INTRO = (
    "the weather in <city> is {insane|so bad|perfect} today",
    "{yeah|nah} im in <city>{, born and raised|, been here a few years|}",
    "nothing ever happens in <city> lol",
    "traffic in <city> is a joke {fr|smh}",
)
CITY_MOVE = (
    "officially moved to <city2>!! boxes everywhere{ 😩|}",
    "{so|ok} i moved. living in <city2> now, {new start|still unpacking}",
    "last night in <city> 🥲 moving to <city2> tomorrow",
)
CITY_ASK = ("where does he live?", "what city is he in?", "where's he based?")
CITY_ASK_NOW = ("where does he live now?", "he moved right? where to", "what city is he in now?")
OTHER_CITY = (
    "my sister {just moved|is moving} to <city>, {i miss her|idk why}",
    "my coworker is from <city>, {says it sucks|wont shut up about it}",
)


def city(plan: Plan, *, change: bool) -> None:
    values = {"city": plan.take(pools.CITIES)}
    intro = plan.beat(plan.session(0, 0.3), CITY_INTRO, values, (values["city"],), ASKING)
    other = {"city": plan.take(pools.CITIES)}
    plan.beat(plan.session(0, 1), OTHER_CITY, other, (other["city"],), OTHER, "other")
    if not change:
        plan.ask("single", CITY_ASK, values, values["city"], (values["city"],), [intro])
        return
    values |= {"city2": plan.take(pools.CITIES)}
    moved = plan.beat(plan.session(0.5, 0.9), CITY_MOVE, values, (values["city2"],), WARM)
    plan.ask("updated", CITY_ASK_NOW, values, values["city2"], (values["city2"],), [moved])


CAR_INTRO = (
    "my <car> {wont start|broke down} again{ 😤|, great}",
    "just washed the <car>, {she looks good|finally}",
    "{yeah|lol} i drive a <car>{, paid it off last year|}",
)
CAR_NEW = (
    "traded in the <car> for a <car2>{!!| today}",
    "sold my <car>, picked up a <car2> {this weekend|yesterday}",
)
CAR_ASK = ("what does he drive?", "what kind of car does he have?")
CAR_ASK_NOW = ("what does he drive now?", "what's his car these days?")


def car(plan: Plan, *, change: bool) -> None:
    values = {"car": plan.take(pools.CARS)}
    intro = plan.beat(plan.session(0, 0.4), CAR_INTRO, values, (values["car"],), ASKING)
    if not change:
        plan.ask("single", CAR_ASK, values, values["car"], (values["car"],), [intro])
        return
    values |= {"car2": plan.take(pools.CARS)}
    new = plan.beat(plan.session(0.5, 0.95), CAR_NEW, values, (values["car2"],), WARM)
    plan.ask("updated", CAR_ASK_NOW, values, values["car2"], (values["car2"],), [new])


BIRTHDAY_INTRO = (
    "my bday is <month> <day> btw{ 👀|, just saying|}",
    "{lol|ok} im turning <age> on <month> <day>",
    "<month> <day> is my birthday, {dont forget|mark it}{ 😏|}",
)
BIRTHDAY_ASK = ("when's his birthday?", "when is his bday again?", "what day is his birthday?")


def birthday(plan: Plan) -> None:
    month, day = plan.rng.choice(pools.MONTHS), str(plan.rng.randint(1, 28))
    values = {"month": month, "day": day, "age": str(plan.rng.randint(24, 58))}
    said = plan.beat(plan.session(0, 0.6), BIRTHDAY_INTRO, values, (month,), WARM)
    plan.ask("single", BIRTHDAY_ASK, values, f"{month} {day}", (month,), [said])


KIN = {"sister": "f", "daughter": "f", "mom": "f", "brother": "m", "son": "m", "dad": "m"}
FAMILY_INTRO = (
    "my <kin> <name> is {visiting|staying with me} this week{ ugh|, send help|}",
    "had dinner with my <kin> <name> {tonight|last night}",
    "<name> (my <kin>) {called me|texted me} crying about <their> {ex|car}",
)
FAMILY_ASK = ("what's his <kin>'s name?", "does he have a <kin>? what's their name")
FAMILY_ALL = ("who's in his family?", "which family members has he talked about?")
FAMILY_CALLBACK = ("<name> says hi lol", "guess who's bugging me again. <name>")


def family(plan: Plan) -> None:
    found: list[tuple[str, str, Beat]] = []
    for kin in plan.rng.sample(sorted(KIN), 2):
        pool = pools.PEOPLE[:20] if KIN[kin] == "f" else pools.PEOPLE[20:]
        their = "her" if KIN[kin] == "f" else "his"
        values = {"kin": kin, "name": plan.take(pool), "their": their}
        said = plan.beat(plan.session(0, 0.7), FAMILY_INTRO, values, (values["name"],), ASKING)
        found.append((kin, values["name"], said))
    kin, name, said = found[0]
    plan.ask("single", FAMILY_ASK, {"kin": kin}, name, (name,), [said])
    kin, name, said = found[1]
    plan.ask("callback", FAMILY_CALLBACK, {"name": name}, f"his {kin}", (name,), [said])
    answer = " and ".join(f"his {kin} {name}" for kin, name, _ in found)
    names = tuple(name for _, name, _ in found)
    plan.ask("multi", FAMILY_ALL, {}, answer, names, [beat for _, _, beat in found])


TASTES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # pool: (statements, repeats, questions, someone else's)
    "band": (
        pools.BANDS,
        (
            "been listening to <v> nonstop{ lately|}",
            "<v> is {my fav band ever|the best band alive}, not up for debate",
        ),
        ("<v> dropped new stuff!! {on repeat|so good}", "<v> tickets are so expensive wtf"),
        ("what music is he into?", "who's his favourite band?", "what does he listen to?"),
    ),
    "show": (
        pools.SHOWS,
        ("bingeing <v> again{ lol|}", "just finished <v>, {best show ever|im obsessed}"),
        ("rewatching <v> {for the 3rd time|again} 😅",),
        ("what show is he hooked on?", "what does he watch?", "what's his favourite show?"),
    ),
    "food": (
        pools.FOODS,
        ("<v> is the best food on earth {idc|fr}", "could eat <v> every day honestly"),
        ("made <v> tonight{, nailed it|, mid}",),
        ("what's his favourite food?", "what does he like to eat?"),
    ),
    "team": (
        pools.TEAMS,
        (
            "<v> {won|lost} last night{ lets gooo| ugh|}",
            "{huge|die hard} <v> fan since i was a kid",
        ),
        ("<v> game tonight, {so nervous|cant wait}",),
        ("what team does he root for?", "who does he support?", "which team is he a fan of?"),
    ),
}
OTHER_TASTE = ("my roommate is {obsessed with|always on about} <v>{ lol|}",)


def taste(plan: Plan, what: str) -> None:
    pool, intro, again, asks = TASTES[what]
    values = {"v": plan.take(pool)}
    said = [plan.beat(plan.session(0, 0.6), intro, values, (values["v"],), WARM)]
    if plan.rng.random() < 0.5:
        said.append(plan.beat(plan.session(0.5, 1), again, values, (values["v"],), WARM))
    plan.ask("preference", asks, values, values["v"], (values["v"],), said)
    if plan.rng.random() < 0.5:
        other = {"v": plan.take(pool)}
        plan.beat(plan.session(0, 1), OTHER_TASTE, other, (other["v"],), OTHER, "other")


HOBBY_INTRO = (
    "been getting into <v> {lately|this year}",
    "went <v> all weekend{, so sore| lol|}",
    "<v> is {my therapy|my whole personality now} lmao",
)
HOBBY_ASK = ("what does he do for fun?", "what's his hobby?", "how does he spend his weekends?")


def hobby(plan: Plan) -> None:
    values = {"v": plan.take(pools.HOBBIES)}
    said = plan.beat(plan.session(0, 0.6), HOBBY_INTRO, values, (values["v"],), ASKING)
    plan.ask("single", HOBBY_ASK, values, values["v"], (values["v"],), [said])


INJURY_INTRO = (
    "{broke|busted|fractured} my <part> <how>{ 😭| lol|}",
    "{so|lol} i {hurt|messed up} my <part> <how>, doc says 6 weeks",
)
INJURY_ASK = ("what happened to him, he got hurt?", "how did he get injured?", "is he hurt?")


def injury(plan: Plan) -> None:
    part, how = plan.rng.choice(pools.INJURIES)
    values = {"part": part, "how": how}
    said = plan.beat(plan.session(0, 0.8), INJURY_INTRO, values, (part,), SAD)
    plan.ask("single", INJURY_ASK, values, f"hurt his {part} {how}", (part,), [said])


TRIP_PLAN = (
    "going to <place> next week for <why>{!!| 😎|}",
    "{cant wait|so hyped}, <place> next {week|friday} for <why>",
    "booked <place> for <why>, leaving {next week|in a few days}",
)
TRIP_BACK = (
    "back from <place>{, need a vacation from my vacation| lol|}",
    "<place> was {unreal|a blur|so much fun}, just got home",
    "{home|back} now, <place> {wrecked me|was everything}",
)
TRIP_WHERE = (
    "where did he go for <asked_why>?",
    "he went away for <asked_why>, where was it?",
)
TRIP_WHEN = ("when did he go to <place>?", "when was his <place> trip?")
TRIP_AROUND = ("what was he up to around <date>?", "what did he do around <date>?")
OTHER_TRIP = ("my coworker is going to <place> next week, {jealous|lucky guy}",)


def trip(plan: Plan) -> None:
    why, asked_why = plan.rng.choice(pools.TRIP_REASONS)
    values = {"place": plan.take(pools.PLACES), "why": why, "asked_why": asked_why}
    for _ in range(10):  # a trip whose return falls inside the conversation
        start = plan.session(0.05, 0.85)
        back = plan.after(start, plan.rng.randint(6, 14))
        if back is not None:
            break
    else:
        raise ValueError("no session after the trip: the conversation is too short")
    keep = (values["place"],)
    said = plan.beat(start, TRIP_PLAN, values, keep, ASKING + WARM)
    home = plan.beat(back, TRIP_BACK, values, keep, ASKING + WARM)
    plan.ask("event", TRIP_WHERE, values, values["place"], keep, [said, home])
    day = plan.days[back]
    if plan.rng.random() < 0.5:
        plan.ask("temporal", TRIP_WHEN, values, f"{day:%B %Y}".lower(), keep, [said, home])
    else:
        values |= {"date": f"{day:%B} {day.day}".lower()}
        plan.ask("temporal", TRIP_AROUND, values, f"a trip to {values['place']}", keep, [home])
    other = {"place": plan.take(pools.PLACES)}
    plan.beat(plan.session(0, 1), OTHER_TRIP, other, (other["place"],), OTHER, "other")
