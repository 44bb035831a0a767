"""Dynamic audience segments: a JSON rule language (rules.py) over an allow-list of
fields (fields.py), compiled to parameterised SQL (compiler.py), evaluated at query time or
materialised into fan_segment_members (store.py); four example segments ship as presets."""

from crm.intelligence.segments.compiler import CompiledRule, compile_rules
from crm.intelligence.segments.presets import PRESETS
from crm.intelligence.segments.rules import RuleSet
from crm.intelligence.segments.store import (
    Materialisation,
    Segment,
    SegmentCreate,
    SegmentEvaluation,
    create_segment,
    delete_segment,
    evaluate,
    evaluate_segment,
    get_segment,
    install_presets,
    list_segments,
    matching_fans,
    materialise,
    materialise_all,
    rules_of,
    stored_members,
)

__all__ = [
    "PRESETS",
    "CompiledRule",
    "Materialisation",
    "RuleSet",
    "Segment",
    "SegmentCreate",
    "SegmentEvaluation",
    "compile_rules",
    "create_segment",
    "delete_segment",
    "evaluate",
    "evaluate_segment",
    "get_segment",
    "install_presets",
    "list_segments",
    "matching_fans",
    "materialise",
    "materialise_all",
    "rules_of",
    "stored_members",
]
