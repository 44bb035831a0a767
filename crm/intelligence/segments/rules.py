"""The segment rule language: JSON, validated by pydantic with errors that say what is wrong.

A rule is one of

    {"all": [rule, ...]}                       every one holds (an empty list: every fan)
    {"any": [rule, ...]}                       at least one holds
    {"not": rule}                              the rule does not hold
    {"field": F, "op": OP, "value": V}         a field of the allow-list (fields.py)
    {"tag": "vip"} / {"tag": "vip", "value": "gold"}     the fan carries the tag (with value)
    {"recency": EVENT, "within_days": N}       the fan did EVENT in the last N days
    {"bought": MEDIA_ID}                       the fan bought this media (not refunded or
                                               charged back); {"not": {"bought": ...}}: has not
    {"percentile": F, "at_least": 0.75}        F is at least its 75th percentile over the
                                               creator's fans (interpolated): the top quarter;
                                               at_most: the bottom; both: a band

Operators by field kind: numbers eq ne gt gte lt lte between is_null is_not_null; days_since
fields (a number of days, e.g. subscribed_days gt 90) gt gte lt lte between is_null
is_not_null; choice and text fields eq ne in not_in is_null is_not_null; flags eq (true or
false); the platform set eq (has this one) and in (has any). between takes [low, high], in and
not_in a non-empty list. Every condition is two-valued: a fan without a value does not satisfy
eq/ne/gt/..., so {"not": ...} of it does. At most MAX_DEPTH levels and MAX_CONDITIONS leaves.
"""

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    StringConstraints,
    Tag,
    model_validator,
)

from crm.fans.annotations import TAG_PATTERN
from crm.intelligence.segments.fields import FIELDS, OPERATORS, PERCENTILE_FIELDS, RECENCY_EVENTS

MAX_DEPTH = 8
MAX_CONDITIONS = 64
MAX_LIST = 100

Operator = Literal[
    "eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in", "is_null", "is_not_null"
]
Scalar = bool | float | Annotated[str, StringConstraints(max_length=200)]
Value = Scalar | list[Scalar] | None


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldRule(_Rule):
    field: str = Field(description="a field of the allow-list")
    op: Operator
    value: Value = None

    @model_validator(mode="after")
    def _check(self) -> "FieldRule":
        spec = FIELDS.get(self.field)
        if spec is None:
            raise ValueError(
                f"unknown field {self.field!r}; the fields are: {', '.join(sorted(FIELDS))}"
            )
        if self.op not in OPERATORS[spec.kind]:
            allowed = ", ".join(sorted(OPERATORS[spec.kind]))
            raise ValueError(f"{self.field} ({spec.kind}) takes the operators {allowed}")
        _check_value(self.field, spec.kind, spec.choices, self.op, self.value)
        return self


class TagRule(_Rule):
    tag: Annotated[str, StringConstraints(pattern=TAG_PATTERN)]
    value: Annotated[str, StringConstraints(max_length=200)] | None = None


class RecencyRule(_Rule):
    recency: str = Field(description="an event: " + ", ".join(RECENCY_EVENTS))
    within_days: float = Field(gt=0, le=3650)

    @model_validator(mode="after")
    def _check(self) -> "RecencyRule":
        if self.recency not in RECENCY_EVENTS:
            raise ValueError(
                f"unknown recency event {self.recency!r}; the events are:"
                f" {', '.join(RECENCY_EVENTS)}"
            )
        return self


class PercentileRule(_Rule):
    percentile: str = Field(description="a field: " + ", ".join(PERCENTILE_FIELDS))
    at_least: float | None = Field(default=None, ge=0, le=1)
    at_most: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> "PercentileRule":
        if self.percentile not in PERCENTILE_FIELDS:
            raise ValueError(
                f"{self.percentile!r} cannot be ranked; percentile fields are:"
                f" {', '.join(PERCENTILE_FIELDS)}"
            )
        if self.at_least is None and self.at_most is None:
            raise ValueError("a percentile rule needs at_least, at_most or both")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError("at_least is above at_most: no fan can match")
        return self


class BoughtRule(_Rule):
    bought: UUID = Field(description="a media item's id: the fan bought it")


class AllRule(_Rule):
    all: list["Rule"] = Field(max_length=MAX_CONDITIONS)


class AnyRule(_Rule):
    any: list["Rule"] = Field(min_length=1, max_length=MAX_CONDITIONS)


class NotRule(_Rule):
    not_: "Rule" = Field(alias="not")


_KINDS = ("all", "any", "not", "field", "tag", "recency", "percentile", "bought")


def _kind(data: Any) -> str | None:
    if isinstance(data, dict):
        return next((key for key in _KINDS if key in data), None)
    names: dict[type[_Rule], str] = {
        AllRule: "all",
        AnyRule: "any",
        NotRule: "not",
        FieldRule: "field",
        TagRule: "tag",
        RecencyRule: "recency",
        PercentileRule: "percentile",
        BoughtRule: "bought",
    }
    kind: type[_Rule] = type(data)
    return names.get(kind)


Rule = Annotated[
    Annotated[AllRule, Tag("all")]
    | Annotated[AnyRule, Tag("any")]
    | Annotated[NotRule, Tag("not")]
    | Annotated[FieldRule, Tag("field")]
    | Annotated[TagRule, Tag("tag")]
    | Annotated[RecencyRule, Tag("recency")]
    | Annotated[PercentileRule, Tag("percentile")]
    | Annotated[BoughtRule, Tag("bought")],
    Discriminator(
        _kind,
        custom_error_type="invalid_rule",
        custom_error_message="a rule is an object with one of the keys: " + ", ".join(_KINDS),
    ),
]

AllRule.model_rebuild()
AnyRule.model_rebuild()
NotRule.model_rebuild()


class RuleSet(RootModel[Rule]):
    """A whole segment rule, checked for size."""

    @model_validator(mode="after")
    def _size(self) -> "RuleSet":
        depth, leaves = _measure(self.root)
        if depth > MAX_DEPTH:
            raise ValueError(f"rules nest {depth} levels deep; at most {MAX_DEPTH}")
        if leaves > MAX_CONDITIONS:
            raise ValueError(f"rules have {leaves} conditions; at most {MAX_CONDITIONS}")
        return self

    def as_json(self) -> dict[str, Any]:
        """The rule as stored in fan_segments.rules."""
        dumped: dict[str, Any] = self.model_dump(by_alias=True, exclude_none=True, mode="json")
        return dumped


def _measure(rule: Any) -> tuple[int, int]:
    """(depth, leaf conditions) of a rule."""
    if isinstance(rule, AllRule | AnyRule):
        children = [
            _measure(child) for child in (rule.all if isinstance(rule, AllRule) else rule.any)
        ]
        return 1 + max((d for d, _ in children), default=0), sum(n for _, n in children)
    if isinstance(rule, NotRule):
        depth, leaves = _measure(rule.not_)
        return depth + 1, leaves
    return 1, 1


def _check_value(field: str, kind: str, choices: tuple[str, ...], op: str, value: Value) -> None:
    if op in ("is_null", "is_not_null"):
        if value is not None:
            raise ValueError(f"{op} takes no value")
        return
    if op == "between":
        if not (isinstance(value, list) and len(value) == 2):
            raise ValueError(f"{field} between needs [low, high]")
        low, high = (_number(field, item) for item in value)
        if low > high:
            raise ValueError(f"{field} between [{low}, {high}]: low is above high")
        return
    if op in ("in", "not_in") or (kind == "set" and op == "in"):
        if not (isinstance(value, list) and 0 < len(value) <= MAX_LIST):
            raise ValueError(f"{field} {op} needs a list of 1 to {MAX_LIST} values")
        for item in value:
            _scalar(field, kind, choices, item)
        return
    if isinstance(value, list):
        raise ValueError(f"{field} {op} takes one value, not a list")
    _scalar(field, kind, choices, value)


def _scalar(field: str, kind: str, choices: tuple[str, ...], value: Value) -> None:
    if kind in ("number", "days_since"):
        _number(field, value)
    elif kind == "flag":
        if not isinstance(value, bool):
            raise ValueError(f"{field} is true or false, not {value!r}")
    elif kind == "choice":
        if value not in choices:
            raise ValueError(f"{field} is one of {', '.join(choices)}; not {value!r}")
    elif not isinstance(value, str):  # text and set
        raise ValueError(f"{field} takes text, not {value!r}")


def _number(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{field} is a number, not {value!r}")
    return float(value)
