"""One fan's message made of a template: the variant for the fan's platform, filled with that
fan's own values (values.py: fan_name, platform, memory) and the offered media, if any. Shared by
the broadcasts (crm/broadcasts/audience.py) and the automation rules (agent/automations.py);
MissingValue (render.py) when the fan lacks a value the template needs and it has no fallback."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from crm.templates.render import Values, pick_body, render
from crm.templates.store import Template


def message_for(
    template: Template,
    fan: Mapping[str, Any],
    *,
    media_title: str | None = None,
    media_price: Decimal | None = None,
) -> str:
    """`template` rendered for the fan whose values (fan_name, platform, memory) are `fan`."""
    values = Values(
        fan_name=fan["fan_name"],
        memory=fan["memory"],
        media_title=media_title,
        media_price=media_price,
    )
    return render(pick_body(template.body, template.platform_variants, fan["platform"]), values)
