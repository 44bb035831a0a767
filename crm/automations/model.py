"""A rule as its API takes it: JSON checked by pydantic, with errors that say what is wrong.

    {"name": "Win back",
     "trigger": {"kind": "expired", "within_days": 30},
     "conditions": {"field": "lifetime_spend", "op": "gte", "value": 50},   (segment rules)
     "actions": [{"kind": "discount", "percent": 20, "days": 3},
                 {"kind": "message", "text": "miss you! 20% off anything this week"},
                 {"kind": "message", "template_id": "..."}],     (filled per fan)
     "autonomy": {"auto_approve": true, "max_discount": 25, "max_messages_per_fan_per_day": 1,
                  "quiet_hours": {"start": 22, "end": 8}}}

Triggers: expiring (access ends within `days`), expired (a cancellation or expiry within
`within_days`, no access now: win-back), new_subscriber (within `within_days`), no_reply (our
message unanswered for `hours`: a follow-up), spend_milestone (lifetime spend reached `amount`),
score_threshold (`score` at least `at_least`, once per `every_days`), tag_added (`tag`),
segment_entered (the fan entered segment `segment_id`'s materialised membership since the rule
was created; again after leaving and re-entering), trial_started and trial_converted (within
`within_days`).
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from crm.fans.annotations import TAG_PATTERN
from crm.intelligence.segments.rules import RuleSet

Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expiring(_Strict):
    kind: Literal["expiring"]
    days: int = Field(default=3, ge=1, le=60, description="access ends within this many days")


class Expired(_Strict):
    kind: Literal["expired"]
    within_days: int = Field(default=30, ge=1, le=365)


class NewSubscriber(_Strict):
    kind: Literal["new_subscriber"]
    within_days: int = Field(default=1, ge=1, le=30)


class NoReply(_Strict):
    kind: Literal["no_reply"]
    hours: int = Field(default=24, ge=1, le=24 * 14)


class SpendMilestone(_Strict):
    kind: Literal["spend_milestone"]
    amount: Decimal = Field(gt=0, le=1_000_000)


class ScoreThreshold(_Strict):
    kind: Literal["score_threshold"]
    score: Literal["churn_risk", "upsell_readiness"]
    at_least: float = Field(ge=0, le=1)
    every_days: int = Field(default=30, ge=1, le=365, description="fires again after this long")


class TagAdded(_Strict):
    kind: Literal["tag_added"]
    tag: Tag


class SegmentEntered(_Strict):
    kind: Literal["segment_entered"]
    segment_id: UUID = Field(description="one of the creator's segments")


class TrialStarted(_Strict):
    kind: Literal["trial_started"]
    within_days: int = Field(default=1, ge=1, le=30)


class TrialConverted(_Strict):
    kind: Literal["trial_converted"]
    within_days: int = Field(default=1, ge=1, le=30)


Trigger = Annotated[
    Expiring
    | Expired
    | NewSubscriber
    | NoReply
    | SpendMilestone
    | ScoreThreshold
    | TagAdded
    | SegmentEntered
    | TrialStarted
    | TrialConverted,
    Field(discriminator="kind"),
]
TRIGGER_KINDS = (
    "expiring",
    "expired",
    "new_subscriber",
    "no_reply",
    "spend_milestone",
    "score_threshold",
    "tag_added",
    "segment_entered",
    "trial_started",
    "trial_converted",
)


class MessageAction(_Strict):
    """A message to the fan (reaches the fan through the gate): the template filled with the
    fan's own data (crm/templates), then `text`; either alone. A fan lacking a value the template
    needs, with no fallback, is skipped."""

    kind: Literal["message"]
    text: Text | None = None
    template_id: UUID | None = None

    @model_validator(mode="after")
    def _says_something(self) -> "MessageAction":
        if self.text is None and self.template_id is None:
            raise ValueError("a message needs a text, a template_id or both")
        return self


class DiscountAction(_Strict):
    """A discount on the fan's next purchase (through the gate)."""

    kind: Literal["discount"]
    percent: int = Field(ge=1, le=90)
    days: int = Field(default=3, ge=1, le=30)


class PpvAction(_Strict):
    """PPV media offered to the fan at `price`, with `text` (through the gate)."""

    kind: Literal["ppv"]
    media_id: UUID
    price: Decimal = Field(ge=1, le=10_000)
    text: Text


class TagAction(_Strict):
    kind: Literal["tag"]
    tag: Tag
    value: Annotated[str, StringConstraints(max_length=200)] | None = None


class AlertAction(_Strict):
    kind: Literal["alert"]
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
    priority: Literal["urgent", "high", "medium", "low"] = "medium"


class FollowUpAction(_Strict):
    """A task for the team: follow the fan up within `in_hours`."""

    kind: Literal["follow_up"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
    in_hours: int = Field(default=24, ge=1, le=24 * 30)


Action = Annotated[
    MessageAction | DiscountAction | PpvAction | TagAction | AlertAction | FollowUpAction,
    Field(discriminator="kind"),
]
OutboundAction = MessageAction | DiscountAction | PpvAction


class QuietHours(_Strict):
    """No auto-approved message from `start` to `end` o'clock in the fan's time zone."""

    start: int = Field(ge=0, le=23)
    end: int = Field(ge=0, le=23)


class Autonomy(_Strict):
    """Whether the rule's outbound actions skip the approval gate, and within which limits; an
    action outside them waits for approval as any other."""

    auto_approve: bool = False
    max_price: Decimal | None = Field(default=None, ge=0, le=10_000)
    max_discount: int | None = Field(default=None, ge=0, le=90)
    max_messages_per_fan_per_day: int = Field(default=1, ge=0, le=20)
    quiet_hours: QuietHours | None = None


class RuleCreate(_Strict):
    name: Name
    trigger: Trigger
    conditions: RuleSet | None = None
    actions: list[Action] = Field(min_length=1, max_length=10)
    autonomy: Autonomy = Autonomy()
    paused: bool = False


class Rule(BaseModel):
    id: UUID
    name: str
    trigger: Trigger
    conditions: RuleSet | None
    actions: list[Action]
    autonomy: Autonomy
    paused: bool
    created_at: datetime
    updated_at: datetime


class Run(BaseModel):
    id: UUID
    rule_id: UUID
    triggered_by: str
    matched_fan_count: int
    outcome: str
    detail: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None


class RunAction(BaseModel):
    id: UUID
    run_id: UUID
    fan_id: UUID
    display_name: str
    action: str
    args: dict[str, Any]
    outcome: str
    detail: dict[str, Any]
    executed_at: datetime
