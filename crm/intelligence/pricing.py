"""A PPV price suggestion for one fan and one media item, bounded and explained.

    base      the item's list price; without one, the median list price of the creator's vault;
              without any, $10
    tier      by the fan's price range (lifetime spend): none yet x0.8, low x0.85, mid x1.0,
              high x1.2, whale x1.5
    activity  by the temperature at as_of (last engagement, fan_activity): hot x1.1, warm x1.0,
              cooling x0.9, cold x0.8, ice_cold x0.7
    anchor    a fan with purchases: 75% of base x tier x activity, plus 25% of the fan's
              average order value (what they usually pay); otherwise base x tier x activity
    bounds    at least max($3, half the base), at most min($10,000, twice the base)
    rounding  to a price ending in .99 (14.99) inside the bounds

A custom request's agreed price is bounded the same way (custom_price_range), around what the
fan offered (fan_custom_requests.proposed_price): from half of it (a discount is the creator's
call, a price far below the offer is a mistake) to twice it (a counter-offer, not an invented
figure). Without an offer the creator's median agreed custom price is the base; without any,
only $3 to $10,000 holds.

`already_purchased` says whether the fan owns the item (crm.fans.purchases.ppv_purchase, the
query the agent's check_already_purchased tool runs): offering it again is pointless, so
`offer` is false then.
"""

from datetime import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from pydantic import BaseModel

from crm.fans.purchases import ppv_purchase
from crm.intelligence.clock import resolve
from crm.intelligence.errors import NotFound
from crm.intelligence.temperature import TEMPERATURE_SQL
from crm.prices import MAX_PRICE

MIN_PRICE = Decimal(3)
FALLBACK_BASE = Decimal(10)
TIER_MULTIPLIERS: dict[str | None, Decimal] = {
    None: Decimal("0.8"),
    "low": Decimal("0.85"),
    "mid": Decimal("1.0"),
    "high": Decimal("1.2"),
    "whale": Decimal("1.5"),
}
ACTIVITY_MULTIPLIERS: dict[str, Decimal] = {
    "hot": Decimal("1.1"),
    "warm": Decimal("1.0"),
    "cooling": Decimal("0.9"),
    "cold": Decimal("0.8"),
    "ice_cold": Decimal("0.7"),
}
AOV_WEIGHT = Decimal("0.25")
_CENT = Decimal("0.01")

_INPUTS = """
SELECT m.id AS media_id, m.title, m.price AS list_price,
       (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY v.price)
        FROM media_assets v WHERE v.price IS NOT NULL) AS vault_median,
       p.id AS fan_id, p.price_range, p.avg_order_value, p.purchase_count,
       {temperature} AS temperature
FROM media_assets m
CROSS JOIN fan_profiles p
LEFT JOIN fan_activity a ON a.fan_id = p.id
WHERE m.id = %(media_id)s AND p.id = %(fan_id)s
"""
_STATEMENT = sql.SQL(_INPUTS).format(
    temperature=TEMPERATURE_SQL.format(last_active=sql.SQL("a.last_active_at"))
)


class PriceFactor(BaseModel):
    name: str
    value: str
    effect: str


class PriceSuggestion(BaseModel):
    fan_id: UUID
    media_id: UUID
    title: str
    as_of: datetime
    list_price: Decimal | None
    suggested_price: Decimal
    min_price: Decimal
    max_price: Decimal
    already_purchased: bool
    purchased_at: datetime | None
    amount_paid: Decimal | None
    offer: bool
    factors: list[PriceFactor]
    explanation: str


def suggest_price(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    media_id: UUID,
    *,
    as_of: datetime | None = None,
) -> PriceSuggestion:
    """The suggested PPV price of `media_id` for `fan_id`. Call inside the creator's scope;
    NotFound when the creator has no such fan or media item."""
    moment = resolve(as_of)
    params = {"media_id": media_id, "fan_id": fan_id, "as_of": moment}
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(_STATEMENT, params).fetchone()
    if row is None:
        raise NotFound(f"no fan {fan_id} or no media {media_id} for this creator")
    purchase = ppv_purchase(conn, fan_id, media_id)

    list_price: Decimal | None = row["list_price"]
    base, base_why = _base(list_price, row["vault_median"])
    tier = TIER_MULTIPLIERS[row["price_range"]]
    activity = ACTIVITY_MULTIPLIERS[row["temperature"]]
    factors = [
        PriceFactor(name="base", value=f"${base}", effect=base_why),
        PriceFactor(
            name="spend tier",
            value=row["price_range"] or "no purchases yet",
            effect=f"x{tier}",
        ),
        PriceFactor(name="recent activity", value=row["temperature"], effect=f"x{activity}"),
    ]
    price = base * tier * activity
    aov: Decimal | None = row["avg_order_value"]
    if aov is not None and row["purchase_count"] > 0:
        price = (1 - AOV_WEIGHT) * price + AOV_WEIGHT * aov
        factors.append(
            PriceFactor(
                name="average order value",
                value=f"${aov}",
                effect=f"{int(AOV_WEIGHT * 100)}% of the price pulled toward it",
            )
        )
    low, high = price_bounds(base)
    suggested = _charm(price, low, high)
    if suggested != _charm(price, Decimal(0), Decimal(MAX_PRICE)):
        factors.append(
            PriceFactor(name="bounds", value=f"${low} to ${high}", effect=f"kept at ${suggested}")
        )
    owned = purchase is not None
    explanation = _explain(row["title"], list_price, suggested, factors, purchase)
    return PriceSuggestion(
        fan_id=fan_id,
        media_id=media_id,
        title=row["title"],
        as_of=moment,
        list_price=list_price,
        suggested_price=suggested,
        min_price=low,
        max_price=high,
        already_purchased=owned,
        purchased_at=datetime.fromisoformat(purchase["purchased_at"]) if purchase else None,
        amount_paid=Decimal(str(purchase["amount"])) if purchase else None,
        offer=not owned,
        factors=factors,
        explanation=explanation,
    )


def discounted_price(suggestion: PriceSuggestion, percent: int) -> Decimal:
    """`percent` off the suggested price, as a .99 price no lower than the item's lowest."""
    reduced = suggestion.suggested_price * (100 - percent) / 100
    return _charm(reduced, suggestion.min_price, suggestion.suggested_price)


def price_bounds(base: Decimal) -> tuple[Decimal, Decimal]:
    """The prices of something worth `base`: at least max($3, half of it), at most
    min($10,000, twice it)."""
    return max(MIN_PRICE, (base / 2).quantize(_CENT, ROUND_HALF_UP)), min(
        Decimal(MAX_PRICE), base * 2
    )


def custom_price_range(
    offered: Decimal | None, usual: Decimal | None
) -> tuple[Decimal, Decimal, str]:
    """The bounds of a custom request's agreed price, given the fan's offer and the creator's
    median agreed custom price (either may be unknown), and what they are based on."""
    if offered is not None and offered > 0:
        return *price_bounds(offered), f"half to twice the fan's offer of ${offered:.2f}"
    if usual is not None and usual > 0:
        return *price_bounds(usual), f"half to twice the creator's usual custom price ${usual:.2f}"
    return MIN_PRICE, Decimal(MAX_PRICE), "no offer and no earlier custom to go by"


def _base(list_price: Decimal | None, vault_median: Decimal | None) -> tuple[Decimal, str]:
    if list_price is not None and list_price > 0:
        return list_price, "the item's list price"
    if vault_median is not None and vault_median > 0:
        return vault_median, "no list price: the vault's median price"
    return FALLBACK_BASE, "no prices in the vault: a $10 default"


def _charm(price: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """`price` as a .99 price inside [low, high] (the nearest, else the bound itself)."""
    whole = (price + Decimal("0.5")).quantize(Decimal(1), ROUND_FLOOR)
    charm = max(whole, Decimal(1)) - _CENT
    if charm < low:
        up = low.quantize(Decimal(1), ROUND_FLOOR) + 1 - _CENT
        return up if up <= high else low
    if charm > high:
        down = (high + _CENT).quantize(Decimal(1), ROUND_FLOOR) - _CENT
        return down if down >= low else high
    return charm


def _explain(
    title: str,
    list_price: Decimal | None,
    suggested: Decimal,
    factors: list[PriceFactor],
    purchase: dict[str, Any] | None,
) -> str:
    if purchase is not None:
        return (
            f"The fan already bought {title} on {purchase['purchased_at'][:10]}"
            f" for ${purchase['amount']:.2f}: do not offer it again."
        )
    listed = f"listed at ${list_price}" if list_price is not None else "not priced"
    steps = "; ".join(f"{f.name} {f.value} ({f.effect})" for f in factors)
    return f"Suggest ${suggested} for {title} ({listed}): {steps}."
