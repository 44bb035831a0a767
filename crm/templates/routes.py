"""HTTP routes of the message templates (store.py): the variables a body may use, the
creator's templates, creating and deleting one (owners and managers), and a template rendered
for one fan (any role: a message never carries a personal field, render.py)."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict

from auth.access import CallerDep
from crm.templates.render import VARIABLES, MissingValue, UnknownVariable, Values, pick_body, render
from crm.templates.store import (
    TEMPLATE_EXISTS,
    Template,
    TemplateCreate,
    TemplateError,
    create_template,
    delete_template,
    get_template,
    list_templates,
)
from crm.templates.values import fan_values

router = APIRouter(tags=["templates"])


class Variable(BaseModel):
    name: str
    description: str


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fan_id: UUID


class Rendered(BaseModel):
    text: str
    platform: str | None


@router.get("/templates/variables", response_model=list[Variable])
def variables(caller: CallerDep) -> list[Variable]:
    """What a template's body may name, as {name} or {name|fallback}."""
    caller.creator()
    return [Variable(name=name, description=text) for name, text in VARIABLES.items()]


@router.get("/templates", response_model=list[Template])
def templates(caller: CallerDep) -> list[Template]:
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        return list_templates(conn)


@router.post("/templates", response_model=Template, status_code=201)
def create(new: TemplateCreate, caller: CallerDep) -> Template:
    """A new template; 422 for a variable that does not exist, 409 for a name in use."""
    creator = caller.creator()
    caller.require_manager(creator)
    try:
        with caller.scoped(creator) as conn:
            return create_template(conn, new)
    except UnknownVariable as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    except TemplateError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error


@router.delete("/templates/{template_id}", status_code=204, response_class=Response)
def delete(template_id: UUID, caller: CallerDep) -> Response:
    """409 when a broadcast used the template."""
    creator = caller.creator_of(TEMPLATE_EXISTS, template_id, "template")
    caller.require_manager(creator)
    try:
        with caller.scoped(creator) as conn:
            delete_template(conn, template_id)
    except TemplateError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    return Response(status_code=204)


@router.post("/templates/{template_id}/preview", response_model=Rendered)
def preview(template_id: UUID, body: PreviewIn, caller: CallerDep) -> Rendered:
    """The template as the fan would read it (no media: a body naming the media is refused)."""
    creator = caller.creator_of(TEMPLATE_EXISTS, template_id, "template")
    if creator != caller.creator_of_fan(body.fan_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no fan {body.fan_id}")
    with caller.scoped(creator) as conn:
        template = get_template(conn, template_id)
        fan = fan_values(conn, body.fan_id, datetime.now(UTC))
    text = pick_body(template.body, template.platform_variants, fan["platform"])
    try:
        rendered = render(text, Values(fan_name=fan["fan_name"], memory=fan["memory"]))
    except MissingValue as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    return Rendered(text=rendered, platform=fan["platform"])
