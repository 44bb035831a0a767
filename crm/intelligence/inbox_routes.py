"""HTTP routes of the CRM inbox (inbox.py): a tab's page, and how many fans each tab holds."""

from typing import Annotated

from fastapi import APIRouter, Query

from auth.access import CallerDep
from crm.intelligence.inbox import InboxPage, InboxTab, TabTotal, inbox, tab_totals

router = APIRouter(tags=["inbox"])


@router.get("/inbox", response_model=InboxPage)
def inbox_page(
    caller: CallerDep,
    tab: InboxTab = InboxTab.AWAITING_REPLY,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> InboxPage:
    """A page of the tab, with the tab's size (`total`)."""
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        return inbox(conn, tab, limit=limit, offset=offset, count=True)


@router.get("/inbox/tabs", response_model=list[TabTotal])
def inbox_tabs(caller: CallerDep) -> list[TabTotal]:
    """Every tab with its size, in the tabs' order."""
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        return tab_totals(conn)
