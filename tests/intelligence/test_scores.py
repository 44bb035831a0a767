"""The four scores (formula v1, crm/intelligence/scores.py) pinned on three hand-built fans: the
inputs below are read off the fixtures in world.py by hand, the formulas are the documented
ones, and the stored scores must equal them."""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from crm.intelligence import recompute_creator, refresh_fan
from crm.intelligence.errors import NotFound
from crm.intelligence.scores import FORMULA_VERSION, FanScores, scores_of
from tests.intelligence.conftest import Trio
from tests.intelligence.world import (
    AS_OF,
    World,
    ago,
    build_lapsed,
    build_quitting,
    build_trial,
    build_whale,
)


@dataclass(frozen=True)
class Inputs:
    idle: float  # days
    tenure: float
    lapsed: bool
    inbound: int
    inbound_30d: int
    inbound_prev_30d: int
    cancel_pending: bool
    renewals: int
    expirations: int
    lifetime: float
    spend_90d: float
    buys_90d: int
    buy_spend_30d: float
    buy_spend_30_90d: float
    conversion: float | None
    active_months: int


def expected(i: Inputs) -> dict[str, float]:
    if i.lapsed:
        churn = 1.0
    else:
        decline = (
            max(0, (i.inbound_prev_30d - i.inbound_30d) / i.inbound_prev_30d)
            if i.inbound_prev_30d
            else 0
        )
        failures = i.expirations / (i.renewals + i.expirations) if i.renewals + i.expirations else 0
        churn = (
            0.5 * (1 - math.exp(-i.idle / 21))
            + 0.15 * decline
            + 0.25 * i.cancel_pending
            + 0.1 * failures
        )
    monthly = i.spend_90d / min(3, max(1, i.tenure / 30))
    keep = 1 - churn
    months = 12 if churn == 0 else keep * (1 - keep**12) / churn
    if i.lapsed:
        upsell = 0.0
    else:
        prior = i.buy_spend_30_90d / 2
        trajectory = (
            0
            if i.buy_spend_30d + prior == 0
            else 0.5 + 0.5 * (i.buy_spend_30d - prior) / max(i.buy_spend_30d, prior)
        )
        upsell = (
            0.35 * (1 - math.exp(-i.buys_90d / 3))
            + 0.2 * (0.25 if i.conversion is None else i.conversion)
            + 0.2 * trajectory
            + 0.25 * math.exp(-i.idle / 14)
        )
    loyalty = (
        0.2 * (1 - math.exp(-i.tenure / 180))
        + 0.3 * min(1, i.active_months / min(6, max(1, math.ceil(i.tenure / 30))))
        + 0.3 * min(1, math.log(1 + i.lifetime) / math.log(1501))
        + 0.2 * (1 - math.exp(-i.inbound / 40))
    ) * (0.5 if i.lapsed else 1)
    return {
        "churn_risk": round(churn, 4),
        "predicted_ltv": round(i.lifetime + monthly * months, 2),
        "upsell_readiness": round(upsell, 4),
        "loyalty": round(loyalty, 4),
    }


WHALE = Inputs(
    idle=15 / 24,  # last inbound message yesterday 21:00, AS_OF is 12:00
    tenure=400,
    lapsed=False,
    inbound=16,
    inbound_30d=10,
    inbound_prev_30d=4,
    cancel_pending=False,
    renewals=13,
    expirations=0,
    lifetime=14 * 19.99 + 1850 + 400 + 30,
    spend_90d=3 * 19.99 + 250 + 100 + 400 + 30,
    buys_90d=4,
    buy_spend_30d=250 + 100 + 30,
    buy_spend_30_90d=400,
    conversion=1.0,
    active_months=4,
)
LAPSED = Inputs(
    idle=60,
    tenure=200,
    lapsed=True,
    inbound=3,
    inbound_30d=0,
    inbound_prev_30d=1,
    cancel_pending=False,
    renewals=4,
    expirations=1,
    lifetime=5 * 9.99 + 20,
    spend_90d=9.99,
    buys_90d=0,
    buy_spend_30d=0,
    buy_spend_30_90d=0,
    conversion=None,
    active_months=2,
)
QUITTING = Inputs(  # auto-renew off, one failed renewal, quiet for 80 days
    idle=80,
    tenure=200,
    lapsed=False,
    inbound=1,
    inbound_30d=0,
    inbound_prev_30d=0,
    cancel_pending=True,
    renewals=1,
    expirations=1,
    lifetime=0,
    spend_90d=0,
    buys_90d=0,
    buy_spend_30d=0,
    buy_spend_30_90d=0,
    conversion=None,
    active_months=1,
)
TRIAL = Inputs(
    idle=3 / 24,
    tenure=2,
    lapsed=False,
    inbound=2,
    inbound_30d=2,
    inbound_prev_30d=0,
    cancel_pending=False,
    renewals=0,
    expirations=0,
    lifetime=0,
    spend_90d=0,
    buys_90d=0,
    buy_spend_30d=0,
    buy_spend_30_90d=0,
    conversion=None,
    active_months=1,
)


def stored(conn: psycopg.Connection[Any], world: World, fan: Any) -> FanScores:
    with world.scope():
        found = scores_of(conn, fan)
    assert found is not None
    return found


def as_dict(scores: FanScores) -> dict[str, float]:
    return {
        "churn_risk": scores.churn_risk,
        "predicted_ltv": scores.predicted_ltv,
        "upsell_readiness": scores.upsell_readiness,
        "loyalty": scores.loyalty,
    }


@pytest.mark.parametrize(
    ("who", "inputs"), [("whale", WHALE), ("lapsed", LAPSED), ("trial", TRIAL)]
)
def test_each_score_follows_its_documented_formula(
    conn: psycopg.Connection[Any], trio: Trio, who: str, inputs: Inputs
) -> None:
    scores = stored(conn, trio.world, getattr(trio, who))
    assert as_dict(scores) == pytest.approx(expected(inputs), abs=1.5e-4)
    assert scores.formula_version == FORMULA_VERSION
    assert scores.computed_at == AS_OF


def test_churn_weighs_a_switched_off_renewal_and_failed_rebills(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = build_quitting(world)
    quiet = build_quitting(world)
    with world.scope() as scoped:  # the same fan, still renewing and without the failure
        scoped.execute("UPDATE fan_subscriptions SET auto_renew = true WHERE fan_id = %s", [quiet])
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
    scores = stored(conn, world, fan)
    assert as_dict(scores) == pytest.approx(expected(QUITTING), abs=1.5e-4)
    renewing = stored(conn, world, quiet)
    assert scores.churn_risk - renewing.churn_risk == pytest.approx(0.25, abs=1e-4)


def test_the_scores_rank_the_three_fans_as_a_creator_would(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    fans = (trio.whale, trio.lapsed, trio.trial)
    whale, lapsed, trial = (stored(conn, trio.world, fan) for fan in fans)
    assert lapsed.churn_risk == 1 and lapsed.upsell_readiness == 0
    assert lapsed.predicted_ltv == pytest.approx(69.95)  # what was paid, nothing more to come
    assert whale.churn_risk < 0.05 and trial.churn_risk < 0.05
    # what was paid plus close to a year (10.9 expected months) of the last quarter's pace
    assert 2559.86 + 279.99 * 10 < whale.predicted_ltv < 2559.86 + 279.99 * 12
    assert whale.loyalty > trial.loyalty > lapsed.loyalty
    assert whale.upsell_readiness > trial.upsell_readiness


def test_recompute_reports_every_fan_and_a_second_run_changes_no_derived_row(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    assert trio.report.fans == 3 and trio.report.scores_written == 3
    assert set(trio.report.seconds) >= {"facts", "scores", "stages", "total"}
    for full in (True, False):
        with trio.world.scope():
            again = recompute_creator(conn, trio.world.creator, as_of=AS_OF, full=full)
        assert (again.profiles_changed, again.activity_written) == (0, 0)
        assert (again.temperatures_changed, again.stage_changes) == (0, 0)
    whale = stored(conn, trio.world, trio.whale)
    assert as_dict(whale) == pytest.approx(expected(WHALE), abs=1.5e-4)


def test_refresh_fan_updates_one_fan_after_a_new_purchase(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = build_trial(world)
    other = build_trial(world)
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
    before_other = stored(conn, world, other)

    world.tx(fan, "tip", "25", ago(0, hours=1))
    later = AS_OF + timedelta(minutes=5)
    with world.scope():
        result = refresh_fan(conn, fan, as_of=later)
    assert result.stage == "active_buyer"  # new -> active_buyer: a buy within 14 days
    (change,) = result.stage_changes
    assert change.reason is not None and change.reason.startswith("bought on")
    assert result.scores.computed_at == later
    assert result.scores.upsell_readiness > before_other.upsell_readiness
    assert result.scores.predicted_ltv > 25
    figures = world.query(
        "SELECT lifetime_spend, purchase_count, buyer_type, price_range, last_purchase_kind"
        " FROM fan_profiles WHERE id = %s",
        fan,
    )
    assert figures == [(Decimal("25.00"), 1, "tipper", "low", "tip")]
    assert stored(conn, world, other) == before_other  # the other fan was not touched


def test_refresh_fan_of_another_creators_fan_is_not_found(
    conn: psycopg.Connection[Any], trio: Trio, world: World
) -> None:
    with world.scope(), pytest.raises(NotFound):
        refresh_fan(conn, trio.whale, as_of=AS_OF)


def test_the_timed_recompute_moves_what_time_changes_exactly_as_a_full_one(
    conn: psycopg.Connection[Any], world: World
) -> None:
    """The cron's timed recompute reads fewer inputs; its scores, stages and temperatures must
    equal a full recompute's, and the event-derived figures are left as they are."""
    build_whale(world)
    build_lapsed(world)
    build_trial(world)
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
    later = AS_OF + timedelta(days=20)
    snapshot = (
        "SELECT p.id, p.relationship_stage, p.stage_updated_at, p.temperature, s.churn_risk,"
        " s.predicted_ltv, s.upsell_readiness, s.loyalty, p.updated_at"
        " FROM fan_profiles p JOIN fan_scores s ON s.fan_id = p.id ORDER BY p.id"
    )
    figures = "SELECT lifetime_spend, active_hours, avg_reply_seconds FROM fan_profiles ORDER BY id"
    before = world.query(figures)
    with world.scope():
        timed = recompute_creator(conn, world.creator, as_of=later)
    after_timed = world.query(snapshot)
    with world.scope():
        full = recompute_creator(conn, world.creator, as_of=later, full=True)
    after_full = world.query(snapshot)
    assert not timed.full and timed.profiles_changed == 0
    assert timed.stage_changes > 0 and timed.temperatures_changed > 0  # three weeks on
    assert (full.stage_changes, full.temperatures_changed) == (0, 0)
    assert [row[:-1] for row in after_full] == [row[:-1] for row in after_timed]
    assert world.query(figures) == before
