"""The prices a draft may name: those the run's tools put in front of the model (a media item's
price from list_media, the price of a proposed PPV offer) and the price of the PPV the graph
picked to offer with the reply, never one the model made up."""

import contextlib
from decimal import Decimal, InvalidOperation
from typing import Any

from agent.graph.state import DraftState


def offered_prices(state: DraftState) -> set[Decimal]:
    found: set[Decimal] = set()
    for call in state.get("tool_calls", []):
        _collect(call.get("arguments"), found)
        _collect(call.get("result"), found)
    _collect(state.get("offer"), found)
    return found


def _collect(value: Any, found: set[Decimal]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if "price" in key and isinstance(item, int | float | str):
                with contextlib.suppress(InvalidOperation):
                    found.add(Decimal(str(item)).normalize())
            else:
                _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)
