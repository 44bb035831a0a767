"""Compiles a validated rule (rules.py) into a parameterised SQL condition over p (fan_profiles),
s (fan_scores) and a (fan_activity), and says which of p and a it needs.

Field, event and percentile names select fixed SQL from the allow-list (fields.py); nothing of
the rule's text reaches the SQL except through a named parameter (p0, p1, ...). Days are turned
into a timestamp in Python (as_of minus the days) so "subscribed_days > 90" is the index-friendly
"subscribed_since < as_of - 90 days". A condition on a fan with no value is NULL, which a WHERE
treats as false, so the fan does not match; NOT wraps its rule in coalesce(..., false) so that
{"not": ...} is the exact complement. Conditions stay plain (strict) everywhere else, which lets
PostgreSQL filter fan_scores and fan_activity before joining them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, LiteralString

from psycopg import sql

from crm.fans.purchases import BOUGHT_MEDIA
from crm.intelligence.segments.fields import FIELDS, RECENCY_EVENTS, source_of
from crm.intelligence.segments.rules import (
    AllRule,
    AnyRule,
    BoughtRule,
    FieldRule,
    NotRule,
    PercentileRule,
    RecencyRule,
    Rule,
    RuleSet,
    TagRule,
)

_COMPARISONS: dict[str, LiteralString] = {
    "eq": "=",
    "ne": "<>",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
}
# "days since X > n" is "X < as_of - n days": the comparison turns around.
_DAYS_COMPARISONS: dict[str, LiteralString] = {"gt": "<", "gte": "<=", "lt": ">", "lte": ">="}


@dataclass(frozen=True)
class CompiledRule:
    where: sql.Composable
    params: dict[str, Any]
    sources: frozenset[str]  # the aliases the condition reads besides s: p, a


@dataclass
class _Compiler:
    as_of: datetime
    params: dict[str, Any] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)

    def column(self, expression: LiteralString) -> sql.Composable:
        self.sources.add(source_of(expression))
        return sql.SQL(expression)

    def param(self, value: Any) -> sql.Composable:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return sql.Placeholder(name)

    def rule(self, rule: Rule) -> sql.Composable:
        if isinstance(rule, AllRule):
            if not rule.all:
                return sql.SQL("true")
            return sql.SQL("({})").format(sql.SQL(" AND ").join(self.rule(r) for r in rule.all))
        if isinstance(rule, AnyRule):
            return sql.SQL("({})").format(sql.SQL(" OR ").join(self.rule(r) for r in rule.any))
        if isinstance(rule, NotRule):
            return sql.SQL("(NOT {})").format(_two_valued(self.rule(rule.not_)))
        if isinstance(rule, FieldRule):
            return sql.SQL("({})").format(self.field(rule))
        if isinstance(rule, TagRule):
            return self.tag(rule)
        if isinstance(rule, RecencyRule):
            since = self.as_of - timedelta(days=rule.within_days)
            column = self.column(RECENCY_EVENTS[rule.recency])
            return sql.SQL("({} > {} AND {} <= %(as_of)s)").format(
                column, self.param(since), column
            )
        if isinstance(rule, PercentileRule):
            return sql.SQL("({})").format(self.percentile(rule))
        if isinstance(rule, BoughtRule):
            return BOUGHT_MEDIA.format(fan=sql.SQL("s.fan_id"), media=self.param(rule.bought))
        raise TypeError(f"not a rule: {rule!r}")

    def field(self, rule: FieldRule) -> sql.Composable:
        spec = FIELDS[rule.field]
        column = self.column(spec.expression)
        op, value = rule.op, rule.value
        if op == "is_null":
            return sql.SQL("{} IS NULL").format(column)
        if op == "is_not_null":
            return sql.SQL("{} IS NOT NULL").format(column)
        if spec.kind == "days_since":
            return self.days_since(column, op, value)
        if spec.kind == "set":
            if op == "eq":
                return sql.SQL("{} = ANY({})").format(self.param(value), column)
            return sql.SQL("{} && {}::text[]").format(column, self.param(value))
        if op == "between":
            assert isinstance(value, list)  # validated
            low, high = value
            return sql.SQL("{} BETWEEN {} AND {}").format(column, self.param(low), self.param(high))
        if op == "in":
            return sql.SQL("{} = ANY({})").format(column, self.param(value))
        if op == "not_in":
            return sql.SQL("{} <> ALL({})").format(column, self.param(value))
        return sql.SQL("{} {} {}").format(column, sql.SQL(_COMPARISONS[op]), self.param(value))

    def days_since(self, column: sql.Composable, op: str, value: Any) -> sql.Composable:
        def moment(days: Any) -> sql.Composable:
            return self.param(self.as_of - timedelta(days=float(days)))

        if op == "between":
            low, high = value
            return sql.SQL("{} <= {} AND {} >= {}").format(
                column, moment(low), column, moment(high)
            )
        return sql.SQL("{} {} {}").format(column, sql.SQL(_DAYS_COMPARISONS[op]), moment(value))

    def tag(self, rule: TagRule) -> sql.Composable:
        value = (
            sql.SQL(" AND t.value = {}").format(self.param(rule.value))
            if rule.value is not None
            else sql.SQL("")
        )
        return sql.SQL(
            "EXISTS (SELECT 1 FROM fan_tag_values t WHERE t.fan_id = s.fan_id AND t.tag = {}{})"
        ).format(self.param(rule.tag), value)

    def percentile(self, rule: PercentileRule) -> sql.Composable:
        spec = FIELDS[rule.percentile]
        assert spec.percentile_of is not None  # validated
        table, column = spec.percentile_of
        bounds = []
        for share, comparison in ((rule.at_least, ">="), (rule.at_most, "<=")):
            if share is None:
                continue
            cut = sql.SQL(
                "(SELECT percentile_cont({}) WITHIN GROUP (ORDER BY x.{}) FROM {} x)"
            ).format(self.param(share), sql.SQL(column), sql.SQL(table))
            bounds.append(
                sql.SQL("{} {} {}").format(self.column(spec.expression), sql.SQL(comparison), cut)
            )
        return sql.SQL(" AND ").join(bounds)


def _two_valued(condition: sql.Composable) -> sql.Composable:
    return sql.SQL("coalesce(({}), false)").format(condition)


def compile_rules(rules: RuleSet, as_of: datetime) -> CompiledRule:
    """The rule as a WHERE condition and its parameters (as_of among them)."""
    compiler = _Compiler(as_of)
    where = compiler.rule(rules.root)
    params = {**compiler.params, "as_of": as_of}
    return CompiledRule(where, params, frozenset(compiler.sources - {"s"}))
