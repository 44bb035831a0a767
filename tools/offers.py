"""Discounts offered to the fan (fan_offers): a percentage off one PPV item or off the next
purchase, until it expires. The fan is told by a message; this records the offer they hold."""

from datetime import UTC, datetime, timedelta
from typing import Any, Self
from uuid import UUID

import psycopg
from psycopg import sql
from pydantic import AwareDatetime, Field, model_validator

from tools.base import RunContext, Tool, ToolArgs, ToolError, ToolResult
from tools.media import require_offerable
from tools.once import insert_once

DEFAULT_DAYS = 3
MAX_DAYS = 30

OFFER_COLUMNS = sql.SQL("id AS offer_id, kind, percent, media_id, expires_at, status, created_at")
INSERT_OFFER = sql.SQL("""
INSERT INTO fan_offers (creator_id, fan_id, kind, percent, media_id, expires_at, hitl_action_id,
                        created_by)
VALUES (app_current_creator(), %(fan_id)s, 'discount', %(percent)s, %(media_id)s,
        %(expires_at)s, %(action_id)s, %(user_id)s)
ON CONFLICT (hitl_action_id) DO NOTHING
RETURNING {columns}
""").format(columns=OFFER_COLUMNS)
SELECT_BY_ACTION = sql.SQL(
    "SELECT {columns} FROM fan_offers WHERE hitl_action_id = %(action_id)s"
).format(columns=OFFER_COLUMNS)


class OfferDiscountArgs(ToolArgs):
    percent: int = Field(ge=1, le=90, description="The discount in percent, 1 to 90.")
    days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_DAYS,
        description=f"How many days the offer lasts (default {DEFAULT_DAYS}); or give expires_at.",
    )
    expires_at: AwareDatetime | None = Field(
        default=None,
        description="When the offer ends, ISO 8601 with a time zone; or give days.",
    )
    media_id: UUID | None = Field(
        default=None,
        description="The PPV media item it is off (from list_media); omit for the next purchase.",
    )

    @model_validator(mode="after")
    def _one_expiry(self) -> Self:
        if self.days is not None and self.expires_at is not None:
            raise ValueError("give days or expires_at, not both")
        return self

    def expiry(self, now: datetime) -> datetime:
        """When the offer ends, counted from `now` when given in days."""
        return self.expires_at or now + timedelta(days=self.days or DEFAULT_DAYS)


def check_offer_discount(
    conn: psycopg.Connection[Any], ctx: RunContext, args: OfferDiscountArgs
) -> None:
    """The offer ends within the next MAX_DAYS; its media is the creator's, not the fan's yet."""
    now = datetime.now(UTC)
    expires_at = args.expiry(now)
    if not now < expires_at <= now + timedelta(days=MAX_DAYS):
        raise ToolError(f"expires_at must be in the next {MAX_DAYS} days, not {expires_at}")
    if args.media_id is not None:
        require_offerable(conn, ctx.fan_id, args.media_id)


def offer_discount(
    conn: psycopg.Connection[Any], ctx: RunContext, args: OfferDiscountArgs
) -> ToolResult:
    params = {
        "fan_id": ctx.fan_id,
        "percent": args.percent,
        "media_id": args.media_id,
        "expires_at": args.expiry(datetime.now(UTC)),
        "action_id": ctx.action_id,
        "user_id": ctx.user_id,
    }
    return insert_once(conn, INSERT_OFFER, SELECT_BY_ACTION, params)


OFFER_DISCOUNT_TOOL = Tool(
    name="offer_discount",
    description="Offer the fan a discount in percent, on one PPV media item or on their next "
    "purchase, for some days. Tell the fan about it with send_message.",
    args=OfferDiscountArgs,
    kind="write",
    run=offer_discount,
    check=check_offer_discount,
)
