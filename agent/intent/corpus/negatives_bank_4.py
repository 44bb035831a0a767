# ruff: noqa: E501 - one template per line, however long, reads best in a phrase bank
"""The fourth round of messages that carry no signal (issue 19): the twins of round 4's signals
(signals_bank_4.py). Written by hand for this corpus (an engineer with an LLM assistant, from the
label definitions; no line taken from any public set, no test-split message read).

HARD_NEGATIVES_4: fan chat that shares the weak signals' words and carries none of them: his own
money and budget ("spent everything on rent"), "answer" / "reply" / "left on read" about other
people, his own phone, name and town, meeting his friends, VIP and "top" in the rest of his life
(concert tickets, his job, his team), "free" and "limits" that ask nothing of the creator.

ASSISTANT_4: requests typed to an everyday assistant in the two domains the cross-validated
round-3 model leaked on most: jokes, riddles and games fetched for someone else, and questions
about the assistant itself. Unlike round 3's `ask3` domains, these are split by template like
fan chat (their groups `ask4.<domain>.NN`); round 3's domains of the same name are untouched, and
the leave-domain-out evaluation leaves these out of the training whenever it holds out their
domain. Left out on purpose, as label conflicts: "tell me a joke" said to the listener, "are you
a bot / real", and "what's your real name" without the assistant named."""

from typing import Final

# category -> templates; split by template.
HARD_NEGATIVES_4: Final[dict[str, tuple[str, ...]]] = {
    "own_budget": (
        "{spent|blew} {everything|my whole paycheck} on {rent|car repairs|the vet} this month{ lol| ugh|, adulting}",
        "{my|the} {boss|manager} says {i'm|im} the top {seller|closer} {this quarter|again}{ 😎|, finally|}",
        "{money's|money is} {tight|a bit tight} {till payday|this week|lately}{, ramen season lol|, so staying in|}",
        "{got|just got} a {bonus|raise} {at work|today} and {it's all going|putting it all} {into savings|on my credit card debt}{ lol|}",
        "{my|the} {wife|gf} {runs|does} the budget {at home|in our house}{ lol|, she's scary good at it|}",
        "{my|the} {budget|spending} {app|spreadsheet} says i spent [money] on {coffee|takeout} this month{ lol| 💀|}",
        "{splurged|went all out} on {a new grill|my kid's birthday|a new set of golf clubs} {lol|haha}, {worth it|no regrets}",
        "{no limit|unlimited} {data|minutes} on my {new phone plan|plan} {finally|lol}",
    ),
    "other_replies": (
        "my {mum|mom|sister} {never|still never} answers her phone{ lol|, drives me nuts|}",
        "{reply all|reply-all} {at work|in the office chat} {is|was} a {nightmare|disaster} today{ lol|}",
        "{my|the} {group chat|buddies} left me on read {again|about the game}{ lol| 😂|}",
        "{my|the} dog {ignores|pretends not to hear} me when i call him{ lol| 🐶|}",
        '{my boss|my landlord} keeps {asking|saying} "are you there" on {teams|the phone} {lol|all day}',
        "{still|been} waiting on {the plumber|the insurance company|the dmv} to call me back{ ugh| lol|}",
        "{my|the} {kid|teenager} {ghosted|ignores} me {all weekend|lol}, {just|} {teenager things|normal stuff}",
        "{my|the} {customer|client} {double texted|messaged} me {at 2am|on sunday} {lol|haha}, {no thanks|can wait}",
    ),
    "own_identity": (
        "{my|} name's {mike|dave|carlos} {btw|by the way}{, nice to meet you| lol|}",
        "{just|finally} moved to {denver|a new apartment|the coast} {this week|last month}{, still unpacking|}",
        "{dropped|cracked} my phone {in the sink|on the train} {lol|ugh}, {the new one|a replacement} {comes|arrives} tomorrow",
        "{i|I} live {near the beach|up north|in the middle of nowhere}{, it's so windy today| lol|}",
        "{my|the} {real|full} name is {so long|hard to spell} {lol|haha}, {everyone|people} {gets|get} it wrong",
    ),
    "own_meetings": (
        "{meeting|seeing} {the boys|my brother|some friends} for {drinks|wings|the game} {tonight|later}{ 🍻| lol|}",
        "we're {meeting|visiting} {my in laws|the in-laws|my parents} {this weekend|sunday}{ pray for me lol|, wish me luck|}",
        "{work|team} {meeting|offsite} {ran|went} {long|two hours over} {today|lol}{, brain fried|}",
    ),
    "other_status": (
        "{got|scored} {vip|front row} tickets {to|for} {the concert|the game|a show} {next month|in june}{ 🎉|!!|}",
        "{huge|big} fan of {the lakers|the yankees|arsenal} {lol|btw}, {rough season|terrible game last night}",
        "{been|i've been} a season ticket holder for {10|15} years{ lol|, never missed a game|}",
        "{my|our} {daughter|son} was {star student|student of the week} {today|this week}{ 🥹|, so proud|}",
        "{finally|just} {got|made} {gold|platinum} {status|member} {with the airline|at my gym} {lol|haha}{, took forever|}",
        "{won|got} employee of the month {lol|haha}, {my|the} {photo|name} is on the wall now",
    ),
    "other_free_limits": (
        "{got|scored} a free {coffee|burrito|donut} {today|this morning} {lol|haha}{, small wins|}",
        "{free|finally free} {weekend|saturday} {lol|at last}, {no plans|just chilling}{ 😌|}",
        "{had to|finally} {set|put} {boundaries|limits} with {my ex|my roommate|my boss}{ lol|, feels good|}",
        "{things|stuff} {escalated|got heated} at {the pub quiz|poker night|the hoa meeting} {lol|haha}",
        "{pushed|hit} my {limits|limit} {at the gym|on leg day|running} {today|lol}{, legs are jelly|}",
    ),
}

# domain -> requests to an assistant; split by template (not by domain like round 3's ask3).
ASSISTANT_4: Final[dict[str, tuple[str, ...]]] = {
    "jokes_for_others": (
        "tell my son a knock-knock joke",
        "find a riddle for my {class|3rd graders|cub scouts}",
        "a clean joke for my dad's {70th|retirement} card",
        "give me a dinosaur trivia question for my nephew",
        "suggest a game for a kids' sleepover",
        "write a limerick for a coworker who's leaving",
        "a pun for my sister's bakery sign",
        "icebreaker games for a team offsite",
        "a funny fact for the morning announcements at school",
        "a bedtime joke to read to my daughter",
        "a tongue twister for {speech class|my kids}",
        "riddles for an easter egg hunt",
        "a silly joke to put in the kids' lunchboxes",
        "what's a good charades word for teenagers",
    ),
    "about_assistant": (
        "hey assistant, what's your name",
        "who {made|built} this assistant",
        "what can you help me with",
        "what version are you running",
        "do you save my voice recordings",
        "how do i make your voice british",
        "can you remember things i tell you",
        "what's new in your latest update",
        "who's your developer",
        "do you work without wifi",
        "how do i rename the assistant",
        "what data do you collect about me",
        "can you understand spanish",
        "why do you keep mishearing me",
    ),
}
