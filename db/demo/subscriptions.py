"""A platform account's subscription: the current state, the append-only event history that
led to it, and a `subscription` transaction for every event that charged money."""

from decimal import Decimal
from uuid import UUID

from db.demo.context import Account, FanContext
from db.demo.draw import DAY, HOUR, MONTH, cents
from db.demo.rows import Subscription, SubscriptionEvent, Transaction
from db.demo.timeline import Period


def subscribe(ctx: FanContext, account: Account, periods: tuple[Period, ...], tier: str) -> None:
    """Adds the subscription of `account` over `periods` to the fan's rows."""
    draw = ctx.draw
    price = ctx.creator.prices[account.platform] * (2 if tier == "vip" else 1)
    subscription_id = draw.uuid()
    events: list[tuple[str, int | None, int]] = []  # (event type, amount in cents, when)
    previous_end: int | None = None
    for index, period in enumerate(periods):
        if index == 0 and period.trial:
            events.append(("trial_started", 0, period.start))
            if period.paid_months == 0:
                events.append(("expired", None, period.paid_from))
                continue
            if period.paid_from <= 0:
                events.append(("trial_converted", price, period.paid_from))
        elif index == 0:
            events.append(("subscribed", price, period.start))
        else:
            if previous_end is not None and draw.chance(0.6):
                sent = period.start - draw.seconds(HOUR, min(10 * DAY, period.start - previous_end))
                events.append(("win_back_sent", None, sent))
            events.append(("resubscribed", price, period.start))
        end = period.end
        limit = 0 if end is None else min(end, 0)
        renewal = period.paid_from + MONTH
        while renewal < limit:
            events.append(("rebilled", price, renewal))
            renewal += MONTH
        if end is not None:
            last_charge, latest = end - MONTH, min(end, 0) - 1
            if latest > last_charge + HOUR:
                cancelled = draw.seconds(last_charge + HOUR, latest)
            else:
                cancelled = max(last_charge, latest)
            events.append(("cancelled", None, cancelled))
            if end <= 0:
                events.append(("expired", None, end))
        previous_end = end
    last = periods[-1]
    if last.end is not None and last.end <= -3 * DAY and draw.chance(0.4):
        events.append(("win_back_sent", None, draw.seconds(last.end + DAY, -HOUR)))
    _add_rows(ctx, account, subscription_id, tier, price, last, events)


def _add_rows(
    ctx: FanContext,
    account: Account,
    subscription_id: UUID,
    tier: str,
    price: int,
    last: Period,
    events: list[tuple[str, int | None, int]],
) -> None:
    draw, creator_id, fan_id = ctx.draw, ctx.creator.creator_id, ctx.fan_id
    end = last.end
    renews_at = ended_at = None
    if end is None:
        status = "trial" if last.trial and last.paid_from > 0 else "active"
        next_charge = last.paid_from
        if next_charge <= 0:
            next_charge += ((-next_charge) // MONTH + 1) * MONTH
        renews_at = draw.at(next_charge)
    else:
        status = "cancelled" if end > 0 else "expired"
        ended_at = draw.at(end)  # for a cancelled one: when its paid access runs out
    ctx.rows.fan_subscriptions.append(
        Subscription(
            subscription_id, creator_id, fan_id, account.id, tier, status, cents(price),
            end is None, draw.at(last.start), renews_at, ended_at,
            draw.at(max(at for _, _, at in events)),
        )
    )  # fmt: skip
    sequences, platform = ctx.sequences, account.platform
    for event_type, amount, at in events:
        when = draw.at(at)
        money: Decimal | None = None if amount is None else cents(amount)
        ctx.rows.fan_subscription_events.append(
            SubscriptionEvent(
                draw.uuid(), creator_id, fan_id, subscription_id, event_type, money, when,
                sequences.external_id(platform, "evt"), when,
            )
        )  # fmt: skip
        if money is not None and amount:
            ctx.rows.fan_transactions.append(
                Transaction(
                    draw.uuid(), creator_id, fan_id, account.id, "subscription", money, "USD",
                    None, None, sequences.external_id(platform, "tx"), when, when,
                )
            )  # fmt: skip
