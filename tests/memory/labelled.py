"""A small labelled set for memory search: ten facts for each of three fans, and messages those
fans might send with the fact a reply should use (every MemoryKind)."""

from memory.types import MemoryKind

# fan -> (kind, fact, importance)
FACTS: dict[str, tuple[tuple[MemoryKind, str, float], ...]] = {
    "mike": (
        ("personal_detail", "Has a golden retriever named Biscuit", 0.6),
        ("personal_detail", "Works as a nurse", 0.6),
        ("key_date", "Birthday is March 14", 0.9),
        ("pet_name", "Likes being called 'babe'", 0.8),
        ("preference", "Prefers videos over photos", 0.7),
        ("conversation_fact", "Mentioned a work trip to Chicago next week", 0.5),
        ("personal_detail", "Big fan of the Cowboys", 0.4),
        ("preference", "Drinks whiskey", 0.3),
        ("personal_detail", "Lives in Denver", 0.6),
        ("conversation_fact", "Brother is getting married next month", 0.4),
    ),
    "tom": (
        ("personal_detail", "Has a cat named Luna", 0.6),
        ("personal_detail", "Works as a truck driver", 0.6),
        ("key_date", "Subscription anniversary is October 30", 0.7),
        ("pet_name", "Goes by 'Tank'", 0.7),
        ("preference", "Loves voice notes", 0.7),
        ("conversation_fact", "Sent the creator a gift from the wishlist", 0.6),
        ("personal_detail", "Spends weekends fishing", 0.4),
        ("preference", "Loves seeing the creator in red", 0.5),
        ("personal_detail", "Is from Leeds", 0.5),
        ("conversation_fact", "Got promoted", 0.6),
    ),
    "sam": (
        ("personal_detail", "Has a parrot named Pepper", 0.6),
        ("personal_detail", "Works as a software engineer", 0.6),
        ("key_date", "Wedding anniversary is June 2", 0.8),
        ("pet_name", "Likes being called 'my king'", 0.8),
        ("preference", "Dislikes mornings", 0.5),
        ("conversation_fact", "Mentioned a vacation to London next month", 0.5),
        ("personal_detail", "Big fan of the Lakers", 0.4),
        ("personal_detail", "Is 42 years old", 0.5),
        ("preference", "Favourite food is sushi", 0.6),
        ("personal_detail", "Spends weekends hiking", 0.4),
    ),
}

# (fan, what the fan writes, the fact that should come first)
QUERIES: tuple[tuple[str, str, str], ...] = (
    ("mike", "ugh the dog chewed up my shoes again", "Has a golden retriever named Biscuit"),
    ("mike", "long shift at the hospital today, so tired", "Works as a nurse"),
    ("mike", "guess whose birthday is coming up 🎂", "Birthday is March 14"),
    ("mike", "packing my suitcase for the flight", "Mentioned a work trip to Chicago next week"),
    ("mike", "did you watch the football game last night?", "Big fan of the Cowboys"),
    ("tom", "my kitty knocked my coffee over lol", "Has a cat named Luna"),
    ("tom", "been on the road hauling freight all week", "Works as a truck driver"),
    ("tom", "caught a huge bass at the lake this morning", "Spends weekends fishing"),
    ("tom", "did my present arrive yet?", "Sent the creator a gift from the wishlist"),
    ("sam", "craving japanese food tonight", "Favourite food is sushi"),
    ("sam", "debugging code all day, my brain hurts", "Works as a software engineer"),
    ("sam", "did you catch the basketball game?", "Big fan of the Lakers"),
)
