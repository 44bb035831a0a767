"""The prompt never exceeds its total budget, each section stays within its own, and what is
trimmed is the least important content."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prompts.budget import Item, ItemSection, PromptBudgetError, Section, TextSection, fit
from prompts.context import DraftContext
from prompts.messages import ChatMessage
from prompts.render import render_draft
from prompts.settings import Budget, PromptSettings
from prompts.tokens import count_message_tokens, count_tokens
from tests.prompts.fixtures import CONTEXTS, PERSONA, context, memory, turn

BUDGETS = st.builds(
    Budget,
    total=st.integers(380, 2500) | st.integers(1, 380),
    persona=st.integers(0, 300),
    fan_summary=st.integers(0, 200),
    memories=st.integers(0, 400),
    conversation=st.integers(0, 400),
    message=st.integers(0, 500),
)
NOTHING = Budget(total=10**6, persona=0, fan_summary=0, memories=0, conversation=0, message=0)


def smallest_prompt(ctx: DraftContext) -> int:
    """The prompt with every trimmable section emptied."""
    return render_draft(ctx, PromptSettings(budget=NOTHING)).tokens


@settings(max_examples=120, deadline=None)
@given(CONTEXTS, BUDGETS)
def test_the_prompt_never_exceeds_the_total_budget(ctx: DraftContext, budget: Budget) -> None:
    try:
        rendered = render_draft(ctx, PromptSettings(budget=budget))
    except PromptBudgetError:
        assert smallest_prompt(ctx) > budget.total
        return
    assert rendered.tokens == count_message_tokens(rendered.messages) <= budget.total
    memories = [m for m in ctx.memories if m.id in rendered.kept["memories"]]
    assert sum(count_tokens(m.body) for m in memories) <= budget.memories


def section_renderer(values: dict[str, str]) -> list[ChatMessage]:
    return [ChatMessage("user", "\n".join(f"<{k}>{v}</{k}>" for k, v in sorted(values.items())))]


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=500),
    st.lists(st.text(max_size=80), max_size=20),
    st.integers(0, 120),
    st.integers(0, 120),
    st.integers(1, 400),
)
def test_every_section_stays_within_its_own_budget(
    text: str, items: list[str], text_budget: int, items_budget: int, total: int
) -> None:
    sections: list[Section] = [
        TextSection("a", text, text_budget, ""),
        ItemSection("b", tuple(Item(str(i), t) for i, t in enumerate(items)), items_budget, ""),
    ]
    try:
        fitted = fit(section_renderer, sections, total, ("b", "a"))
    except PromptBudgetError:
        assert count_message_tokens(section_renderer({"a": "", "b": ""})) > total
        return
    assert fitted.tokens <= total
    assert fitted.sections["a"].tokens() <= text_budget
    assert fitted.sections["b"].tokens() <= items_budget


def test_the_best_scored_memories_and_the_newest_messages_are_kept() -> None:
    ctx = context(
        memories=[memory(i, score=(i % 7) / 10, body="x " * 20) for i in range(20)],
        conversation=[turn(i, body="y " * 20) for i in range(20)],
    )
    budget = Budget(memories=100, conversation=100)
    rendered = render_draft(ctx, PromptSettings(budget=budget))

    ranked = [m.id for m in sorted(ctx.memories, key=lambda m: (-m.score, m.id))]
    kept = rendered.kept["memories"]
    assert 0 < len(kept) < len(ranked)
    assert kept == tuple(ranked[: len(kept)])
    newest = [t.id for t in sorted(ctx.conversation, key=lambda t: t.at, reverse=True)]
    assert rendered.kept["conversation"] == tuple(newest[: len(rendered.kept["conversation"])])
    assert 0 < len(rendered.kept["conversation"]) < len(newest)


def full_tokens(ctx: DraftContext) -> int:
    return render_draft(ctx, PromptSettings(budget=Budget(total=10**6))).tokens


def test_over_the_total_memories_go_first() -> None:
    ctx = context()
    rendered = render_draft(ctx, PromptSettings(budget=Budget(total=full_tokens(ctx) - 12)))
    assert len(rendered.kept["memories"]) < len(ctx.memories)
    assert len(rendered.kept["conversation"]) == len(ctx.conversation)
    assert ctx.fan_summary in rendered.messages[1].content


def test_the_persona_is_cut_last_and_the_fan_message_after_it() -> None:
    ctx = context(fan_summary="Likes beach sets. " * 20)
    no_persona = render_draft(ctx, PromptSettings(budget=NOTHING)).tokens
    budget = Budget(total=no_persona + 60)
    rendered = render_draft(ctx, PromptSettings(budget=budget))
    user = rendered.messages[1].content
    assert rendered.kept == {"memories": (), "conversation": ()}
    assert "(nothing known yet)" in user  # the fan summary went before the persona
    assert '"sir"' in rendered.messages[0].content  # the persona's first rules are still there
    assert "[…]" in rendered.messages[0].content  # and its last ones were cut
    assert ctx.message in user


def test_a_budget_smaller_than_the_instructions_is_an_error() -> None:
    with pytest.raises(PromptBudgetError):
        render_draft(context(), PromptSettings(budget=Budget(total=50)))


def test_the_default_budget_fits_a_full_context_untrimmed() -> None:
    ctx = context()
    rendered = render_draft(ctx)
    assert rendered.kept["memories"] and len(rendered.kept["memories"]) == len(ctx.memories)
    assert PERSONA.vocabulary_avoid[0] in rendered.messages[0].content
