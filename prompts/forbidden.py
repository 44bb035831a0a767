"""What a reply to a fan must never contain, found in its text: contact details (emails, phone
numbers, links, @handles), proposals to meet in person, prices, an AI speaking about itself, and
the phrases of a customer-service assistant (no creator offers a fan "help").
The draft guard refuses drafts with them; the evals count them."""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w$])\+?\d[\d ().-]{6,}\d(?!\w)")
LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|io|me|co|ly)\b", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{3,}")
# A price: with a currency ("$15", "15 dollars", "€9.99"), or an amount with cents ("23.69").
PRICE = re.compile(
    r"[$€£]\s?\d+(?:[.,]\d\d)?|\b\d+(?:\.\d\d)?\s?(?:usd|dollars?|bucks|euros?)\b"
    r"|\b\d{1,4}\.\d\d\b",
    re.IGNORECASE,
)
BOT_ADMISSION = re.compile(
    r"\bas an? (?:ai|assistant|language model|chatbot|bot)\b|\blanguage model\b|\bopenai\b"
    r"|\bi(?:'m| am) (?:an? )?(?:ai|bot|chatbot|assistant|artificial intelligence"
    r"|virtual assistant)\b|\bi(?:'m| am) just a program\b|\bi can(?:not|'t) assist\b"
    r"|\bmy primary role\b|\b(?:furry friend |friendly )?ai\b|\ba\.i\.",
    re.IGNORECASE,
)
ASSISTANT_SPEAK = re.compile(
    r"\b(?:happy|glad|here) to (?:help|assist)\b|\bi'?ll (?:try to|do my best to) help\b"
    r"|\bhow (?:can|may) i (?:help|assist)\b|\bassist you\b|\bhope (?:this|that) helps\b"
    r"|\bis there anything else\b|\bfeel free to (?:ask|reach out|contact)\b"
    r"|\blet me know if you (?:need|have) (?:any(?:thing| questions| help)|help)\b"
    # an assistant's refusal; "i can't help it" and "sorry but i can't tonight" are not
    r"|\b(?:can'?t|cannot|unable to|not able to) (?:help|assist)(?: you)? with (?:that|this)\b",
    re.IGNORECASE,
)
MEETING = re.compile(
    r"(?<!nice to )(?<!good to )(?<!great to )(?<!pleasure to )"
    r"\bmeet(?:ing)?(?: up)? (?:with )?(?:you|u|in person|irl|for (?:a )?(?:coffee|drink|dinner))\b"
    r"|\bmeet(?:ing)? up\b|\bin person\b|\bhang out (?:with you )?(?:in person|irl)\b",
    re.IGNORECASE,
)


def contact_details(text: str) -> list[str]:
    """Emails, phone numbers, links and @handles in `text`."""
    found = [match.group(0) for match in EMAIL.finditer(text)]
    rest = EMAIL.sub(" ", text)  # an email's domain is not a link of its own
    for pattern in (PHONE, LINK, HANDLE):
        found += [match.group(0) for match in pattern.finditer(rest)]
    return found


def prices(text: str) -> list[str]:
    return [match.group(0) for match in PRICE.finditer(text)]


def bot_admissions(text: str) -> list[str]:
    return [match.group(0) for match in BOT_ADMISSION.finditer(text)]


def assistant_phrases(text: str) -> list[str]:
    """Customer-service phrases ("happy to help", "how can I assist you")."""
    return [match.group(0) for match in ASSISTANT_SPEAK.finditer(text)]


def meetings(text: str) -> list[str]:
    """Proposals to meet in person ("meet up", "meet you for a coffee")."""
    return [match.group(0) for match in MEETING.finditer(text)]
