"""The intent labels: the 14 buying-intent signals plus "none" (one source of truth).

The order is fixed: model artifacts, JSON schemas and reports list labels in this order.
"""

from typing import Final

NONE: Final = "none"

# One line per signal: what a fan message carrying it does. Used in the LLM prompt and the README.
DEFINITIONS: Final[dict[str, str]] = {
    "ready_to_buy": "has decided to buy or unlock something now, or says he is paying",
    "wants_custom": "asks for content made just for him (custom video, photo, voice note)",
    "price_question": "asks what something costs or whether it is included in the subscription",
    "discount_request": "asks to pay less: a discount, deal, promo code, lower or old price",
    "wants_more": "asks for more of the content he liked, a sequel, the next drop, more posts",
    "high_intent": "signals a big budget: money is no issue, wants everything, the top tier",
    "churn_risk": "thinks of leaving: not renewing, cancelling, bored, disappointed",
    "escalation_intent": "wants content or the relationship to go further, bolder, more intimate",
    "trust_intent": "doubts that the creator is real or writes herself (bot, chatter, scam)",
    "attention_intent": "wants a reply or to be noticed; complains about being ignored",
    "status_intent": "wants recognition as a top, favourite, long-time or VIP fan",
    "emotional_support": "shares distress (loneliness, grief, stress, a bad day) and seeks comfort",
    "entertainment": "wants fun: jokes, games, would-you-rather, shows, banter",
    "boundary_testing": "pushes limits: free content, off-platform contact, meeting, personal data",
}
SIGNALS: Final[tuple[str, ...]] = tuple(DEFINITIONS)
NONE_DEFINITION: Final = "small talk or anything that carries none of the signals"
LABELS: Final[tuple[str, ...]] = (*SIGNALS, NONE)
