"""One fan with their whole history: platform accounts (about 8% on two platforms, with the
identity link that ties them), subscriptions, chat, purchases, memories, team annotations,
lifecycle events, and last the profile whose derived fields summarise all of that."""

from db.demo import vocabulary as v
from db.demo.annotations import annotate
from db.demo.context import Account, FanContext, Sequences
from db.demo.conversation import converse
from db.demo.creators import Creator
from db.demo.draw import DAY, HOUR, MONTH, Draw
from db.demo.lifecycle import record
from db.demo.memories import remember
from db.demo.profile import profile
from db.demo.purchases import purchase
from db.demo.rows import IdentityLink, PlatformAccount, Rows
from db.demo.subscriptions import subscribe
from db.demo.timeline import Period, Timeline, plan
from db.demo.traits import Traits, traits

TWO_PLATFORMS = 0.08
_EVIDENCE = (("payment_email", 0.5), ("shared_username", 0.8), ("agent_inferred", 1.0))


def generate_fan(draw: Draw, creator: Creator, sequences: Sequences) -> Rows:
    """All rows of one new fan of `creator`."""
    ctx = FanContext(draw, creator, sequences, draw.uuid())
    timeline = plan(draw, creator.page_started)
    fan = traits(draw, timeline)
    _accounts(ctx, timeline, fan)
    conversation = converse(ctx, timeline, fan)
    offers = purchase(ctx, timeline, fan, conversation)
    remember(ctx, fan, conversation)
    row = profile(ctx, timeline, fan, offers)
    ctx.rows.fan_profiles.append(row)
    record(ctx, timeline, row)
    annotate(ctx, timeline, fan, row, conversation)
    return ctx.rows


def _accounts(ctx: FanContext, timeline: Timeline, fan: Traits) -> None:
    """The fan's platform accounts and their subscriptions."""
    draw, creator = ctx.draw, ctx.creator
    tier = "vip" if draw.chance(0.05) else "standard"
    platform = draw.weighted(creator.platform_weights)
    username = _username(draw, fan)
    first = _account(ctx, platform, username, timeline.joined)
    subscribe(ctx, first, timeline.periods, tier)
    period = timeline.periods[0]
    latest = min(period.end if period.end is not None else 0, 0) - DAY
    if not draw.chance(TWO_PLATFORMS) or latest <= timeline.joined + DAY:
        return
    joined = draw.seconds(timeline.joined + DAY, latest)
    other = draw.pick([p for p in creator.platforms if p != platform])
    roll = draw.rng.random()
    evidence = next(name for name, upto in _EVIDENCE if roll < upto)
    same_name = evidence == "shared_username"
    second = _account(ctx, other, username if same_name else _username(draw, fan), joined)
    if period.end is None:
        second_period = Period(joined, None, False)
    else:
        second_period = Period(joined, max(1, (period.end - joined) // MONTH), False)
    subscribe(ctx, second, (second_period,), "standard")
    _link(ctx, first, second, evidence, username, fan)


def _account(ctx: FanContext, platform: str, username: str, joined: int) -> Account:
    draw = ctx.draw
    account = Account(draw.uuid(), platform, joined)
    ctx.accounts.append(account)
    when = draw.at(joined)
    ctx.rows.fan_platform_accounts.append(
        PlatformAccount(
            account.id, ctx.creator.creator_id, ctx.fan_id, platform,
            ctx.sequences.platform_fan_id(platform, draw), username, when, when,
        )
    )  # fmt: skip
    return account


def _link(
    ctx: FanContext, first: Account, second: Account, evidence: str, username: str, fan: Traits
) -> None:
    draw = ctx.draw
    a, b = sorted((first.id, second.id))
    if evidence == "payment_email":
        detail = f"same payment e-mail ({fan.identity.first_name[0].lower()}***@example.com)"
        confidence = draw.unit(0.96, 0.03)
    elif evidence == "shared_username":
        detail = f"same username '{username}' on {first.platform} and {second.platform}"
        confidence = draw.unit(0.86, 0.08)
    else:
        detail = "similar writing style, active hours and time zone"
        confidence = draw.unit(0.7, 0.15)
    confirmed = (
        ctx.creator.manager_id if evidence != "agent_inferred" and draw.chance(0.4) else None
    )
    ctx.rows.fan_identity_links.append(
        IdentityLink(
            draw.uuid(), ctx.creator.creator_id, ctx.fan_id, a, b, evidence, detail, confidence,
            confirmed, draw.at(min(second.joined + draw.seconds(HOUR, 3 * DAY), -HOUR)),
        )
    )  # fmt: skip


def _username(draw: Draw, fan: Traits) -> str:
    identity = fan.identity
    style = draw.integer(0, 2)
    if style == 0:
        return f"{identity.first_name.lower()}{draw.integer(1, 9999)}"
    if style == 1:
        return f"{draw.pick(v.USERNAME_WORDS)}_{identity.first_name.lower()}"
    return f"u{draw.integer(10_000_000, 99_999_999)}"
