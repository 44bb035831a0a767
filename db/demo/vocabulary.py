"""Words the demo data is made of: names, places, message templates per intent signal, replies,
memory facts, media titles, notes. Data only; `texts.py` fills the {slots}.

Every contact detail is fake by construction: e-mail domains are the reserved example.* ones
and phone numbers sit in the ranges set aside for fiction (555-01xx, 07700 900xxx).
"""

# fmt: off
# (the data below is laid out by hand, several items a line)

# --- creators -------------------------------------------------------------------------------

CREATOR_NAMES: tuple[str, ...] = (
    "Luna Rivers", "Mia Monroe", "Sasha Vale", "Ivy Harper", "Nova Sinclair", "Chloe Banks",
    "Ruby Lane", "Scarlett Rose", "Jade Winters", "Aria Bloom", "Skye Laurent", "Bella Cruz",
    "Daisy Knox", "Zoe Marlowe", "Lola Quinn", "Stella Hart", "Mila Stone", "Eva Castillo",
    "Harley Jade", "Kira Belle", "Nina Frost", "Roxy Vaughn", "Tessa Blue", "Violet Ash",
)
CREATOR_TIMEZONES: tuple[str, ...] = (
    "America/Los_Angeles", "America/New_York", "America/Chicago", "Europe/London",
    "Europe/Berlin", "Australia/Sydney", "America/Denver", "America/Toronto",
)
MANAGER_NAMES: tuple[str, ...] = (
    "Alex Kim", "Jordan Patel", "Sam Okafor", "Taylor Brooks", "Casey Nguyen", "Morgan Diaz",
    "Riley Chen", "Jamie Rossi", "Drew Walsh", "Avery Lindqvist",
)
PLATFORMS: tuple[str, ...] = ("onlyfans", "fansly", "fanvue")
PLATFORM_PREFIX: dict[str, str] = {"onlyfans": "of", "fansly": "fs", "fanvue": "fv"}
SUBSCRIPTION_PRICES_CENTS: tuple[int, ...] = (499, 799, 999, 1299, 1499, 1999)

# --- fans -----------------------------------------------------------------------------------

FIRST_NAMES: tuple[str, ...] = (
    "Michael", "James", "David", "Chris", "Daniel", "Matt", "Ryan", "Josh", "Kevin", "Brian",
    "Jason", "Tyler", "Eric", "Adam", "Nick", "Mark", "Steve", "Paul", "Tom", "Jake", "Luke",
    "Ben", "Sam", "Alex", "Carlos", "Diego", "Luis", "Marco", "Hans", "Lukas", "Pierre", "Liam",
    "Noah", "Oliver", "Ethan", "Aiden", "Mason", "Logan", "Connor", "Dylan", "Jordan", "Kyle",
    "Sean", "Patrick", "Raj", "Arjun", "Kenji", "Wei", "Omar", "Ali", "Jess", "Emma", "Sophie",
    "Rachel", "Dan", "Greg", "Victor", "Andre", "Felix", "Oscar",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark",
    "Lewis", "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Torres",
    "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan",
    "Schmidt", "Mueller", "Dubois", "Rossi", "Silva", "Kowalski", "Novak", "Larsen", "OConnor",
)
NICKNAMES: dict[str, str] = {
    "Michael": "Mikey", "James": "Jimmy", "David": "Dave", "Chris": "CJ", "Daniel": "Danny",
    "Matt": "Matty", "Josh": "Joshy", "Tyler": "Ty", "Nick": "Nicky", "Tom": "Tommy",
    "Jake": "Jakey", "Ben": "Benny", "Alex": "Lex", "Carlos": "Carlito", "Liam": "Li",
    "Patrick": "Paddy", "Dan": "Danno", "Steve": "Stevie", "Greg": "G", "Oliver": "Ollie",
}
USERNAME_WORDS: tuple[str, ...] = (
    "wolf", "king", "night", "rider", "lover", "fan", "gamer", "chill", "sky", "lucky", "tiger",
    "shadow", "blaze", "storm", "ace", "ghost", "captain", "dreamer", "viking", "maverick",
)
# (city, country code, IANA time zone, weight)
CITIES: tuple[tuple[str, str, str, int], ...] = (
    ("New York", "US", "America/New_York", 9), ("Los Angeles", "US", "America/Los_Angeles", 8),
    ("Chicago", "US", "America/Chicago", 6), ("Houston", "US", "America/Chicago", 5),
    ("Dallas", "US", "America/Chicago", 5), ("Phoenix", "US", "America/Phoenix", 4),
    ("Denver", "US", "America/Denver", 4), ("Seattle", "US", "America/Los_Angeles", 4),
    ("Miami", "US", "America/New_York", 5), ("Atlanta", "US", "America/New_York", 4),
    ("Boston", "US", "America/New_York", 3), ("Las Vegas", "US", "America/Los_Angeles", 3),
    ("Nashville", "US", "America/Chicago", 2), ("Austin", "US", "America/Chicago", 3),
    ("Toronto", "CA", "America/Toronto", 4), ("Vancouver", "CA", "America/Vancouver", 2),
    ("London", "GB", "Europe/London", 6), ("Manchester", "GB", "Europe/London", 2),
    ("Dublin", "IE", "Europe/Dublin", 2), ("Berlin", "DE", "Europe/Berlin", 2),
    ("Munich", "DE", "Europe/Berlin", 1), ("Paris", "FR", "Europe/Paris", 1),
    ("Amsterdam", "NL", "Europe/Amsterdam", 1), ("Madrid", "ES", "Europe/Madrid", 1),
    ("Stockholm", "SE", "Europe/Stockholm", 1), ("Sydney", "AU", "Australia/Sydney", 3),
    ("Melbourne", "AU", "Australia/Melbourne", 2), ("Auckland", "NZ", "Pacific/Auckland", 1),
    ("Mexico City", "MX", "America/Mexico_City", 1), ("Dubai", "AE", "Asia/Dubai", 1),
    ("Singapore", "SG", "Asia/Singapore", 1),
)
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org", "mail.example")
FAN_TYPES: tuple[str, ...] = ("submissive", "dominant", "romantic", "transactional", "lonely")
TONE_PREFERENCES: tuple[str, ...] = ("playful", "assertive", "romantic", "direct")
EMOTIONAL_DRIVERS: tuple[str, ...] = (
    "validation", "companionship", "escapism", "excitement", "status", "intimacy", "novelty",
)
CONTENT_FORMATS: tuple[str, ...] = ("photo", "video", "audio", "text", "bundle")
LENGTH_PREFERENCES: tuple[str, ...] = ("short", "medium", "long")
OBJECTIONS: tuple[str, ...] = (
    "price too high", "already bought something similar", "waiting for payday",
    "wants a preview first", "spent too much this month", "not in the mood tonight",
)
TOPICS: tuple[str, ...] = (
    "work", "sports", "gaming", "the gym", "travel", "music", "cars", "movies", "food", "his dog",
)

# --- the 14 buying-intent signals ----------------------------------------------------------

SIGNALS: tuple[str, ...] = (
    "ready_to_buy", "wants_custom", "price_question", "discount_request", "wants_more",
    "high_intent", "churn_risk", "escalation_intent", "trust_intent", "attention_intent",
    "status_intent", "emotional_support", "entertainment", "boundary_testing",
)
NO_SIGNAL = "none"

# Inbound messages by the signal they carry; {slots} are filled from SLOTS.
INBOUND_TEMPLATES: dict[str, tuple[str, ...]] = {
    "ready_to_buy": (
        "ok im sold, send me {thing} {emoji}",
        "just unlock it for me, i'll pay {price}",
        "sending the money now, drop {thing} in my dms",
        "take my money lol. {thing} please",
        "yes yes yes send it {babe} {emoji}",
        "i'm buying {thing} tonight, just tell me where to tap",
        "how do i get {thing}? i want it right now",
        "been thinking about {thing} all day... ok i'm in, send it over {emoji}",
    ),
    "wants_custom": (
        "do you do customs? i'd love a video {custom}",
        "could you make something just for me? {custom} {emoji}",
        "i have a custom idea... {custom}. would you?",
        "how about a personal clip {custom}",
        "any chance of a custom {custom}? i'd pay extra",
        "i want something nobody else has. a vid {custom}",
        "{babe} would you ever film a custom {custom}? name your price",
    ),
    "price_question": (
        "how much is {thing}?",
        "whats the price on {thing}",
        "how much for a custom {custom}?",
        "what do you charge for {thing} {emoji}",
        "is {thing} included in my sub or is it extra?",
        "price for the full version?",
        "how much would the whole bundle be {babe}",
    ),
    "discount_request": (
        "any chance of a discount on {thing}?",
        "can you do {price} instead? money is tight this week",
        "i'd buy {thing} if it was a little cheaper {emoji}",
        "do you have a deal for loyal fans?",
        "2 for 1 on {thing}? pretty please {emoji}",
        "{price} is a lot... can you go lower?",
        "got any promo codes {babe}",
    ),
    "wants_more": (
        "that last set was insane, do you have more like that? {emoji}",
        "i need more of {thing} omg",
        "when is the next drop?? i cant wait",
        "more please {emoji}{emoji}",
        "loved it. part 2 when?",
        "you cant just end it there lol i need the rest",
        "post more {thing} {babe} {emoji}",
    ),
    "high_intent": (
        "money isn't an issue, show me your best stuff",
        "i want everything you've got. all of it. {emoji}",
        "send me your most exclusive content, whatever it costs",
        "i'll take the biggest bundle you have",
        "just tell me what the vip package is and i'm in",
        "i tip well for the good stuff {babe}, you know that {emoji}",
    ),
    "churn_risk": (
        "thinking about unsubscribing tbh",
        "not sure i'm going to renew this month",
        "you never reply anymore, whats the point of subscribing",
        "i feel like the content got kinda repetitive",
        "gonna take a break from here for a while",
        "might cancel, money's tight and you post less lately",
        "honestly i'm not getting much out of this sub anymore",
    ),
    "escalation_intent": (
        "can we take things a bit further? {emoji}",
        "i want something spicier than usual",
        "you've been teasing me for weeks, show me more {emoji}",
        "i want the uncensored version {babe}",
        "ready for the next level of what you do {emoji}",
        "can you be a bit more daring next time?",
    ),
    "trust_intent": (
        "is this actually you or a chatter?",
        "how do i know you're real lol",
        "are you a bot? be honest",
        "prove it's you, say my name in a voice note",
        "do you actually read these yourself?",
        "last creator i followed had someone else answering... is that you too?",
    ),
    "attention_intent": (
        "why are you ignoring me {emoji}",
        "notice me pls {emoji}",
        "helloooo?? you there?",
        "i've been waiting all day for you to answer",
        "you answered everyone else but me",
        "reply to me {babe} {emoji}",
        "still waiting on a response...",
    ),
    "status_intent": (
        "am i your top fan or what {emoji}",
        "bet i've spent more than anyone here",
        "do i get vip treatment for being here since {since}?",
        "i should be on your favourites list by now",
        "tell me i'm your number one {emoji}",
        "been here since {since}, do i get a shoutout?",
    ),
    "emotional_support": (
        "rough day at work... need someone to talk to",
        "feeling really lonely tonight {emoji}",
        "my {family} is in the hospital, just needed to tell someone",
        "had a {mood}, you always make it better",
        "can't sleep again. talking to you helps",
        "got dumped today. glad you're here at least",
        "work has been crushing me lately, you're the only good part of my day",
    ),
    "entertainment": (
        "tell me something funny, i need a laugh",
        "what are you watching lately? need a new show",
        "lets play a game {emoji}",
        "haha you're hilarious {emoji}",
        "would you rather: beach or mountains?",
        "rate my {hobby} setup 1-10 lol",
        "you seen the new {show} episode??",
    ),
    "boundary_testing": (
        "send me something for free first",
        "whats your snap?",
        "can we meet up sometime? i'm in {city} next month",
        "what's your real name?",
        "send a free preview and i'll think about it",
        "add me on {offplatform}, it's easier",
        "just one free pic, no one will know {emoji}",
    ),
    NO_SIGNAL: (
        "{hey} how was your day?",
        "good morning {babe} {emoji}",
        "happy {weekday}!",
        "did you see the game last night?",
        "what are you up to {day}?",
        "just got home from the {hobby}, so tired lol",
        "{hey} {emoji}",
        "the weather here is crazy today",
        "what's your favourite food?",
        "hope you're having a great week",
        "lol same",
        "haha true",
        "ok goodnight {babe}",
    ),
}

# Signals that often travel with another one in the same message, and how often.
CO_SIGNALS: dict[str, tuple[str, float]] = {
    "ready_to_buy": ("high_intent", 0.35),
    "wants_more": ("ready_to_buy", 0.25),
    "discount_request": ("price_question", 0.3),
    "churn_risk": ("attention_intent", 0.2),
    "wants_custom": ("price_question", 0.25),
    "escalation_intent": ("wants_more", 0.2),
}

# A fan's sentiment when sending a message carrying the signal (before noise).
SIGNAL_SENTIMENT: dict[str, float] = {
    "ready_to_buy": 0.6, "wants_custom": 0.4, "price_question": 0.1, "discount_request": 0.0,
    "wants_more": 0.7, "high_intent": 0.6, "churn_risk": -0.5, "escalation_intent": 0.3,
    "trust_intent": -0.1, "attention_intent": -0.35, "status_intent": 0.3,
    "emotional_support": -0.45, "entertainment": 0.6, "boundary_testing": 0.0, NO_SIGNAL: 0.3,
}

SLOTS: dict[str, tuple[str, ...]] = {
    "hey": ("hey", "hi", "heyy", "hii", "yo", "hey you", "omg hi", "hello"),
    "babe": ("babe", "baby", "gorgeous", "beautiful", "love", "queen", "hun", "darling"),
    "thing": (
        "that red lingerie set", "the shower video", "your beach pics", "the new bundle",
        "last night's post", "the gym set", "the full video", "the bts clip", "the pool set",
        "that teaser you posted", "the cosplay set", "the voice note",
    ),
    "custom": (
        "saying my name", "in the red heels", "with a birthday message for me",
        "in my favourite colour (blue)", "wearing glasses", "as a good morning voice note",
        "in a cheerleader outfit", "in that black dress", "reading a little story i wrote",
    ),
    "price": ("$15", "$20", "$25", "30 bucks", "$40", "$50", "20$", "$10"),
    "emoji": ("🔥", "😍", "😘", "🥺", "😈", "❤️", "😂", "🙏", "👀", "💕", "😏", "🥰"),
    "day": ("tonight", "today", "this weekend", "later", "right now"),
    "weekday": ("monday", "friday", "weekend", "hump day", "sunday"),
    "since": ("day one", "last year", "the beginning", "2 years", "your first post"),
    "family": ("dad", "mom", "grandma", "brother", "best friend"),
    "mood": ("rough week", "long day", "terrible shift", "bad night", "stressful week"),
    "hobby": ("gym", "gaming", "fishing", "golf", "bar", "garage", "studio"),
    "show": ("euphoria", "the last of us", "house of the dragon", "the bear", "squid game"),
    "city": ("vegas", "miami", "la", "new york", "london", "your city"),
    "offplatform": ("snapchat", "telegram", "whatsapp", "insta", "kik"),
}

# Style: words a fan's slang replaces, fillers, emoji bursts.
SLANG: dict[str, str] = {
    "you": "u", "your": "ur", "you're": "ur", "are": "r", "please": "pls", "really": "rly",
    "because": "cuz", "tonight": "tonite", "okay": "ok",
    "what": "wat", "love": "luv", "thanks": "thx", "to": "2", "for": "4", "be": "b",
}
FILLERS: tuple[str, ...] = ("lol", "haha", "ngl", "fr", "tbh", "lmao", "hehe", "xx")
OPENERS: tuple[str, ...] = (
    "hey how's your day going?", "so i was thinking about you today.", "ok random question.",
    "sorry for the late msg, work was insane.", "morning! just woke up.", "ok so.",
)

# --- replies (the creator's side) -------------------------------------------------------------

OUTBOUND_TEMPLATES: dict[str, tuple[str, ...]] = {
    "sale": (
        "sending it now {name} 😘 tell me what you think",
        "it's all yours babe, check your dms 🔥",
        "unlocked just for you {name} 💕",
        "you're going to love this one, trust me 😈",
    ),
    "custom": (
        "omg i love that idea {name}! customs start at {price}, want me to film it this week?",
        "i can totally do that 😏 let me check my schedule and send you a price",
        "customs are my favourite, tell me every detail 💕",
    ),
    "price": (
        "it's {price} babe, and so worth it 😘",
        "only {price} for you {name} 💕",
        "the full thing is {price}, i think you'll like it 😏",
    ),
    "discount": (
        "for you? i can do a little something 😘 check your dms",
        "i don't usually do discounts but you've been so sweet {name}",
        "bundle price is already the best deal babe 💕",
    ),
    "care": (
        "aw {name} i'm sorry 🥺 i'm here, tell me everything",
        "sending you the biggest hug, you deserve a better day 💕",
        "that sounds so hard. i'm always happy to hear from you",
    ),
    "attention": (
        "never ignoring you {name}! just got back 💕",
        "sorry babe, crazy day. you have my full attention now 😘",
        "i see you 👀 missed talking to you",
    ),
    "retention": (
        "i'd really miss you {name} 🥺 new set drops friday, stay for it?",
        "you're one of my favourites, let me make it worth it for you 💕",
        "tell me what you want to see more of and i'll make it happen",
    ),
    "boundary": (
        "haha nice try {name} 😏 everything i share is right here",
        "i keep things on here babe, that's how i stay safe 💕",
        "i don't do free stuff but i promise it's worth it 😘",
    ),
    "chat": (
        "haha you're too cute {name}",
        "my day was good! just shot some new stuff 😏",
        "morning {name} ☀️",
        "lol stop 😂",
        "tell me more!",
        "that's so cool, i love that for you",
        "good night {name} 😘",
    ),
}
# Which kind of reply answers which signal.
REPLY_KIND: dict[str, str] = {
    "ready_to_buy": "sale", "high_intent": "sale", "wants_more": "sale",
    "escalation_intent": "sale", "wants_custom": "custom", "price_question": "price",
    "discount_request": "discount", "emotional_support": "care", "attention_intent": "attention",
    "trust_intent": "attention", "status_intent": "attention", "churn_risk": "retention",
    "boundary_testing": "boundary", "entertainment": "chat", NO_SIGNAL: "chat",
}
PPV_OFFERS: tuple[str, ...] = (
    "made something special for you {name} 😈 unlock it?",
    "new {title}... you're going to want to see this 🔥",
    "{title} just for my favourites 😘",
    "don't tell anyone but this one's my best yet 👀 {title}",
    "surprise! {title} 💕",
)

# --- memories ---------------------------------------------------------------------------------

# (kind, what the fan wrote, the fact remembered, importance, subject): the subject names what
# a fact that can change is about (a later fact with the same subject replaces it), else None.
MEMORY_FACTS: tuple[tuple[str, str, str, float, str | None], ...] = (
    ("personal_detail", "my {pet_kind} {pet_name} is being so needy today lol",
     "Has a {pet_kind} named {pet_name}", 0.6, "pet:{pet_species}:{pet_slug}"),
    ("personal_detail", "just finished a 12 hour shift, being {job} is exhausting",
     "Works as {job}", 0.6, "job"),
    ("personal_detail", "huge {team} fan, sunday is game day for me",
     "Supports the {team}", 0.4, "team"),
    ("personal_detail", "spent the whole weekend {hobby_ing}", "Spends weekends {hobby_ing}", 0.4,
     None),
    ("key_date", "my birthday is {date}, just saying 👀", "Birthday is {date}", 0.9, "birthday"),
    ("key_date", "can't believe it's been a year since i subscribed on {date}",
     "Subscription anniversary is {date}", 0.7, "anniversary"),
    ("pet_name", "i love it when you call me {pet_call}", "Likes being called '{pet_call}'", 0.8,
     "pet_name"),
    ("pet_name", "my friends call me {nickname} btw", "Goes by '{nickname}'", 0.7, "nickname"),
    ("preference", "your {content_pref} are my favourite honestly",
     "Prefers {content_pref}", 0.7, None),
    ("preference", "you look amazing in {colour}", "Loves seeing her in {colour}", 0.5, None),
    ("preference", "i'm a {drink} guy, cheers to you 🍻", "Drinks {drink}", 0.3, "drink"),
    ("conversation_fact", "going to {place} next week for work ugh",
     "Mentioned a work trip to {place}", 0.5, None),
    ("conversation_fact", "sent you a little something from your wishlist 🎁",
     "Sent a gift from her wishlist", 0.6, None),
    ("conversation_fact", "my {family} is getting married next month",
     "His {family} is getting married soon", 0.4, None),
)
# A fact that changes: the old memory is superseded by the new one.
CHANGING_FACTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # (kind, old message, old fact, new message, new fact, subject)
    ("personal_detail", "living in {city_old} is so expensive man", "Lives in {city_old}",
     "finally moved to {city}!! new place is great", "Moved to {city}", "city"),
    ("personal_detail", "still stuck at my job as {job_old}", "Works as {job_old}",
     "quit my old job, i'm {job} now 🎉", "Changed jobs: now works as {job}", "job"),
    ("preference", "honestly photos > videos for me", "Prefers photos",
     "ok you converted me, videos are way better", "Now prefers videos over photos",
     "content_format"),
)
PET_SPECIES: dict[str, str] = {
    "golden retriever": "dog", "husky": "dog", "beagle": "dog", "bulldog": "dog", "cat": "cat",
    "kitten": "cat", "parrot": "bird",
}
MEMORY_SLOTS: dict[str, tuple[str, ...]] = {
    "pet_kind": tuple(PET_SPECIES),
    "pet_name": ("Biscuit", "Max", "Luna", "Bella", "Charlie", "Milo", "Rocky", "Pepper"),
    "job": ("a nurse", "a truck driver", "a software engineer", "an electrician", "a chef",
            "a firefighter", "an accountant", "a mechanic", "a teacher", "a bartender"),
    "job_old": ("a cashier", "a delivery driver", "a barista", "a warehouse worker",
                "a call centre agent"),
    "team": ("Cowboys", "Lakers", "Yankees", "Chiefs", "Arsenal", "Packers", "Celtics", "49ers"),
    "hobby_ing": ("fishing", "gaming", "working on his car", "golfing", "hiking", "at the gym"),
    "date": ("March 14", "July 2", "October 30", "January 9", "May 21", "December 3",
             "August 17", "February 26"),
    "pet_call": ("babe", "handsome", "my king", "cutie", "trouble", "sweetheart"),
    "content_pref": ("videos", "photo sets", "voice notes", "lingerie sets", "bts clips"),
    "colour": ("red", "black", "white", "pink", "emerald green", "blue"),
    "drink": ("whiskey", "craft beer", "tequila", "red wine"),
    "place": ("Chicago", "Dallas", "London", "Denver", "Toronto", "Atlanta", "Phoenix"),
    "family": ("brother", "sister", "best friend", "cousin"),
    "city_old": ("Columbus", "Tampa", "Sacramento", "Leeds", "Calgary", "Tucson"),
}

# --- media ------------------------------------------------------------------------------------

MEDIA_KINDS: dict[str, tuple[int, int]] = {
    # kind: (min price cents, max price cents)
    "photo": (500, 2000), "video": (1500, 6000), "audio": (500, 1500), "bundle": (3000, 10000),
}
MEDIA_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("photo", 45), ("video", 35), ("audio", 8), ("bundle", 12),
)
MEDIA_SETTINGS: tuple[str, ...] = (
    "beach", "poolside", "bedroom", "shower", "gym", "kitchen", "hotel", "car", "mirror",
    "balcony", "sauna", "picnic", "office", "cosplay", "holiday",
)
MEDIA_STYLES: tuple[str, ...] = (
    "golden hour", "red lace", "black lingerie", "white shirt", "sporty", "soft glam",
    "cheerleader", "nurse", "bikini", "oversized hoodie", "silk robe", "latex",
)
MEDIA_TITLES: dict[str, tuple[str, ...]] = {
    "photo": ("{style} {setting} set ({n} photos)", "{setting} selfies: {style}",
              "{style} try-on ({n} pics)"),
    "video": ("{setting} {style} video", "{style} tease in the {setting}",
              "{setting} POV: {style}"),
    "audio": ("good morning voice note", "{setting} whispers", "bedtime story: {style}"),
    "bundle": ("{setting} bundle: {n} photos + 3 videos", "{style} collection",
               "weekend bundle: {setting} & {style}"),
}
MEDIA_TAGS: tuple[str, ...] = (
    "lingerie", "bikini", "feet", "cosplay", "solo", "tease", "pov", "bts", "outdoor", "shower",
    "gym", "roleplay", "voice", "heels", "stockings", "selfie",
)
CUSTOM_TITLE = "Custom for {fan}: {custom}"

# --- the creator's team and tools -------------------------------------------------------------

NOTE_TEMPLATES: tuple[str, ...] = (
    "Big tipper on Fridays.",
    "Prefers to be called {nickname}.",
    "Asked about customs twice, price sensitive - offer the bundle first.",
    "Very sweet, always asks about her day. Don't push PPV hard.",
    "Talks about {topic} a lot; good opener.",
    "Was upset when a message went unanswered for a day - reply fast.",
    "Tried to get her snap; keep it on platform.",
    "Bought everything in the vault. Save new drops for him first.",
    "Usually online around {hour}:00 UTC.",
    "Mentioned money is tight this month.",
)
MESSAGE_TEMPLATES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # (name, body, tone, variables)
    ("welcome", "hey {fan_name}! so happy you're here 💕 what made you subscribe?", "playful",
     ("fan_name",)),
    ("ppv_teaser", "just made something i think you'll love, {fan_name} 😏 {media_title} for"
     " {media_price}", "playful", ("fan_name", "media_title", "media_price")),
    ("win_back", "i miss you {fan_name} 🥺 come back this week and i'll send you something"
     " special", "romantic", ("fan_name",)),
    ("thank_you_tip", "omg thank you for the tip {fan_name}!! you made my day 😘", "playful",
     ("fan_name",)),
    ("birthday", "happy birthday {fan_name}!! 🎂 i have a little surprise for you", "romantic",
     ("fan_name",)),
    ("memory_checkin", "hey {fan_name}, still thinking about {memory|what you told me} 💭",
     "romantic", ("fan_name", "memory")),
)
PERSONA_USE: tuple[str, ...] = (
    "babe", "love", "hun", "sweetie", "handsome", "cutie", "xoxo", "mwah", "lol", "omg", "hehe",
)
PERSONA_AVOID: tuple[str, ...] = (
    "sir", "customer", "purchase", "transaction", "daddy", "honey", "dear", "buddy", "pal",
)
NEXT_ACTIONS: dict[str, tuple[str, str]] = {
    # stage: (next best action, reason template)
    "new": ("send_welcome_bundle", "joined {days} days ago and has not bought anything yet"),
    "warming": ("send_ppv_teaser", "chats regularly; {messages} messages so far"),
    "active_buyer": ("offer_custom", "spent ${spend} so far; customs fit his pattern"),
    "cooling_off": ("personal_check_in", "last message {days} days ago"),
    "at_risk": ("send_retention_offer", "auto-renew is off; last message {days} days ago"),
    "churned": ("send_win_back_offer", "subscription ended; lifetime spend ${spend}"),
    "reactivated": ("send_welcome_back", "came back {days} days ago"),
}
# fmt: on
