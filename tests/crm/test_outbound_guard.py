"""The outbound guard's rules: what platforms ban is blocked with its reason; ordinary replies,
prices and platform words pass."""

import pytest

from crm.outbound_guard import screen

BLOCKED = [
    ("venmo me $40 and i'll send it", "off_platform_payment", "venmo"),
    ("just send it on Cash App babe", "off_platform_payment", "Cash App"),
    ("my cashapp is $ivyharper", "off_platform_payment", "cashapp"),
    ("tip me at $ivyH99 instead", "off_platform_payment", "$ivyH99"),
    ("PayPal works too", "off_platform_payment", "PayPal"),
    ("zelle is easier for me", "off_platform_payment", "zelle"),
    ("send it to my p@ypal hun", "off_platform_payment", "paypal"),
    ("v3nm0 is fine", "off_platform_payment", "venmo"),
    ("text me at 555-123-4567", "off_platform_contact", "555-123-4567"),
    ("here's my number: +1 (555) 123 4567", "off_platform_contact", "+1 (555) 123 4567"),
    ("+44 7911 123456 is my whatsapp", "off_platform_contact", "+44 7911 123456"),
    ("it's 555 1234, don't tell anyone", "off_platform_contact", "555 1234"),
    ("email me at ivy.harper@gmail.com", "off_platform_contact", "ivy.harper@gmail.com"),
    ("add me on snap: ivyh", "off_platform_contact", "add me on snap"),
    ("my insta is ivy.h", "off_platform_contact", "my insta"),
    ("find me on Telegram", "off_platform_contact", "Telegram"),
    ("let's move to whats app", "off_platform_contact", "whats app"),
    ("let's meet up this weekend", "meeting_in_person", "meet up"),
    ("i'd love to see you in person", "meeting_in_person", "see you in person"),
    ("come over tonight?", "meeting_in_person", "come over"),
    ("lets meet at starbucks saturday", "meeting_in_person", "meet at"),
    ("wanna meet for drinks?", "meeting_in_person", "meet for drinks"),
    ("when can i see u in person", "meeting_in_person", "see u in person"),
    ("wanna hang irl?", "meeting_in_person", "hang irl"),
    ("c a s h a p p me babe", "off_platform_payment", "cashapp"),
    ("v.e.n.m.o works", "off_platform_payment", "venmo"),
    ("add me on s n a p c h a t", "off_platform_contact", "snapchat"),
    ("some incest roleplay?", "prohibited_content", "incest"),
    ("i do escorting too", "prohibited_content", "escorting"),
    ("i'm 16 btw", "minor", "i'm 16"),
    ("pretend i'm 15 years old", "minor", "15 years old"),
    ("schoolgirl outfit set", "minor", "schoolgirl"),
    ("teen nudes", "minor", "teen nudes"),
]
ALLOWED = [
    "call me babe 😘",
    "call me whatever you like",
    "the full set is $25, or $9.99 for the teaser",
    "this one is pay per view, 15 dollars",
    "unlock it for $1,200 and it's yours",
    "I'll send you a PPV tonight, check your messages",
    "snap a pic for me?",
    "that's a minor detail, don't worry",
    "oh snap, you're right",
    "you're my number one fan",
    "i'm 5 minutes from done, hang on",
    "i'm 15 mins away from my desk",
    "i'm 12 pics into the shoot",
    "i'm 25 and loving it",
    "my dog is 3 years old",
    "tip me here if you liked it 💕",
    "subscribe to my page for more",
    "meeting my friends later, talk soon",
    "I'll be online around 9:30 tonight",
    "what did you get up to in 2024?",
    "the bundle has 120 photos and 15 videos",
    "happy birthday!! 🎉",
    "so nice to meet you 💕",
    "can't wait to meet the real you in my DMs",
    "i'm a b c level shy lol",
    "u r a q t",
]


@pytest.mark.parametrize(("text", "category", "matched"), BLOCKED)
def test_what_platforms_ban_is_blocked_with_its_reason(
    text: str, category: str, matched: str
) -> None:
    block = screen(text)
    assert block is not None, text
    assert (block.category, block.matched.lower()) == (category, matched.lower())
    assert matched.lower() in block.reason.lower()


@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_replies_pass(text: str) -> None:
    assert screen(text) is None
