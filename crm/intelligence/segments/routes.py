"""HTTP routes of the segments (store.py): list (the presets added), create and delete (owners and
managers), preview rules without storing anything, evaluate a segment (which also stores its
membership: what the members listing and the fan list's `segment` filter read), and page its
stored members. Only display names identify the fans."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, ConfigDict

from auth.access import CallerDep
from crm.intelligence.errors import InvalidRequest
from crm.intelligence.segments import (
    RuleSet,
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
    stored_members,
)
from crm.intelligence.segments.fields import FIELDS, OPERATORS
from crm.intelligence.segments.store import SEGMENT_EXISTS, SegmentMember

router = APIRouter(tags=["segments"])
SAMPLE_SIZE = 5
PRESET_KEPT = "a preset segment cannot be deleted (the listing adds it again)"


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: RuleSet


class SampleFan(BaseModel):
    fan_id: UUID
    display_name: str


class Preview(BaseModel):
    count: int
    sample: list[SampleFan]


class RuleField(BaseModel):
    field: str
    kind: str
    description: str
    operators: list[str]
    choices: list[str]


@router.get("/segments/fields", response_model=list[RuleField])
def rule_fields(caller: CallerDep) -> list[RuleField]:
    """What a rule's {"field", "op", "value"} may name, with its operators and choices (for a
    rule builder); tags, recency and percentile rules are described in the rules' schema."""
    caller.creator()
    return [
        RuleField(
            field=name,
            kind=spec.kind,
            description=spec.description,
            operators=sorted(OPERATORS[spec.kind]),
            choices=list(spec.choices),
        )
        for name, spec in sorted(FIELDS.items())
    ]


@router.get("/segments", response_model=list[Segment])
def segments(caller: CallerDep) -> list[Segment]:
    """The creator's segments, presets first (added when missing)."""
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        install_presets(conn)
        return list_segments(conn)


@router.post("/segments", response_model=Segment, status_code=201)
def create(new: SegmentCreate, caller: CallerDep) -> Segment:
    """A new segment; 409 when the creator has one of that name."""
    creator = caller.creator()
    caller.require_manager(creator)
    try:
        with caller.scoped(creator) as conn:
            return create_segment(conn, new)
    except InvalidRequest as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error


@router.delete("/segments/{segment_id}", status_code=204, response_class=Response)
def delete(segment_id: UUID, caller: CallerDep) -> Response:
    creator = caller.creator_of(SEGMENT_EXISTS, segment_id, "segment")
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        if get_segment(conn, segment_id).is_preset:
            raise HTTPException(status.HTTP_409_CONFLICT, PRESET_KEPT)
        delete_segment(conn, segment_id)
    return Response(status_code=204)


@router.post("/segments/preview", response_model=Preview)
def preview(body: PreviewIn, caller: CallerDep) -> Preview:
    """How many fans the rules match now, and the first few (highest predicted lifetime value);
    nothing is stored."""
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        found = evaluate(conn, body.rules, limit=SAMPLE_SIZE)
    sample = [SampleFan(fan_id=m.fan_id, display_name=m.display_name) for m in found.members]
    return Preview(count=found.total, sample=sample)


@router.post("/segments/{segment_id}/evaluate", response_model=SegmentEvaluation)
def evaluate_now(
    segment_id: UUID, caller: CallerDep, limit: Annotated[int, Query(ge=0, le=500)] = 100
) -> SegmentEvaluation:
    """The fans the segment matches now (the first `limit`), stored as its members."""
    creator = caller.creator_of(SEGMENT_EXISTS, segment_id, "segment")
    now = datetime.now(UTC)
    try:
        with caller.scoped(creator) as conn:
            materialise(conn, segment_id, as_of=now)
            return evaluate_segment(conn, segment_id, as_of=now, limit=limit)
    except InvalidRequest as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error


@router.get("/segments/{segment_id}/members", response_model=list[SegmentMember])
def members(
    segment_id: UUID,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[SegmentMember]:
    """The members stored at the last evaluation, highest predicted lifetime value first."""
    creator = caller.creator_of(SEGMENT_EXISTS, segment_id, "segment")
    with caller.scoped(creator) as conn:
        return stored_members(conn, segment_id, limit=limit, offset=offset)
