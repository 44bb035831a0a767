"""The prompts as chat messages: templates filled with a fan's context, within the budget.

Rendering is a pure function of its arguments: memories are ordered by (score desc, id), the
conversation by (time, id), intents by (confidence desc, name), and nothing reads a clock
(classifier signals keep the caller's order: they are a constant, not data). Everything a fan
wrote, or that was taken from it, is neutralised (prompts.sanitize) and placed inside the data
tags the system message tells the model to treat as data; list items are put on one line each
so a fan cannot forge a "you:" turn.
"""

import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from string import Template
from typing import Any

from personas.check import Violation
from personas.model import Persona
from personas.render import render_persona
from prompts.budget import Item, ItemSection, Section, TextSection, fit
from prompts.context import ConversationTurn, DraftContext, IntentScore, MemoryFact, Signal
from prompts.messages import ChatMessage, Role
from prompts.registry import PromptName, PromptTemplate, load
from prompts.sanitize import neutralise, one_line
from prompts.settings import Budget, PromptSettings

NO_SIGNAL = "none"  # the intent of a message that carries no buying signal


@dataclass(frozen=True)
class RenderedPrompt:
    version: str
    name: PromptName
    messages: tuple[ChatMessage, ...]
    tokens: int  # prompts.tokens.count_message_tokens(messages), never over the budget
    kept: dict[str, tuple[str, ...]]  # per list section, the keys of the items that fit, best first
    json_schema: dict[str, Any] | None = None  # for prompts answered in JSON


def render_draft(context: DraftContext, settings: PromptSettings | None = None) -> RenderedPrompt:
    """The system message (voice and rules) and the user message (the fan's context)."""
    settings = settings or PromptSettings()
    budget = settings.budget
    sections: list[Section] = [
        _persona(context.persona, budget),
        _text("fan_summary", context.fan_summary, budget.fan_summary, "(nothing known yet)"),
        _memories(context.memories, budget.memories),
        _conversation(context.conversation, budget.conversation),
        _message(context.message, budget),
    ]
    fixed = {"creator_name": one_line(context.creator_name), "intents": _intents(context.intents)}
    order = ("memories", "conversation", "fan_summary", "persona", "message")
    return _render(
        load(settings.version, "draft", settings.templates_dir),
        fixed,
        sections,
        budget.total,
        order,
    )


def render_repair(
    creator_name: str,
    persona: Persona,
    message: str,
    draft: str,
    violations: Sequence[Violation],
    settings: PromptSettings | None = None,
) -> RenderedPrompt:
    """Asks for the draft again, with what broke the persona's rules and how to fix it."""
    settings = settings or PromptSettings()
    budget = settings.budget
    sections: list[Section] = [
        _persona(persona, budget),
        _message(message, budget),
        _text("draft", draft, budget.draft, "(empty)"),
    ]
    problems = "\n".join(f"- {one_line(v.detail)}. {one_line(v.hint)}" for v in violations)
    fixed = {"creator_name": one_line(creator_name), "problems": problems or "- (none)"}
    order = ("message", "draft", "persona")
    return _render(
        load(settings.version, "repair", settings.templates_dir),
        fixed,
        sections,
        budget.total,
        order,
    )


def render_classify(
    message: str, signals: Sequence[Signal], settings: PromptSettings | None = None
) -> RenderedPrompt:
    """How likely the message carries each signal; answered as {signal: confidence} for all.

    Signals are listed in the order given (a constant of the classifier, "none" included if it
    is a label), and the JSON schema requires exactly those keys.
    """
    settings = settings or PromptSettings()
    listed = "\n".join(f"- {one_line(s.name)}: {one_line(s.description)}" for s in signals)
    sections: list[Section] = [_message(message, settings.budget)]
    template = load(settings.version, "classify", settings.templates_dir)
    rendered = _render(template, {"signals": listed}, sections, settings.budget.total, ("message",))
    return replace(rendered, json_schema=label_map_schema([s.name for s in signals]))


def label_map_schema(labels: Sequence[str]) -> dict[str, Any]:
    """A JSON object with one confidence (0..1) for each label, all required."""
    confidence = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "type": "object",
        "properties": {label: dict(confidence) for label in labels},
        "required": list(labels),
        "additionalProperties": False,
    }


def render_judge(
    creator_name: str,
    persona: Persona,
    memories: Sequence[MemoryFact],
    message: str,
    draft: str,
    settings: PromptSettings | None = None,
) -> RenderedPrompt:
    """Asks a model to grade a draft reply from 1 to 5 (the offline evals' LLM judge); answered
    in JSON as {"score": ..., "reason": ...}. The draft is data, like everything the fan wrote."""
    settings = settings or PromptSettings()
    budget = settings.budget
    sections: list[Section] = [
        _persona(persona, budget),
        _memories(memories, budget.memories),
        _message(message, budget),
        _text("draft", draft, budget.draft, "(empty)"),
    ]
    fixed = {"creator_name": one_line(creator_name)}
    order = ("memories", "message", "draft", "persona")
    template = load(settings.version, "judge", settings.templates_dir)
    return _render(template, fixed, sections, budget.total, order)


def _render(
    template: PromptTemplate,
    fixed: dict[str, str],
    sections: Sequence[Section],
    total: int,
    shrink_order: Sequence[str],
) -> RenderedPrompt:
    def messages(values: dict[str, str]) -> list[ChatMessage]:
        return [_message_of(role, body, {**fixed, **values}) for role, body in template.messages]

    fitted = fit(messages, sections, total, shrink_order)
    kept = {
        name: tuple(item.key for item in section.items)
        for name, section in fitted.sections.items()
        if isinstance(section, ItemSection)
    }
    schema = copy.deepcopy(template.json_schema)
    return RenderedPrompt(
        template.version, template.name, fitted.messages, fitted.tokens, kept, schema
    )


def _message_of(role: Role, body: Template, values: dict[str, str]) -> ChatMessage:
    return ChatMessage(role=role, content=body.substitute(values))


def _text(name: str, text: str, budget: int, empty: str) -> TextSection:
    return TextSection(name, neutralise(text).strip(), budget, empty)


def _persona(persona: Persona, budget: Budget) -> TextSection:
    return _text("persona", render_persona(persona), budget.persona, "(none)")


def _message(message: str, budget: Budget) -> TextSection:
    return _text("message", message, budget.message, "(empty)")


def _memories(memories: Sequence[MemoryFact], budget: int) -> ItemSection:
    ordered = sorted(memories, key=lambda m: (-m.score, m.id))
    items = tuple(Item(m.id, f"- [{one_line(m.kind)}] {one_line(m.body)}") for m in ordered)
    return ItemSection("memories", items, budget, "(nothing yet)")


def _conversation(turns: Sequence[ConversationTurn], budget: int) -> ItemSection:
    newest_first = sorted(turns, key=lambda t: (t.at, t.id), reverse=True)
    items = tuple(
        Item(t.id, f"{'fan' if t.direction == 'inbound' else 'you'}: {one_line(t.body)}")
        for t in newest_first
    )
    return ItemSection("conversation", items, budget, "(no earlier messages)", oldest_first=True)


def _intents(intents: Sequence[IntentScore]) -> str:
    shown = sorted(
        (i for i in intents if i.signal != NO_SIGNAL), key=lambda i: (-i.confidence, i.signal)
    )
    if not shown:
        return "nothing in particular"
    return ", ".join(f"{one_line(i.signal)} ({i.confidence:.2f})" for i in shown)
