"""fan_lifecycle_events: the stage changes of the fan's timeline (the last one is the profile's
current stage, at stage_updated_at), spend and tenure milestones, and scheduled follow-ups."""

from datetime import datetime

from db.demo.context import FanContext
from db.demo.draw import DAY
from db.demo.profile import PURCHASE_KINDS
from db.demo.rows import FanProfile, LifecycleEvent
from db.demo.timeline import Timeline

_SPEND_MILESTONES = (10_000, 100_000, 1_000_000)  # cents


def record(ctx: FanContext, timeline: Timeline, profile: FanProfile) -> None:
    """Adds the fan's lifecycle events to ctx.rows."""
    draw = ctx.draw

    def add(
        kind: str, when: datetime, detail: str | None, change: tuple[str | None, str | None]
    ) -> None:
        ctx.rows.fan_lifecycle_events.append(
            LifecycleEvent(
                draw.uuid(), ctx.creator.creator_id, ctx.fan_id, kind, change[0], change[1],
                detail, when,
            )
        )  # fmt: skip

    for step in timeline.changes:
        add("stage_change", draw.at(step.at), None, (step.from_stage, step.to_stage))
    purchases = sorted(
        (t.occurred_at, t.kind, t.amount)
        for t in ctx.rows.fan_transactions
        if t.kind in PURCHASE_KINDS
    )
    extras = [when for when, kind, _ in purchases if kind != "subscription"]
    if extras:
        add("milestone", extras[0], "first purchase", (None, None))
    spent, milestones = 0, list(_SPEND_MILESTONES)
    for when, _, amount in purchases:
        spent += int(amount * 100)
        while milestones and spent >= milestones[0]:
            add(
                "milestone",
                when,
                f"lifetime spend passed ${milestones.pop(0) // 100}",
                (None, None),
            )
    if timeline.periods[0].end is None and -timeline.joined > 365 * DAY:
        add("milestone", draw.at(timeline.joined + 365 * DAY), "one year subscribed", (None, None))
    if profile.follow_up_due_at is not None:
        scheduled = draw.at(-draw.seconds(0, 2 * DAY))
        add("follow_up", scheduled, f"follow up: {profile.next_best_action}", (None, None))
