"""The optional LLM judge: a model grades each draft from 1 to 5 with the versioned `judge`
prompt (prompts/templates/<v>/judge.txt). It reads the persona, the recalled memories, the fan's
message and the draft, all as data. A judge as small as SmolLM2-135M grades at random: read its
figure only for a capable judge model."""

from typing import Any

from pydantic import BaseModel, ValidationError

from agent.llm.port import ChatModel
from agent.llm.types import LLMError
from evals.cassettes import is_replay_miss
from evals.metrics import Metric
from evals.observe import CaseRun
from personas.model import Persona
from prompts.context import MemoryFact
from prompts.render import render_judge
from prompts.settings import PromptSettings

MAX_TOKENS = 80


class Grade(BaseModel):
    score: int
    reason: str = ""


async def grade(
    model: ChatModel,
    creator_name: str,
    persona: Persona,
    message: str,
    run: CaseRun,
    prompts: PromptSettings,
) -> dict[str, Any]:
    """{"score": 1..5, "reason": ...}, or {"error": ...} when the answer is not a grade. A
    replayed judge call the cassette has no answer for raises, like any other replay miss."""
    memories = [MemoryFact(m["id"], m["kind"], m["body"], m["score"]) for m in run.memories]
    prompt = render_judge(creator_name, persona, memories, message, run.draft, prompts)
    try:
        result = await model.chat(
            prompt.messages, json_schema=prompt.json_schema, max_tokens=MAX_TOKENS
        )
        parsed = Grade.model_validate(result.parsed or {})
    except (LLMError, ValidationError) as error:
        if is_replay_miss(error):
            raise
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    if not 1 <= parsed.score <= 5:
        return {"error": f"score {parsed.score} is not 1 to 5"}
    return {"score": parsed.score, "reason": parsed.reason[:300]}


def aggregate(suite: str, runs: list[CaseRun]) -> dict[str, Metric]:
    judged = [r.judge for r in runs if r.drafted and r.judge is not None]
    if not judged:
        return {}
    scores = [j["score"] for j in judged if "score" in j]
    mean = sum(scores) / len(scores) if scores else 0.0
    return {
        f"{suite}.judge_score": Metric(mean, len(scores)),
        f"{suite}.judge_failures": Metric(len(judged) - len(scores), len(judged)),
    }
