# ruff: noqa: E501 - one template per line, however long, reads best in a phrase bank
"""The third round of ways to say a signal (issue 19): the fan-side twins of round 3's assistant
requests (negatives_bank_3.py). Round 3 teaches that "is there a discount code for target", "play
more songs like this", "what's my phone number" or "cancel my spotify subscription" carry no
signal; the same frames said to the creator about her content, her sub or herself still do
("any promo code for your sub?", "more pics like this one", "what's your number?", "cancelling
my sub to you"). Without these twins the classifier could only learn the frame, not the object.

Written by hand for this corpus from the label definitions (signals.py), not from any test
split's messages, for the six signals whose words round 3's negatives share most: the build drops
any text that nearly copies a message of another split, and these groups (`sig3.<labels>.NN`)
form banks of their own, split by template like rounds 1 and 2."""

from typing import Final

# labels ("+"-joined, canonical order) -> templates
SIGNAL_TEMPLATES_3: Final[dict[str, tuple[str, ...]]] = {
    "price_question": (
        "{how much|how much is|whats the price of} {your|ur} {monthly sub|subscription|page} {now|these days|}?",
        "{how many|how much} {tokens|dollars|bucks} {to unlock|for} [item]{?|??}",
        "{is|does} [item] {included|come} {in|with} {my sub|the subscription|the monthly}{?| or extra?}",
        "{what's|whats} {your|ur} {rate|going rate} for [custom]{?| [babe]?}",
        "{price list|prices|menu} {please|pls}, {what do your|how much are ur} {customs|ppvs|sets} {go for|cost}?",
        "{how much|what} {would|does} it {cost|run me} to {video call|facetime} with you {for 10 min|for a bit|}?",
    ),
    "discount_request": (
        "{any|got a} {promo code|coupon|discount code} for {your|ur} {sub|page|ppv}{?| [babe]?}",
        "{is there|got} a {deal|discount|sale} on {your|ur} {bundles|sets|vids} {this week|rn|today}?",
        "{student|loyal fan|returning fan} discount on {your|ur} {sub|page|content}{?| pls?|}",
        "{can i get|gimme} {a better rate|a lower rate|a cheaper rate} on [item]{, pretty please|?|}",
        "{do you|will you} {run|do} {a sale|discounts|a promo} {on your page|for subs|on your ppvs} {ever|soon}?",
        "{[money] off|half off|20% off} [item] {and i'm in|and its mine|for me}{?| [babe]?}",
        "{renew|resub} {at|for} the {old price|launch price|discount} {please|pls|?}[e]",
    ),
    "wants_more": (
        "{more|another} {pics|set|video} like {this one|the last one|yesterday's} {please|pls}[e]",
        "{send|post|drop} {another|more} {one|pic|vid} {like that|of you in that outfit}[e]",
        "{show me|post} more {of you|from that shoot|of that set} {please|pls|babe}[e]",
        "{when's|when is} {the next|your next} {drop|set|post} {coming|out}{?| [babe]?}",
        "{part 2|round two|a sequel} {of|to} [item] {please|when|??}[e]",
    ),
    "churn_risk": (
        "{cancelling|gonna cancel} my {sub|subscription} to {you|your page}{, not worth it| tbh|}",
        "{turned off|switching off} {auto renew|auto-renew} on {your|ur} page{, we'll see| ngl|}",
        "{not|won't be} renewing {your|ur} {sub|page} {next month|this time}{, sorry| tbh|}",
        "{bye|goodbye} {then|for good}, {unsubscribing|cancelling} {now|tonight}",
        "{your|ur} page {isn't|aint} worth [money] {anymore|a month}, {i'm out|done|cancelling}",
    ),
    "boundary_testing": (
        "{what's|whats} {your|ur} {number|phone number|cell}{?| [babe]?}",
        "{share|send} {your|ur} location {with me|so i can come over|babe}",
        "{where do|where'd} {you|u} {live|stay}{, exactly| for real|?}",
        "{can we|lets|wanna} meet {up|irl|in person} {this weekend|sometime|for a drink}{?| [babe]|}",
        "{whats|what's} {your|ur} {real name|insta|user name on snap}{?|??|}",
        "{send me|show me} {a pic|a photo|pics} {for free|without paying|as a freebie}[e]",
    ),
    "attention_intent": (
        "{u|you} {there|still there|around}{?|??|???} {hello|hellooo|}",
        "{reply|respond|answer} {to me|pls|please} {already|for real|i'm waiting}[e]",
        "{you|u} {read|opened} my {message|msg} {hours ago|yesterday|this morning} {and said nothing|and nothing|no reply}",
        "{still|just} {waiting|hoping} {to hear back|for you to reply|on an answer}[e]",
        "{why|how come} {won't|wont|don't} you {talk to me|answer me|write back}{?|??| anymore?}",
        "{hey|hi} {its|it's} me again{, did u forget about me| lol| 👋}",
    ),
}
