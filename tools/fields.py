"""Argument types several tools share, with the bounds the model reads in their JSON schema."""

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from crm.prices import MAX_PRICE
from tools.base import ToolArgs

MAX_MESSAGE_CHARS = 4_000  # the longest persona allows 4000 characters

Price = Annotated[
    float,
    Field(ge=0, le=MAX_PRICE, description=f"Price in US dollars, 0 to {MAX_PRICE}."),
    AfterValidator(lambda value: round(value, 2)),
]
MessageText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS),
    Field(description="The message the fan receives, written in the creator's voice."),
]

Limit = Annotated[int, Field(ge=1, le=50, description="How many to return, at most (1 to 50).")]


class NoArguments(ToolArgs):
    """The arguments of a tool the model calls with none."""
