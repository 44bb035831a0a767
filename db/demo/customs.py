"""Custom content requests: asked for in a message, negotiated, then accepted,
declined or fulfilled. A fulfilled request links to the media made for it and is paid by a
`custom` transaction; accepted and fulfilled ones carry the agreed price."""

from uuid import UUID

from db.demo import vocabulary as v
from db.demo.context import FanContext
from db.demo.draw import DAY, HOUR, MINUTE, cents
from db.demo.rows import CustomRequest, MediaAsset, Message
from db.demo.traits import Traits

PLATFORM_FEE = 0.2  # the platform keeps 20% of what a fan pays
MAX_OPEN = 3
_DECLINE_REASONS = (
    "Outside what she films.",
    "Fan asked for off-platform delivery.",
    "Could not agree on a price.",
    "Schedule is full this month.",
)


def source_for(ctx: FanContext, asks: list[int], before: int) -> tuple[UUID, int] | None:
    """Takes the first unused request message sent before `before`: (its id, when)."""
    for turn, position in enumerate(asks):
        message = ctx.rows.fan_messages[position]
        at = _offset(ctx, message)
        if at < before:
            del asks[turn]
            return message.id, at
    return None


def fulfilled(
    ctx: FanContext, traits: Traits, asks: list[int], paid_at: int, price: int, earliest: int
) -> UUID:
    """A request fulfilled and paid at `paid_at` (asked for no earlier than `earliest`)."""
    draw = ctx.draw
    source = source_for(ctx, asks, paid_at - DAY)
    if source is None:
        message_id, created = None, max(earliest, paid_at - draw.seconds(2 * DAY, 10 * DAY))
    else:
        message_id, created = source[0], source[1] + draw.seconds(MINUTE, HOUR)
    decided = created + int((paid_at - created) * draw.uniform(0.05, 0.5))
    media_id = _custom_media(ctx, traits, draw.seconds(decided, paid_at))
    request_id = draw.uuid()
    proposed = price + draw.pick((0, 0, 1000, 2500, 5000))
    ctx.rows.fan_custom_requests.append(
        CustomRequest(
            request_id, ctx.creator.creator_id, ctx.fan_id, _description(ctx), "fulfilled",
            cents(proposed), cents(price), draw.at(decided + 7 * DAY), None, media_id,
            cents(round(price * (1 - PLATFORM_FEE))), message_id, draw.at(created),
            draw.at(paid_at), draw.at(decided), draw.at(paid_at),
        )
    )  # fmt: skip
    return request_id


def still_open(ctx: FanContext, asks: list[int], whale: bool) -> None:
    """Requests from the remaining custom asks: pending, accepted or declined."""
    draw = ctx.draw
    for position in asks[:MAX_OPEN]:
        if not draw.chance(0.6):
            continue
        message = ctx.rows.fan_messages[position]
        created = min(_offset(ctx, message) + draw.seconds(MINUTE, HOUR), 0)
        roll = draw.rng.random()
        if created > -14 * DAY:
            status = "pending_review" if roll < 0.6 else "accepted"
        else:
            status = "declined" if roll < 0.7 else "accepted"
        proposed = draw.integer(150, 1500 if whale else 300) * 100
        agreed = deadline = decided = reason = None
        if status != "pending_review":
            decided = min(created + draw.seconds(HOUR, 2 * DAY), 0)
            if status == "accepted":
                agreed = cents(proposed - draw.pick((0, 0, 1000, 2000)))
                deadline = draw.at(decided + draw.seconds(5 * DAY, 14 * DAY))
            else:
                reason = draw.pick(_DECLINE_REASONS)
        ctx.rows.fan_custom_requests.append(
            CustomRequest(
                draw.uuid(), ctx.creator.creator_id, ctx.fan_id, _description(ctx), status,
                cents(proposed), agreed, deadline, reason, None, None, message.id,
                draw.at(created), draw.at(created if decided is None else decided),
                None if decided is None else draw.at(decided), None,
            )
        )  # fmt: skip


def _description(ctx: FanContext) -> str:
    idea = ctx.draw.pick(v.SLOTS["custom"])
    minutes = ctx.draw.pick((2, 3, 5, 8, 10))
    return f"A {minutes}-minute video {idea}."


def _custom_media(ctx: FanContext, traits: Traits, at: int) -> UUID:
    draw = ctx.draw
    media_id = draw.uuid()
    custom = draw.pick(v.SLOTS["custom"])
    title = v.CUSTOM_TITLE.format(fan=traits.identity.display_name, custom=custom)
    kind = draw.pick(("video", "video", "video", "photo", "audio"))
    ctx.rows.media_assets.append(
        MediaAsset(
            media_id, ctx.creator.creator_id, title, kind, ["custom"], None, draw.integer(20, 90),
            draw.integer(60, 600) if kind != "photo" else None, f"Custom {kind}: {custom}.",
            None, draw.at(at),
        )
    )  # fmt: skip
    return media_id


def _offset(ctx: FanContext, message: Message) -> int:
    return int((message.created_at - ctx.draw.anchor).total_seconds())
