"""The draft guard in the graph: a refused candidate is sampled again, a draft nobody could send
is never stored, the team's own past replies come beside every draft, and a small model gets
the compact prompt."""

import asyncio
from typing import Any
from uuid import UUID

from agent.service import DraftOutcome, DraftRequest
from auth.operator import app_connection
from crm.intelligence.pricing import suggest_price
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from tests.agent.conftest import FIXED_NOW, running
from tests.agent.fakes import ScriptedChatModel, says
from tests.agent.rows import rows
from tests.agent.test_gate import request
from tests.tools.world import Creator

ECHO = "voice:\n- never use these words or phrases: &amp;lt;fan_message&amp;gt;, …"
LOOP = "\n\n".join(["ibid,"] * 24)


def drafted(
    database: DatabaseTarget,
    creator: Creator,
    model: ScriptedChatModel,
    embedder: LocalEmbedder,
    draft: DraftRequest,
    **deps: Any,
) -> DraftOutcome:
    async def scenario() -> DraftOutcome:
        async with running(database, model, embedder, **deps) as service:
            return await service.draft(draft)

    return asyncio.run(scenario())


def stored_drafts(database: DatabaseTarget, creator: Creator) -> list[str]:
    found = rows(database, creator.id, "SELECT body FROM fan_messages WHERE status = 'draft'")
    return [body for (body,) in found]


def a_past_reply(database: DatabaseTarget, creator: Creator, fan_text: str, reply: str) -> None:
    """The other fan wrote `fan_text` and the team answered `reply` (sent)."""
    rows(
        database,
        creator.id,
        """
        WITH asked AS (
            INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at)
            VALUES (%s, %s, 'inbound', 'received', %s, now() - interval '3 days') RETURNING id
        )
        INSERT INTO fan_messages
            (creator_id, fan_id, direction, status, body, in_reply_to_id, created_at)
        SELECT %s, %s, 'outbound', 'sent', %s, id, now() - interval '2 days' FROM asked
        RETURNING id
        """,
        creator.id,
        creator.other_fan,
        fan_text,
        creator.id,
        creator.other_fan,
        reply,
    )


def test_a_refused_candidate_is_sampled_again_and_only_the_good_one_is_stored(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([says(ECHO), says("aw hey you, missed you too 💕")])

    outcome = drafted(database, creator_a, model, embedder, request(database, creator_a, "hey"))

    assert outcome.outcome == "drafted"
    assert outcome.draft == "aw hey you, missed you too 💕"
    assert outcome.refusals == []
    assert stored_drafts(database, creator_a) == ["aw hey you, missed you too 💕"]
    assert len(model.requests) == 2
    # the second attempt is not shown the refused text
    assert ECHO not in [m.content for m in model.requests[1].messages]


def test_when_nothing_passes_the_guard_nothing_is_stored_and_suggestions_are_offered(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    a_past_reply(database, creator_a, "miss you so much tonight", "miss you more Other 🥺")
    model = ScriptedChatModel([], otherwise=says(LOOP))

    outcome = drafted(
        database, creator_a, model, embedder, request(database, creator_a, "i miss you")
    )

    assert outcome.outcome == "no_usable_draft"
    assert outcome.draft == "" and outcome.draft_id is None
    assert [r["code"] for r in outcome.refusals] == ["loop"]
    assert stored_drafts(database, creator_a) == []
    # addressed to this fan: the other fan's name is replaced
    assert outcome.suggestions[0]["text"] == "miss you more Max 🥺"
    assert len(model.requests) == 3  # the draft, one fresh attempt, one persona repair


def test_suggestions_never_carry_a_price_or_contact_details(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    a_past_reply(database, creator_a, "how much is the video", "only $8 for you Other 💕")
    a_past_reply(database, creator_a, "how much is the video", "dm me on insta @secret")
    a_past_reply(database, creator_a, "how much is the video", "i'll send the details babe")
    model = ScriptedChatModel([says("i'll check babe")])

    outcome = drafted(
        database, creator_a, model, embedder, request(database, creator_a, "how much video?")
    )

    assert [s["text"] for s in outcome.suggestions] == ["i'll send the details babe"]


def test_the_compact_profile_asks_a_short_chat_with_examples_and_no_tools(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    a_past_reply(database, creator_a, "good morning gorgeous", "morning Other ☀️ sleep well?")
    model = ScriptedChatModel([says("morning babe 😘\nfan: hi\nyou: hi")])

    outcome = drafted(
        database,
        creator_a,
        model,
        embedder,
        request(database, creator_a, "good morning beautiful"),
        profile="compact",
    )

    [asked] = model.requests
    assert asked.tools == ()
    roles = [m.role for m in asked.messages]
    assert roles[0] == "system" and roles[-1] == "user"
    assert asked.messages[-1].content == "good morning beautiful"
    # the team's reply to a similar message is an earlier turn, addressed to this fan
    assert ("user", "good morning gorgeous") in [(m.role, m.content) for m in asked.messages]
    assert ("assistant", "morning Max ☀️ sleep well?") in [
        (m.role, m.content) for m in asked.messages
    ]
    assert "<" not in asked.messages[0].content and "tool" not in asked.messages[0].content
    assert outcome.usage["prompt_tokens"] == 100  # the scripted model's count, passed on
    assert outcome.draft == "morning babe 😘"  # the first line: the model went on as the fan
    assert UUID(outcome.draft_id or "")


def test_a_fan_who_asks_a_price_is_offered_the_item_at_the_engines_price_and_no_other(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    media = creator_a.media["Shower video"]
    with app_connection(database) as conn, creator_scope(conn, creator_a.id):
        price = suggest_price(conn, creator_a.fan, media, as_of=FIXED_NOW).suggested_price
    model = ScriptedChatModel(
        [says("it's $99 for you babe"), says(f"it's all yours for ${price} babe 😘")]
    )

    outcome = drafted(
        database,
        creator_a,
        model,
        embedder,
        request(database, creator_a, "how much is the shower video?"),
        profile="compact",
    )

    assert outcome.offer is not None
    assert (outcome.offer["media_id"], outcome.offer["title"]) == (str(media), "Shower video")
    assert outcome.offer["price"] == float(price)
    system = model.requests[0].messages[0].content
    assert f'You are offering Max your "Shower video" to unlock for ${price:.2f}' in system
    assert "Never name any other price" in system
    # the invented price was refused and sampled again; the offered one passes
    assert len(model.requests) == 2
    assert outcome.outcome == "drafted" and outcome.draft == f"it's all yours for ${price} babe 😘"
    assert outcome.tool_calls == [] and outcome.pending == []  # offered by the chatter, gated


def test_a_fan_who_asks_for_a_discount_is_offered_the_item_for_less_through_the_chatter(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([says("only for you babe 😘")])

    outcome = drafted(
        database,
        creator_a,
        model,
        embedder,
        request(database, creator_a, "can i get a discount on the shower video? 🥺"),
        profile="compact",
    )

    assert "discount_request" in [i["signal"] for i in outcome.intents]
    assert outcome.offer is not None and outcome.offer["title"] == "Shower video"
    offer = outcome.offer
    assert offer["price"] < offer["full_price"] and offer["percent_off"] >= 15
    system = model.requests[0].messages[0].content
    assert (
        f'your "Shower video" to unlock for ${offer["price"]:.2f}, {offer["percent_off"]}% off'
        " just for Max" in system
    )
    assert outcome.tool_calls == [] and outcome.pending == []  # nothing sent until approved


def test_small_talk_is_offered_nothing(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([says("hey you 😘")])
    outcome = drafted(
        database, creator_a, model, embedder, request(database, creator_a, "hey how are you")
    )
    assert outcome.offer is None
    assert "offering" not in model.requests[0].messages[0].content
