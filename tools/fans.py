"""Reading the fan a run is for: profile (with tags and subscriptions) and scores
(crm/fans/profile.py; never the personal fields)."""

from typing import Any

import psycopg

from crm.fans.profile import fan_profile, fan_scores
from tools.base import RunContext, Tool, ToolError, ToolResult
from tools.fields import NoArguments


def get_fan_profile(
    conn: psycopg.Connection[Any], ctx: RunContext, args: NoArguments
) -> ToolResult:
    profile = fan_profile(conn, ctx.fan_id)
    if profile is None:
        raise ToolError("this conversation's fan has no profile for this creator")
    return profile


def get_fan_scores(conn: psycopg.Connection[Any], ctx: RunContext, args: NoArguments) -> ToolResult:
    return {"scores": fan_scores(conn, ctx.fan_id)}


FAN_PROFILE_TOOL = Tool(
    name="get_fan_profile",
    description="The fan's profile: display name, relationship stage, spend and purchase "
    "figures, price range, buyer and personality type, preferences, engagement, tags and "
    "subscriptions.",
    args=NoArguments,
    kind="read",
    run=get_fan_profile,
)
FAN_SCORES_TOOL = Tool(
    name="get_fan_scores",
    description="The fan's computed scores: churn risk, predicted lifetime value, upsell "
    "readiness and loyalty (0 to 1, except the value in dollars); null when not computed yet.",
    args=NoArguments,
    kind="read",
    run=get_fan_scores,
)
