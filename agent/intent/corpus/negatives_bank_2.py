# ruff: noqa: E501 - one template per line, however long, reads best in a phrase bank
"""The second round of messages that carry no signal (issue 19): the words of the signals used
for the rest of a person's life. Written by hand for this corpus, like negatives_bank.py, after
round 2 of the signals (signals_bank_2.py) made the classifier lean harder on those words.

Assistant categories are requests typed to an assistant about real-world buying, cancelling,
paying, media and messages ("cancel my dinner reservation" is no churn, "play the next episode"
no wants_more, "how much is a flight to rome" no price question: nothing here is about a
creator's content); the fan categories are his own life told in fan chat, and his renewals
(renewing, keeping, extending or re-subscribing his sub, asking how to renew, turning auto-renew
on: the words of churn_risk's "not renewing" without the leaving; added after round 2's model
read "renew my subscription" as churn)."""

from typing import Final

ASSISTANT_CATEGORIES: Final = frozenset(
    {"errands", "bookings", "banking", "media", "messages", "lookup"}
)

# category -> templates; every template is a group of its own in the split.
HARD_NEGATIVES_2: Final[dict[str, tuple[str, ...]]] = {
    "errands": (
        "{order|reorder} {more|another pack of} {paper towels|dog food|coffee pods|batteries}",
        "add {milk|eggs|bread|bananas} to my {shopping list|grocery list|cart}",
        "{where is|track} my {amazon|ups|fedex} {package|order|delivery}",
        "{buy|order} {a new|a} {phone charger|vacuum filter|toothbrush head} {on amazon|online|}",
        "{find|show me} {a deal|deals|the best price} on {a 4k tv|running shoes|a laptop}",
        "{any|are there} {coupons|promo codes} for {pizza hut|dominos|uber eats}{?| today?}",
        "{what's|what is} the cheapest {gas station|flight to denver|hotel} near {me|here}",
        "{cancel|return} my {amazon|online} order{ for the blender| of the headphones|}",
        "{order|get} {a large pepperoni pizza|thai food|sushi} {for delivery|to my place}",
        "{how much|what} {does|would} {a flight to rome|a new iphone|a tank of gas} cost{?| right now?}",
    ),
    "bookings": (
        "cancel my {dinner reservation|dentist appointment|haircut|table for two} {tonight|tomorrow|on friday}",
        "{book|reserve} a table for {two|four} at {7|8 pm|the italian place}",
        "{reschedule|move} my {meeting|appointment|call} to {monday|next week|3 pm}",
        "{cancel|delete} {the|my} {alarm|reminder|calendar event} for {tomorrow|6 am|the meeting}",
        "{is|are} there {any|} {seats|tables|rooms} {left|available} {for saturday|tonight}?",
        "{check|what's} the status of my {flight|train|booking}",
        "{cancel|end} my {gym membership|spotify premium|phone contract}{ please|}",
        "{book|get} me an {uber|taxi|lyft} to {the airport|work|downtown}",
        "{how long|when} {does|will} {my|the} {free trial|warranty|lease} {last|end}?",
        "{unsubscribe|remove} me from {this|the} {newsletter|mailing list|marketing emails}",
    ),
    "banking": (
        "{transfer|send} [money] {to my savings|to my brother|to john}",
        "{pay|schedule} my {electric|phone|credit card|water} bill",
        "{what's|what is} my {account balance|credit score|checking balance}{?| right now?}",
        "{freeze|lock|block} my {debit card|credit card|card}, {i lost it|it's missing|it was stolen}",
        "{when|what day} is my {rent|car payment|loan payment} due?",
        "{how much|what} did i spend on {groceries|eating out|gas} {this month|last week}?",
        "{dispute|report} a charge {on my card|from yesterday|i don't recognise}",
        "{what's|whats} the {interest|apr|fee} on my {savings|card|loan}?",
        "{order|request} a new {debit card|chequebook|card}{ please|}",
        "{split|divide} the {bill|check|dinner} {three|four|two} ways",
    ),
    "media": (
        "play the next episode{ please| of the office|}",
        "{play|put on} {more songs|something} like this",
        "{skip|next} {this song|track|ad}{ please|}",
        "{when does|when's} the next season of {the bear|stranger things|my show} come out?",
        "{turn up|turn down|raise} the volume{ please| a bit|}",
        "{play|put on} {my workout playlist|some jazz|the news|a podcast}",
        "{add|save} this {song|episode|video} to my {favourites|watch later|playlist}",
        "{resume|continue} {the movie|my audiobook|the show} {where i left off|from before}",
        "{what's|whats} {on tv|playing at the cinema|on netflix} tonight?",
        "{record|download} {the game|tonight's episode|the match} {for later|tonight}",
    ),
    "messages": (
        "{reply to|answer} {my boss's|the last|john's} email{ later|, remind me|}",
        "{read|show} me my {latest|new|unread} {messages|texts|emails}",
        "{remind me to|i need to} {call back|text back|answer} {my mom|the landlord|my friend} {tonight|later|}",
        "{did|has} {my mom|the plumber|amazon} {reply|answered|texted back} {yet|}?",
        "{send|text} {my wife|the group|dave} {i'm on my way|running late|see you soon}",
        "{mark|set} {all|these} {emails|messages} as read",
    ),
    "lookup": (
        "{what's|what is} the {price|value} of {bitcoin|gold|tesla stock} {today|now|}?",
        "{who won|what's the score of} {the game|the match|last night's game}{?| last night?}",
        "{how many|how much} {calories|protein|sugar} {in|is in} {a banana|an egg|a big mac}?",
        "{what time|when} does {the pharmacy|walmart|the bank} {close|open} {today|on sunday}?",
        "{define|what does} {ephemeral|ubiquitous|the word vip} {mean|}",
        "{how far|how long} {is it|does it take} to {drive to vegas|get to the airport|walk to the park}?",
        "{translate|how do you say} {thank you|good night|i love you} in {spanish|french|japanese}",
        "{what's|whats} the {tip|15% tip} on a [money] {bill|dinner}?",
    ),
    "fan_life": (
        "{my boss|my landlord|the bank} {never|still hasn't} {replies|replied} to my {emails|calls}{ lol|, so annoying|}",
        "{my buddy|my friend|my brother} {cancelled|bailed} on {our plans|dinner|the trip} {again|tonight}{ lol|}",
        "{finally|just} {paid off|cleared} my {credit card|car loan|student loan}[e]",
        "{my|the} {landlord|gym} {raised|put up} the {rent|price} {again|this month}{ ugh|, classic|}",
        "{bought|just bought} {new running shoes|a new grill|a pizza oven} {today|this weekend}{ lol|, love them|}",
        "{my|the} {wifi|cable} {company|provider} {wants|is charging} [money] {a month|now}{ smh|, crazy|}",
        "{my|our} {team|boss} {wants|asked for} more {reports|meetings|overtime} {this week|again}",
        "{watched|binged} the {whole season|entire show} {in one night|this weekend}{, need the next one lol|}",
        "{my|the} {sister|cousin|neighbour} {is|was} {so bored|bored out of her mind} at {her wedding|the party} lol",
        "{ordered|got} {way too much|too much} {takeout|pizza|chinese} {lol|haha}, {food coma|no regrets}",
        "{saved|got} [money] {off|on} {my new tv|a flight|a jacket} {on black friday|in the sale} {lol|haha|}",
        "{my|the} {car insurance|phone plan} {renews|went up} {next month|again}, {ugh|classic|}",
    ),
    "renewals": (
        "{renew|renewing} my {sub|subscription} {pls|please|rn}, {how|how do i do it|where's the button}?",
        "{how do i|how can i|where do i} {renew|extend} my {sub|subscription}{?| before it runs out?| early?}",
        "{my sub|my subscription} {runs out|ends|expires} {friday|tomorrow|soon}, {renewing it now|already renewed|gonna renew tonight}",
        "{i'll|ill|gonna} renew {again|next month|for another month} {for sure|obviously|no question}[e]",
        "{extended|just extended} my {sub|subscription} {for 3 months|for 6 months|for another year}{ 🎉| lol|}",
        "{keeping|i'm keeping|gonna keep} my {sub|subscription} {for sure|as long as you post|no matter what}[e]",
        "{just|finally} {resubbed|resubscribed|re-subscribed} {to you|to your page|today}{ 😊| lol|, missed you|}",
        "{turned|switched} {auto renew|auto-renew|autorenew} {back on|on} {just now|for you|today}{ 😘|, not going anywhere|}",
        "{not|never} {leaving|cancelling|going anywhere}, {just|already} {renewed|resubbed|turned auto renew on}{ lol| 😘|}",
        "{re-subbing|resubscribing|coming back} {today|tonight|this weekend}, {missed you|couldn't stay away|missed this page}",
        "{did|has} my {sub|subscription|renewal} {go through|renew ok|renew}{?| this month?| yet?}",
        "{renewed|resubbed} for {3 months|6 months|another year}, {so worth it|no regrets|best decision}[e]",
        "{set|put} my {sub|subscription} {to|on} {auto renew|auto-renew|yearly} {so i never lose access|lol|today}",
        "{i|I} {always|just} renew {on payday|the day it's due|right away}{ lol|, easy|}",
        "{can you|could you} remind me {before|when} my {sub|subscription} {renews|is up} so i {can renew|don't lose access}",
        "{sub|subscription} {renewed|renews} {today|tomorrow} {and|so} {i'm|im} {staying|here another month}{ 😊|, yay|}",
    ),
}
