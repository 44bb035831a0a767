"""Fitting a prompt into a token budget: each section into its own, then the whole prompt into
the total, giving up the least important content first.

A section is either text (cut at the end) or a list of items in priority order (the least
important dropped first; items are kept or dropped whole). `fit` renders, counts the real
messages with tiktoken and shrinks the sections in the order given until the prompt fits, so the
total is exact, not an estimate.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from prompts.messages import ChatMessage
from prompts.tokens import count_message_tokens, count_tokens, truncate


class PromptBudgetError(ValueError):
    """Even with every section emptied the prompt is over the total budget."""


@dataclass(frozen=True)
class Item:
    key: str  # reported back when the item is kept, e.g. a memory id
    text: str


@dataclass(frozen=True)
class TextSection:
    name: str
    text: str
    budget: int
    empty: str  # shown instead of nothing, so the model sees the section is empty

    def render(self) -> str:
        return self.text or self.empty

    def tokens(self) -> int:
        return count_tokens(self.text)

    def within_budget(self) -> "TextSection":
        return replace(self, text=truncate(self.text, self.budget))

    def shrink(self, overflow: int) -> "TextSection | None":
        """About `overflow` tokens fewer, or None when already empty."""
        if not self.text:
            return None
        return replace(self, text=truncate(self.text, max(0, self.tokens() - overflow)))


@dataclass(frozen=True)
class ItemSection:
    name: str
    items: tuple[Item, ...]  # highest priority first
    budget: int
    empty: str
    oldest_first: bool = False  # shown in reverse priority order (conversations read forwards)

    def render(self) -> str:
        return self._joined() or self.empty

    def tokens(self) -> int:
        return count_tokens(self._joined())

    def _joined(self) -> str:
        shown = reversed(self.items) if self.oldest_first else self.items
        return "\n".join(item.text for item in shown)

    def within_budget(self) -> "ItemSection":
        kept: list[Item] = []
        used = 0
        for item in self.items:
            used += count_tokens(item.text) + 1
            if used > self.budget:
                break
            kept.append(item)
        fitted = replace(self, items=tuple(kept))
        while fitted.items and fitted.tokens() > self.budget:
            fitted = replace(fitted, items=fitted.items[:-1])
        return fitted

    def shrink(self, overflow: int) -> "ItemSection | None":
        """The lowest-priority items dropped until about `overflow` tokens are gone."""
        if not self.items:
            return None
        keep = len(self.items) - 1
        freed = count_tokens(self.items[keep].text) + 1
        while keep > 0 and freed < overflow:
            keep -= 1
            freed += count_tokens(self.items[keep].text) + 1
        return replace(self, items=self.items[:keep])


Section = TextSection | ItemSection
Renderer = Callable[[dict[str, str]], list[ChatMessage]]


@dataclass(frozen=True)
class Fitted:
    messages: tuple[ChatMessage, ...]
    tokens: int
    sections: dict[str, Section]


def fit(
    render: Renderer, sections: Sequence[Section], total: int, shrink_order: Sequence[str]
) -> Fitted:
    """The prompt `render` makes from the sections, within `total` tokens.

    Sections are first cut to their own budgets; then, while the prompt is over `total`, the
    first section in `shrink_order` that still has content gives up about the overflow.
    """
    fitted = {section.name: section.within_budget() for section in sections}
    while True:
        messages = render({name: section.render() for name, section in fitted.items()})
        tokens = count_message_tokens(messages)
        if tokens <= total:
            return Fitted(tuple(messages), tokens, fitted)
        fitted = _shrink_one(fitted, shrink_order, tokens - total)


def _shrink_one(
    sections: dict[str, Section], order: Sequence[str], overflow: int
) -> dict[str, Section]:
    for name in order:
        smaller = sections[name].shrink(overflow)
        if smaller is not None:
            return {**sections, name: smaller}
    raise PromptBudgetError(
        f"the prompt does not fit in the budget even with {', '.join(order)} empty"
    )
