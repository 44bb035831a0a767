"""The whole graph with the embedded model and its compact profile, replayed: SmolLM2-135M served
by llama-cpp-python's OpenAI-compatible server (plain ChatML), recorded through the `openai`
backend (see cassettes/README.md).

Everything the prompts are rendered from is fixed here (ids, times, the clock, the world), so the
requests match the recording byte for byte; a change to a prompt, a persona rendering or the
tools offered makes the replay fail, which is the point: re-record and look at the new draft.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import yaml

from agent.llm.openai_backend import OpenAIChatModel
from agent.service import DraftOutcome, DraftRequest
from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from evals.cassettes import SECRET_HEADERS
from memory.embedders import LocalEmbedder
from memory.remember import remember
from memory.settings import MemorySettings
from memory.types import Fact
from personas.check import check_draft
from personas.model import Persona
from personas.store import save_fan_persona
from tests.agent.conftest import running
from tests.llm.conftest import FAST_RETRIES, cassette_vcr

CASSETTE = Path(__file__).parent / "cassettes" / "draft_smollm2.yaml"
LLAMA_SERVER = "http://127.0.0.1:18461/v1"  # where the recording server listened
RECORDING_KEY = "sk-recording-key-must-not-appear-in-cassettes"
CREATOR = UUID("00000000-0000-4000-8000-00000000c0de")
FAN = UUID("00000000-0000-4000-8000-0000000000f1")
WHEN = datetime(2026, 10, 30, 18, 0, tzinfo=UTC)
PERSONA = Persona(
    name="Sunny",
    vocabulary_use=("babe",),
    vocabulary_avoid=("daddy",),
    emoji_style="light",
    max_emoji=2,
    max_chars=240,
)
MESSAGE = "my dog Biscuit has been sick all week and I feel so down"


def build_world(target: DatabaseTarget, embedder: LocalEmbedder) -> None:
    with app_connection(target) as conn:
        with creator_scope(conn, CREATOR):
            conn.execute(
                "INSERT INTO creator_profiles (creator_id, handle, display_name)"
                " VALUES (%s, 'sunny.recorded', 'Sunny')",
                [CREATOR],
            )
            conn.execute(
                "INSERT INTO fan_profiles (id, creator_id, display_name, relationship_stage,"
                " lifetime_spend, purchase_count, price_range)"
                " VALUES (%s, %s, 'Tom', 'active_buyer', 120, 6, 'mid')",
                [FAN, CREATOR],
            )
            for minutes, direction, status, body in (
                (90, "inbound", "received", "hey sunny, long day at work"),
                (80, "outbound", "sent", "aw babe, tell me about it"),
            ):
                conn.execute(
                    "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body,"
                    " created_at) VALUES (%s, %s, %s, %s, %s, %s)",
                    [CREATOR, FAN, direction, status, body, WHEN - timedelta(minutes=minutes)],
                )
            facts = [
                Fact("personal_detail", "Has a dog named Biscuit", "pet:dog", 0.9, 0.7),
                Fact("personal_detail", "Works as a nurse", "job", 0.9, 0.5),
            ]
            remember(conn, embedder, FAN, facts, MemorySettings.model_construct())
        save_fan_persona(conn, CREATOR, FAN, PERSONA)


def test_the_embedded_model_drafts_a_reply_that_keeps_the_persona(
    database: DatabaseTarget, embedder: LocalEmbedder
) -> None:
    build_world(database, embedder)
    model = OpenAIChatModel(
        model="SmolLM2-135M-Instruct",
        base_url=LLAMA_SERVER,
        api_key=RECORDING_KEY,
        json_mode="json_object",
        policy=FAST_RETRIES,
    )

    async def scenario() -> DraftOutcome:
        async with running(database, model, embedder, profile="compact") as service:
            return await service.draft(DraftRequest(CREATOR, FAN, text=MESSAGE))

    with cassette_vcr.use_cassette(str(CASSETTE)):
        outcome = asyncio.run(scenario())

    assert outcome.outcome == "drafted"
    assert outcome.draft.strip()
    assert check_draft(outcome.draft, PERSONA) == []
    assert outcome.violations == []
    assert "emotional_support" in [i["signal"] for i in outcome.intents]
    assert outcome.tool_calls == []  # a fan in distress is offered nothing to sell
    assert outcome.memories[0]["body"] == "Has a dog named Biscuit"
    assert outcome.usage["model_calls"] >= 1


def test_no_credentials_in_the_cassette() -> None:
    text = CASSETTE.read_text()
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            assert not {h.lower() for h in interaction[side]["headers"]} & set(SECRET_HEADERS)
    assert RECORDING_KEY not in text and "bearer" not in text.lower()
