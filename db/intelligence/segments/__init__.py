"""Dynamic audience segments (seed 000): a JSON rule language (rules.py) over an allow-list of
fields (fields.py), compiled to parameterised SQL (compiler.py), evaluated at query time or
materialised into fan_segment_members (store.py); the seed's examples ship as presets."""

from db.intelligence.segments.compiler import CompiledRule, compile_rules
from db.intelligence.segments.presets import PRESETS
from db.intelligence.segments.rules import RuleSet
from db.intelligence.segments.store import (
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
    materialise,
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
    "materialise",
]
