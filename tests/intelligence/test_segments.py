"""Dynamic segments: the rule language's validation, its compilation to parameterised SQL (no
value ever in the SQL text), evaluation, presets and materialisation."""

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from pydantic import ValidationError

from crm.intelligence import recompute_creator
from crm.intelligence.errors import InvalidRequest, NotFound
from crm.intelligence.segments import (
    PRESETS,
    RuleSet,
    SegmentCreate,
    compile_rules,
    create_segment,
    evaluate,
    evaluate_segment,
    get_segment,
    install_presets,
    list_segments,
    materialise,
    materialise_all,
)
from tests.intelligence.conftest import Trio
from tests.intelligence.world import (
    AS_OF,
    World,
    build_lapsed,
    build_quitting,
    build_trial,
    build_whale,
)


def members(conn: psycopg.Connection[Any], world: World, rules: dict[str, Any]) -> set[UUID]:
    with world.scope():
        result = evaluate(conn, RuleSet.model_validate(rules), as_of=AS_OF, limit=1000)
    assert result.total == len(result.members)
    return {member.fan_id for member in result.members}


def error_of(rules: Any) -> str:
    with pytest.raises(ValidationError) as raised:
        RuleSet.model_validate(rules)
    return str(raised.value)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            {"field": "favourite_colour", "op": "eq", "value": "red"},
            "unknown field 'favourite_colour'",
        ),
        (
            {"field": "churn_risk", "op": "in", "value": [1]},
            "churn_risk (number) takes the operators",
        ),
        (
            {"field": "churn_risk", "op": "gt", "value": "high"},
            "churn_risk is a number, not 'high'",
        ),
        ({"field": "churn_risk", "op": "gt", "value": True}, "churn_risk is a number, not True"),
        (
            {"field": "relationship_stage", "op": "eq", "value": "vip"},
            "relationship_stage is one of new",
        ),
        ({"field": "loyalty", "op": "between", "value": [0.9, 0.1]}, "low is above high"),
        ({"field": "loyalty", "op": "between", "value": 0.5}, "between needs [low, high]"),
        ({"field": "price_range", "op": "in", "value": []}, "needs a list of 1 to 100 values"),
        ({"field": "subscribed", "op": "eq", "value": "yes"}, "subscribed is true or false"),
        ({"field": "loyalty", "op": "is_null", "value": 1}, "is_null takes no value"),
        ({"any": []}, "List should have at least 1 item"),
        ({"every": []}, "a rule is an object with one of the keys"),
        ({"all": [{"tag": "vip", "colour": "red"}]}, "Extra inputs are not permitted"),
        ({"tag": "VIP; DROP"}, "String should match pattern"),
        ({"recency": "haircut", "within_days": 3}, "unknown recency event 'haircut'"),
        ({"recency": "tip", "within_days": 0}, "greater than 0"),
        ({"percentile": "display_name", "at_least": 0.5}, "'display_name' cannot be ranked"),
        ({"percentile": "loyalty"}, "needs at_least, at_most or both"),
        ({"bought": "the red set"}, "valid UUID"),
        ("churn_risk > 0.7", "a rule is an object with one of the keys"),
    ],
)
def test_invalid_rules_are_rejected_with_a_clear_error(rules: Any, message: str) -> None:
    assert message in error_of(rules)


def test_rules_nested_too_deep_are_rejected() -> None:
    rule: dict[str, Any] = {"tag": "vip"}
    for _ in range(8):
        rule = {"not": rule}
    assert "nest 9 levels deep; at most 8" in error_of(rule)


def test_values_reach_the_sql_only_as_parameters(conn: psycopg.Connection[Any]) -> None:
    hostile = "x'); DROP TABLE fan_profiles; --"
    rules = RuleSet.model_validate(
        {
            "all": [
                {"tag": "vip", "value": hostile},
                {"field": "subscription_tier", "op": "in", "value": [hostile, "vip"]},
                {"field": "churn_risk", "op": "gt", "value": 0.7},
                {"field": "subscribed_days", "op": "gt", "value": 90},
                {"percentile": "loyalty", "at_least": 0.75},
            ]
        }
    )
    compiled = compile_rules(rules, AS_OF)
    text = compiled.where.as_string(conn)
    assert hostile not in text and "DROP" not in text and "0.7" not in text and "90" not in text
    assert "'" not in text.replace("'day'", "")  # no literal of any kind
    assert hostile in compiled.params.values() and 0.7 in compiled.params.values()
    assert [hostile, "vip"] in compiled.params.values()


def test_hostile_values_match_nothing_and_break_nothing(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    world = trio.world
    world.tag(trio.whale, "vip", "gold")
    everyone = {trio.whale, trio.lapsed, trio.trial}
    for hostile in ("gold' OR '1'='1", "x'); DELETE FROM fan_profiles; --", "%s", "%(as_of)s"):
        assert members(conn, world, {"tag": "vip", "value": hostile}) == set()
        tier = {"field": "subscription_tier", "op": "eq", "value": hostile}
        assert members(conn, world, tier) == set()
        assert members(conn, world, {"not": tier}) == everyone
    assert members(conn, world, {"tag": "vip", "value": "gold"}) == {trio.whale}
    assert len(world.query("SELECT id FROM fan_profiles")) == 3


def test_fields_scores_tags_stage_recency_and_purchases_combine(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    world = trio.world
    world.tag(trio.trial, "new-lead")
    whale, lapsed, trial = trio.whale, trio.lapsed, trio.trial
    cases: list[tuple[dict[str, Any], set[UUID]]] = [
        ({"all": []}, {whale, lapsed, trial}),
        ({"field": "price_range", "op": "in", "value": ["high", "whale"]}, {whale}),
        ({"field": "lifetime_spend", "op": "between", "value": [50, 100]}, {lapsed}),
        ({"field": "relationship_stage", "op": "eq", "value": "churned"}, {lapsed}),
        ({"field": "churn_risk", "op": "gte", "value": 0.99}, {lapsed}),
        ({"field": "buyer_type", "op": "is_null"}, {trial}),
        ({"not": {"field": "buyer_type", "op": "eq", "value": "tipper"}}, {trial}),
        ({"field": "buyer_type", "op": "ne", "value": "tipper"}, set()),  # no value: no match
        ({"tag": "new-lead"}, {trial}),
        ({"recency": "ppv_purchase", "within_days": 7}, {whale}),
        ({"recency": "fan_message", "within_days": 1}, {whale, trial}),
        ({"not": {"recency": "engagement", "within_days": 30}}, {lapsed}),
        ({"field": "subscribed", "op": "eq", "value": True}, {whale, trial}),
        ({"field": "subscribed_days", "op": "gt", "value": 90}, {whale}),
        ({"field": "tenure_days", "op": "lt", "value": 7}, {trial}),
        ({"field": "days_since_purchase", "op": "between", "value": [30, 90]}, {lapsed}),
        ({"field": "platform", "op": "eq", "value": "onlyfans"}, {whale, lapsed, trial}),
        ({"field": "platform", "op": "in", "value": ["fansly"]}, set()),
        (
            {
                "any": [
                    {"tag": "new-lead"},
                    {"field": "temperature", "op": "eq", "value": "ice_cold"},
                ]
            },
            {trial, lapsed},
        ),
        ({"percentile": "lifetime_spend", "at_least": 0.75}, {whale}),
        ({"percentile": "lifetime_spend", "at_most": 0.25}, {trial}),
        ({"bought": str(trio.media)}, {whale}),
        ({"not": {"bought": str(trio.media)}}, {lapsed, trial}),
        ({"bought": str(uuid4())}, set()),
    ]
    for rules, expected in cases:
        assert members(conn, world, rules) == expected, rules


def test_the_seed_presets_select_what_they_say(conn: psycopg.Connection[Any], world: World) -> None:
    whale, _ = build_whale(world)
    build_lapsed(world)
    trial = build_trial(world)
    # Churn risk above 0.7 and subscribed more than 90 days: a long-time subscriber who went
    # quiet and switched auto-renew off.
    quiet = build_quitting(world)
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
        assert install_presets(conn) == len(PRESETS)
        assert install_presets(conn) == 0  # idempotent
        found = {
            preset.name: {
                m.fan_id
                for m in evaluate_segment(conn, preset.name, as_of=AS_OF, limit=100).members
            }
            for preset in PRESETS
        }
    assert found["Churn risk, subscribed 90+ days"] == {quiet}
    assert found["Top loyalty quartile"] == {whale}
    assert found["Inactive on the standard tier"] == {quiet}  # the whale is on vip
    assert found["Ready to buy, no PPV in 30 days"] == set()  # the whale bought PPV 2 days ago
    assert trial not in set().union(*found.values())


def test_stored_segments_materialise_and_track_changes(
    conn: psycopg.Connection[Any], world: World, trio: Trio
) -> None:
    build_whale(world)
    build_trial(world)
    rules = RuleSet.model_validate({"field": "temperature", "op": "eq", "value": "hot"})
    later = AS_OF + timedelta(days=21)
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
        segment = create_segment(conn, SegmentCreate(name="Hot now", rules=rules))
        with pytest.raises(InvalidRequest, match="a segment named 'Hot now' exists"):
            create_segment(conn, SegmentCreate(name="Hot now", rules=rules))
        first = materialise(conn, "Hot now", as_of=AS_OF)
        again = materialise(conn, "Hot now", as_of=AS_OF)
        # Three weeks later both fans have gone quiet, and a new one has just written.
        newcomer = world.fan("Nia", joined=later - timedelta(hours=2))
        world.message(newcomer, "inbound", later - timedelta(hours=1))
        recompute_creator(conn, world.creator, as_of=later)
        second = materialise(conn, segment.id, as_of=later)
        stored = get_segment(conn, segment.id)
        names = [s.name for s in list_segments(conn)]
        kept = world.query("SELECT fan_id, evaluated_at FROM fan_segment_members")
    assert (first.members, first.added, first.removed) == (2, 2, 0)
    assert (again.members, again.added, again.removed) == (2, 0, 0)
    assert (second.members, second.added, second.removed) == (1, 1, 2)
    assert kept == [(newcomer, later)]
    assert stored.members == 1 and stored.materialised_at == later
    assert stored.rules == {"field": "temperature", "op": "eq", "value": "hot"}
    assert names == ["Hot now"]
    with trio.world.scope(), pytest.raises(NotFound):  # another creator's segment is not there
        get_segment(conn, segment.id)


def test_a_count_only_evaluation(conn: psycopg.Connection[Any], trio: Trio) -> None:
    with trio.world.scope():
        result = evaluate(conn, RuleSet.model_validate({"all": []}), as_of=AS_OF, limit=0)
    assert (result.total, result.members) == (3, [])


def test_the_job_materialises_every_segment_of_every_creator(
    conn: psycopg.Connection[Any], world: World, trio: Trio
) -> None:
    build_whale(world)
    build_trial(world)
    rules = RuleSet.model_validate({"field": "temperature", "op": "eq", "value": "hot"})
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
        create_segment(conn, SegmentCreate(name="Hot now", rules=rules))
    with trio.world.scope():
        create_segment(
            conn, SegmentCreate(name="Everyone", rules=RuleSet.model_validate({"all": []}))
        )
    assert materialise_all(conn, as_of=AS_OF) >= 2
    with world.scope():
        assert get_segment(conn, "Hot now").members == 2
    with trio.world.scope():
        assert get_segment(conn, "Everyone").materialised_at == AS_OF
