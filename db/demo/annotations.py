"""What the creator's team adds to a fan by hand or by rule: tags (customs
wanted, win-back sequence, referrals, HITL escalations, whales), notes, and a per-fan persona
that overrides the creator's default voice."""

from db.demo import vocabulary as v
from db.demo.context import FanContext
from db.demo.conversation import Conversation
from db.demo.draw import DAY
from db.demo.rows import FanProfile, Note, Persona, TagValue
from db.demo.timeline import Timeline
from db.demo.traits import Traits

WHALE_SPEND = 1000  # dollars of lifetime spend
NOTE_SHARE = 0.08
PERSONA_SHARE = 0.05


def annotate(
    ctx: FanContext,
    timeline: Timeline,
    traits: Traits,
    profile: FanProfile,
    conversation: Conversation,
) -> None:
    _tags(ctx, timeline, profile, conversation)
    if traits.whale or ctx.draw.chance(NOTE_SHARE):
        _notes(ctx, timeline, traits)
    if ctx.draw.chance(PERSONA_SHARE):
        _persona(ctx, timeline, traits, profile)


def _since(timeline: Timeline, days: int) -> int:
    """The later of the fan's joining and `days` before the anchor."""
    return max(timeline.joined, -days * DAY)


def _tags(
    ctx: FanContext, timeline: Timeline, profile: FanProfile, conversation: Conversation
) -> None:
    draw, creator = ctx.draw, ctx.creator
    team = (creator.owner_id, creator.manager_id, creator.chatter_id)
    tags: list[tuple[str, str | None, bool]] = []  # (tag, value, set by a person)
    if profile.lifetime_spend >= WHALE_SPEND:
        tags.append(("whale", f"${profile.lifetime_spend}", False))
    if conversation.of("wants_custom") or ctx.rows.fan_custom_requests:
        tags.append(("wants_customs", None, True))
    if profile.relationship_stage == "churned" or any(
        e.event_type == "win_back_sent" for e in ctx.rows.fan_subscription_events
    ):
        tags.append(("win_back", "sequence A", False))
    if draw.chance(0.02):
        tags.append(("referrer", f"referred {draw.integer(1, 4)} fans", True))
    if len(conversation.of("boundary_testing")) >= 2:
        tags.append(("hitl_escalated", "pushes for off-platform contact", True))
    if any(s.tier == "vip" for s in ctx.rows.fan_subscriptions):
        tags.append(("vip_tier", None, False))
    if profile.discount_sensitivity == "always":
        tags.append(("discount_hunter", None, True))
    for tag, value, manual in tags:
        ctx.rows.fan_tag_values.append(
            TagValue(
                creator.creator_id,
                ctx.fan_id,
                tag,
                value,
                draw.pick(team) if manual else None,
                draw.at(draw.seconds(_since(timeline, 30), 0)),
            )
        )


def _notes(ctx: FanContext, timeline: Timeline, traits: Traits) -> None:
    draw, creator = ctx.draw, ctx.creator
    team = (creator.owner_id, creator.manager_id, creator.chatter_id)
    slots = {"nickname": traits.call_name, "topic": traits.topic, "hour": str(traits.hours[0])}
    for template in draw.sample(v.NOTE_TEMPLATES, draw.integer(1, 3)):
        written = draw.at(draw.seconds(_since(timeline, 120), 0))
        ctx.rows.fan_notes.append(
            Note(
                draw.uuid(), creator.creator_id, ctx.fan_id, draw.pick(team),
                template.format_map(slots), written, written,
            )
        )  # fmt: skip


def _persona(ctx: FanContext, timeline: Timeline, traits: Traits, profile: FanProfile) -> None:
    draw = ctx.draw
    when = draw.at(draw.seconds(_since(timeline, 60), 0))
    emoji_style = draw.pick(("none", "light", "heavy"))
    ctx.rows.fan_personas.append(
        Persona(
            draw.uuid(), ctx.creator.creator_id, ctx.fan_id, f"For {profile.display_name}",
            sorted(draw.sample(v.PERSONA_USE, draw.integer(2, 5))),
            sorted(draw.sample(v.PERSONA_AVOID, draw.integer(1, 4))),
            draw.unit(0.7, 0.3), draw.unit(0.25, 0.25), draw.unit(0.6, 0.4),
            draw.unit(0.35, 0.3), emoji_style, 0 if emoji_style == "none" else draw.integer(1, 6),
            traits.length, draw.pick((120, 280, 600, 1200)),
            draw.pick(("casual", "lowercase", "proper", "expressive")),
            draw.unit(0.5, 0.4), draw.unit(0.75, 0.25), draw.unit(0.3, 0.3), when, when,
        )
    )  # fmt: skip
