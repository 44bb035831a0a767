"""The LLM classifier: one structured-output call through the ChatModel port.

The prompt is the versioned `classify` template of prompts/ (the fan's text goes in as data);
the model answers {label: confidence 0..1} for every label, which the JSON schema enforces on
backends with grammars. A signal is detected at confidence >= THRESHOLD: above the 0.5 a model
gives when it does not know. An answer that gives every label the same confidence says nothing
(the bundled SmolLM2-135M answers 0.5 for all): it is rejected, and the policy keeps the fast
result.
"""

from typing import Final

from pydantic import TypeAdapter, ValidationError

from agent.intent.scores import Scores, decide
from agent.intent.signals import DEFINITIONS, LABELS, NONE, NONE_DEFINITION
from agent.llm.port import ChatModel
from agent.llm.types import LLMBadOutput
from prompts.context import Signal
from prompts.render import render_classify
from prompts.settings import PromptSettings

THRESHOLD: Final = 0.6
MAX_TOKENS: Final = 400  # 15 keys with short numbers fit in ~200 tokens
PROMPT_LABELS: Final = (
    *(Signal(label, text) for label, text in DEFINITIONS.items()),
    Signal(NONE, NONE_DEFINITION),
)

_ANSWER = TypeAdapter(dict[str, float])


class LLMIntentClassifier:
    def __init__(self, model: ChatModel, prompts: PromptSettings | None = None) -> None:
        self.model = model
        self.prompts = prompts or PromptSettings()
        self.name = f"llm:{model.name}/{self.prompts.version}"  # backend:model/prompt version

    async def scores(self, text: str) -> Scores:
        """Raises an LLMError when the backend fails or its answer is not a full label map."""
        prompt = render_classify(text, PROMPT_LABELS, self.prompts)
        result = await self.model.chat(
            prompt.messages, json_schema=prompt.json_schema, max_tokens=MAX_TOKENS
        )
        try:
            answer = _ANSWER.validate_python(result.parsed)
        except ValidationError as error:
            raise LLMBadOutput(f"intent answer is not a label map: {error}") from error
        missing = set(LABELS) - set(answer)
        if missing:
            raise LLMBadOutput(f"intent answer lacks {sorted(missing)}")
        confidences = {label: min(1.0, max(0.0, answer[label])) for label in LABELS}
        if len(set(confidences.values())) == 1:
            raise LLMBadOutput(f"intent answer is uninformative: {answer[NONE]} for every label")
        return decide(confidences, dict.fromkeys(LABELS, THRESHOLD))
