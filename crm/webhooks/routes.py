"""`POST /v1/webhooks/{platform}`: a platform's event into the fan CRM.

The contract for a platform (or the bridge that relays it):

- URL: /v1/webhooks/onlyfans, /v1/webhooks/fansly or /v1/webhooks/fanvue;
- `X-Fanagent-Creator`: the creator's id (a UUID) the event is for;
- `X-Fanagent-Timestamp`: unix seconds when it was sent, within the replay window (5 minutes by
  default, FANAGENT_WEBHOOK_REPLAY_WINDOW_S);
- `X-Fanagent-Signature`: `sha256=` and the hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed
  with the creator's secret for that platform (`fanagent webhooks secret`);
- `Content-Type: application/json`, with no parameter but an optional `charset=utf-8`;
- the body: one JSON event (crm/webhooks/events.py; in the OpenAPI document, the
  `WebhookEvent` schema: crm/webhooks/openapi.py).

200 says the event is stored ("processed"), or was stored before ("duplicate": nothing written
again); a platform can retry until it gets a 200. 401 refuses the delivery: a missing or bad
signature, a stale timestamp, or no secret for this creator and platform, which answers exactly
like a bad signature so nobody learns which creators exist. 415 refuses a body not sent as
JSON (checked first, as the size is: 413). 422 lists what is wrong with the body, by field path.
The server's lifespan gives the route its receiver (a connection pool of the application role);
a job worker refreshes the fans the events queued every second (crm/jobs.py).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request, status
from fastapi.exceptions import RequestValidationError
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from crm.conversation import FanMessageHook
from crm.webhooks.delivery import Credentials, Delivered, credentials, deliver
from crm.webhooks.events import PLATFORMS, InvalidEvent
from crm.webhooks.openapi import REQUEST_BODY
from crm.webhooks.settings import WebhookSettings
from crm.webhooks.signature import Unauthorized

log = logging.getLogger("fanagent.webhooks")
MAX_BODY_BYTES = 256 * 1024
JSON_MEDIA_TYPE = "application/json"
UTF8 = ("utf-8", "utf8")


@dataclass(frozen=True)
class WebhookReceiver:
    """What the route delivers with, built once by the server's lifespan."""

    pool: "ConnectionPool[Any]"
    settings: WebhookSettings
    on_fan_message: FanMessageHook
    clock: Callable[[], float] = field(default=time.time)

    def deliver(self, platform: str, found: Credentials, body: bytes) -> Delivered:
        with self.pool.connection() as conn:
            return deliver(
                conn,
                platform,
                found,
                body,
                on_fan_message=self.on_fan_message,
                refresh=self.settings.refresh_fans,
            )


def webhook_receiver(request: Request) -> WebhookReceiver:
    receiver: WebhookReceiver = request.app.state.webhooks
    return receiver


router = APIRouter()


class WebhookAccepted(BaseModel):
    status: Literal["processed", "duplicate"] = Field(
        description="processed: stored now; duplicate: this event id was stored before, "
        "nothing was written again"
    )
    event_id: str
    type: str


class WebhookErrorBody(BaseModel):
    code: str = Field(examples=["unauthenticated"])
    message: str = Field(examples=["invalid signature"])
    details: list[dict[str, Any]] = Field(
        default=[],
        description="For 422: one entry per problem, with its field path (body.amount)",
    )


class WebhookError(BaseModel):
    """The service's uniform error shape."""

    error: WebhookErrorBody
    request_id: str | None = None


def _is_json(content_type: str | None) -> bool:
    """Rule: application/json (any case), with no parameter but charset utf-8 (RFC 8259: JSON
    between systems is UTF-8, and the body is parsed as such)."""
    if content_type is None:
        return False
    media_type, *parameters = content_type.split(";")
    if media_type.strip().lower() != JSON_MEDIA_TYPE:
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset" or value.strip().strip('"').lower() not in UTF8:
            return False
    return True


@router.post(
    "/webhooks/{platform}",
    summary="Receive a platform event (subscription, tip, PPV unlock, transaction, message)",
    response_model=WebhookAccepted,
    tags=["webhooks"],
    max_body_size=MAX_BODY_BYTES,
    responses={
        200: {"description": "Stored now (processed) or before (duplicate)"},
        401: {
            "model": WebhookError,
            "description": "Missing or invalid signature, a timestamp outside the replay "
            "window, or no secret for this creator and platform (answered like an invalid "
            "signature)",
        },
        413: {"model": WebhookError, "description": f"Body over {MAX_BODY_BYTES} bytes"},
        415: {
            "model": WebhookError,
            "description": "Content-Type is not application/json (a charset may say utf-8)",
        },
        422: {
            "model": WebhookError,
            "description": "The body is not a valid event; details give each field path",
        },
    },
    openapi_extra={"requestBody": REQUEST_BODY},
)
async def receive_webhook(
    request: Request,
    receiver: Annotated[WebhookReceiver, Depends(webhook_receiver)],
    platform: Annotated[
        str,
        Path(
            description="The platform sending the event",
            json_schema_extra={"enum": list(PLATFORMS)},
        ),
    ],
    x_fanagent_creator: Annotated[
        str | None, Header(description="Required: the id (UUID) of the creator the event is for")
    ] = None,
    x_fanagent_timestamp: Annotated[
        str | None,
        Header(description="Required: unix seconds when sent, within the replay window"),
    ] = None,
    x_fanagent_signature: Annotated[
        str | None,
        Header(
            description='Required: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> keyed '
            "with the creator's secret for this platform (missing headers answer 401, not 422)"
        ),
    ] = None,
) -> WebhookAccepted:
    """Verifies the signature, then stores the event and its effects in one transaction,
    once per event id: a replay answers 200 "duplicate" and writes nothing."""
    content_type = request.headers.get("content-type")
    if not _is_json(content_type):
        log.info("webhook refused (platform %r): Content-Type %r", platform[:40], content_type)
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"Content-Type must be {JSON_MEDIA_TYPE} (a charset may say utf-8), "
            f"not {content_type or 'missing'}",
        )
    body = await request.body()
    try:
        found = credentials(
            x_fanagent_creator,
            x_fanagent_timestamp,
            x_fanagent_signature,
            now=receiver.clock(),
            window_s=receiver.settings.replay_window_s,
        )
        delivered = await run_in_threadpool(receiver.deliver, platform, found, body)
    except Unauthorized as refused:
        log.warning(
            "webhook refused: %s (platform %r, creator %r)",
            refused,
            platform[:40],
            (x_fanagent_creator or "")[:40],
        )
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=str(refused),
            headers={"WWW-Authenticate": 'Signature realm="webhooks", algorithm="hmac-sha256"'},
        ) from None
    except InvalidEvent as invalid:
        log.info(
            "webhook body refused (platform %r): %d problem(s)", platform[:40], len(invalid.errors)
        )
        raise RequestValidationError(invalid.errors) from None
    log.debug(
        "webhook %s: %s event %r for fan %s", delivered.status, delivered.type, delivered.event_id,
        delivered.fan_id,
    )  # fmt: skip
    return WebhookAccepted(
        status=delivered.status, event_id=delivered.event_id, type=delivered.type
    )
