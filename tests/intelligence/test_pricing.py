"""PPV price suggestions: spend tier, recent activity and average order value, bounded around
the list price, ending in .99; "already bought" from the purchases; the agent tool."""

import json
import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest

from crm.intelligence.errors import NotFound
from crm.intelligence.pricing import suggest_price
from tests.intelligence.conftest import Trio
from tests.intelligence.world import AS_OF, ago
from tools.base import RunContext, ToolError
from tools.registry import ALL_TOOLS, READ_TOOLS


@pytest.fixture(scope="module")
def gold(trio: Trio) -> UUID:
    return trio.world.media("Gold set", "40")


def suggested(conn: psycopg.Connection[Any], trio: Trio, fan: UUID, media: UUID) -> Decimal:
    with trio.world.scope():
        return suggest_price(conn, fan, media, as_of=AS_OF).suggested_price


def test_whale_hot_and_big_spending_is_capped_at_twice_the_list_price(
    conn: psycopg.Connection[Any], trio: Trio, gold: UUID
) -> None:
    with trio.world.scope():
        s = suggest_price(conn, trio.whale, gold, as_of=AS_OF)
    # 40 x 1.5 (whale) x 1.1 (hot) = 66, pulled a quarter toward the $127.99 order value: 81.50
    assert (s.suggested_price, s.min_price, s.max_price) == (
        Decimal("79.99"),
        Decimal("20.00"),
        Decimal("80"),
    )
    assert [f.name for f in s.factors] == [
        "base", "spend tier", "recent activity", "average order value", "bounds",
    ]  # fmt: skip
    assert s.offer and not s.already_purchased
    assert "Suggest $79.99 for Gold set (listed at $40.00)" in s.explanation


@pytest.mark.parametrize(
    ("who", "price"),
    [
        ("trial", "34.99"),  # 40 x 0.8 (no purchases yet) x 1.1 (hot) = 35.20
        ("lapsed", "23.99"),  # 40 x 1.0 (mid) x 0.7 (ice cold) = 28, with a $11.66 AOV: 23.92
    ],
)
def test_tier_activity_and_order_value_move_the_price(
    conn: psycopg.Connection[Any], trio: Trio, gold: UUID, who: str, price: str
) -> None:
    assert suggested(conn, trio, getattr(trio, who), gold) == Decimal(price)


def test_without_a_list_price_the_vault_median_is_the_base_and_cheap_items_stay_above_3(
    conn: psycopg.Connection[Any], trio: Trio, gold: UUID
) -> None:
    unpriced = trio.world.media("Untitled", None)
    cheap = trio.world.media("Teaser", "4")
    with trio.world.scope():
        s = suggest_price(conn, trio.trial, unpriced, as_of=AS_OF)
    assert s.factors[0].effect == "no list price: the vault's median price"
    assert s.factors[0].value == "$25.00"  # of 4, 25 and 40
    assert s.suggested_price == Decimal("21.99")  # 25 x 0.88 = 22
    assert suggested(conn, trio, trio.trial, cheap) == Decimal("3.99")  # bounds $3 to $8


def test_an_item_the_fan_bought_is_flagged_not_to_offer(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    with trio.world.scope():
        s = suggest_price(conn, trio.whale, trio.media, as_of=AS_OF)
    assert s.already_purchased and not s.offer
    assert (s.purchased_at, s.amount_paid) == (ago(2), Decimal("30.0"))
    assert s.explanation.startswith("The fan already bought Red set on ")


def test_unknown_or_foreign_ids_are_not_found(
    conn: psycopg.Connection[Any], trio: Trio, gold: UUID, world: Any
) -> None:
    with trio.world.scope(), pytest.raises(NotFound):
        suggest_price(conn, trio.whale, uuid.uuid4(), as_of=AS_OF)
    with world.scope(), pytest.raises(NotFound):  # another creator sees neither
        suggest_price(conn, trio.whale, gold, as_of=AS_OF)


def run_tool(conn: psycopg.Connection[Any], trio: Trio, fan: UUID, **arguments: Any) -> Any:
    tool = ALL_TOOLS["suggest_ppv_price"]
    ctx = RunContext(trio.world.creator, fan, f"thread-{fan}")
    with trio.world.scope():
        result = tool.run(conn, ctx, tool.parse(arguments))
    assert json.loads(json.dumps(result)) == result
    return result


def test_the_agent_tool_suggests_and_checks_the_purchase(
    conn: psycopg.Connection[Any], trio: Trio, gold: UUID
) -> None:
    assert "suggest_ppv_price" in READ_TOOLS
    fresh = run_tool(conn, trio, trio.trial, media_id=str(gold))
    with trio.world.scope():  # the tool prices as of now
        now = suggest_price(conn, trio.trial, gold)
    assert fresh["suggested_price"] == float(now.suggested_price) and fresh["offer"] is True
    assert fresh["explanation"] == now.explanation
    assert fresh["already_purchased"] is False and fresh["factors"][0]["name"] == "base"
    owned = run_tool(conn, trio, trio.whale, media_id=str(trio.media))
    assert owned["already_purchased"] is True and owned["amount_paid"] == 30.0
    assert owned["offer"] is False and owned["purchased_at"].startswith("2026-01-13")


def test_the_agent_tool_rejects_unknown_media_and_extra_arguments(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    with pytest.raises(ToolError, match="unknown media id"):
        run_tool(conn, trio, trio.trial, media_id=str(uuid.uuid4()))
    with pytest.raises(ToolError, match="fan_id: Extra inputs are not permitted"):
        run_tool(conn, trio, trio.trial, media_id=str(uuid.uuid4()), fan_id=str(trio.whale))
