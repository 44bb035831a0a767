"""Carrying out automation rules (crm/automations): a rule is evaluated for its creator at a
moment; the fans it fires for (once per fan and period) get its action chain. What stays inside
the CRM (a tag, an alert, a follow-up task) is done at once; what reaches the fan (a message, a
discount, a PPV) passes the outbound guard (crm/outbound_guard.py: a block is logged, path
'automation', and the fan's chain stops) and becomes a hitl_action_queue row, approved at once
only when the rule's autonomy policy allows it for this fan now (decided_by NULL, the note says
so), else left pending for the creator. The firings, the queue rows, the per-fan action rows and
the run's row commit together; the auto-approved actions then run through the gate's executor
(exactly once, like any approved send)."""

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg

from agent.gate import queue
from agent.graph.deps import AgentDeps
from agent.sending import execute_send
from crm.automations.autonomy import fan_facts, hold_reason
from crm.automations.effects import apply_effect
from crm.automations.firing import claim_firings
from crm.automations.history import (
    ActionOutcome,
    ActionRecord,
    RunOutcome,
    record_actions,
    record_run,
)
from crm.automations.model import (
    Action,
    DiscountAction,
    MessageAction,
    OutboundAction,
    PpvAction,
    Rule,
)
from crm.automations.store import list_rules
from crm.outbound_guard import Attempt, OutboundBlocked, record, screen
from crm.templates.message import message_for
from crm.templates.render import MissingValue
from crm.templates.store import TemplateNotFound, get_template
from crm.templates.values import fans_values
from tools.base import RunContext, ToolError

log = logging.getLogger("fanagent.automations")
CREATORS = "SELECT fanagent_creators_with_active_rules()"
AUTO_NOTE = "auto-approved by the rule {name!r} within its autonomy policy"


@dataclass(frozen=True)
class RunSummary:
    run_id: UUID
    rule_id: UUID
    fired: int
    outcome: RunOutcome
    auto_approved: list[UUID]  # queue rows run right after the run committed


def evaluate_active_rules(deps: AgentDeps, *, triggered_by: str = "schedule") -> int:
    """Evaluates every active rule of every creator now; returns how many fans they fired for.
    A rule that fails is recorded as a failed run; the others go on."""
    now = deps.clock()
    with deps.pool.connection() as conn:
        creators = [row[0] for row in conn.execute(CREATORS)]
    fired = 0
    for creator_id in creators:
        with deps.scoped(creator_id) as conn:
            rules = list_rules(conn, active_only=True)
        for rule in rules:
            fired += evaluate_rule(deps, creator_id, rule, now, triggered_by=triggered_by).fired
    return fired


def evaluate_rule(
    deps: AgentDeps, creator_id: UUID, rule: Rule, now: dt.datetime, *, triggered_by: str
) -> RunSummary:
    """One evaluation of the rule: its run row, its firings and per-fan actions, then the
    auto-approved actions executed. A paused rule is not evaluated (no run)."""
    run_id = uuid.uuid4()
    try:
        with deps.scoped(creator_id) as conn:
            summary = _run(deps, conn, creator_id, rule, run_id, now, triggered_by)
    except (psycopg.Error, ToolError, ValueError) as error:
        log.exception("rule %s failed", rule.id)
        with deps.scoped(creator_id) as conn:
            record_run(
                conn,
                run_id,
                rule.id,
                triggered_by=triggered_by,
                matched=0,
                outcome="failed",
                detail={"error": str(error)},
                started_at=now,
            )
        return RunSummary(run_id, rule.id, 0, "failed", [])
    for action_id in summary.auto_approved:
        with deps.scoped(creator_id) as conn:
            action = queue.get(conn, action_id)
        assert action is not None
        execute_send(deps, creator_id, action)
    return summary


def _run(
    deps: AgentDeps,
    conn: psycopg.Connection[Any],
    creator_id: UUID,
    rule: Rule,
    run_id: UUID,
    now: dt.datetime,
    triggered_by: str,
) -> RunSummary:
    if rule.paused:
        return RunSummary(run_id, rule.id, 0, "skipped", [])
    fired = claim_firings(conn, rule, run_id, now)
    chain = _Chain(deps, conn, creator_id, rule, now, dict(fired))
    for index, action in enumerate(rule.actions):
        chain.step(index, action)
    records = chain.records
    failed = sum(1 for r in records if r.outcome in ("failed", "blocked"))
    outcome: RunOutcome = "partial" if failed else "succeeded"
    record_actions(conn, run_id, records)
    detail = {"trigger": rule.trigger.kind, "actions": dict(Counter(r.outcome for r in records))}
    record_run(
        conn,
        run_id,
        rule.id,
        triggered_by=triggered_by,
        matched=len(fired),
        outcome=outcome,
        detail=detail,
        started_at=now,
    )
    return RunSummary(run_id, rule.id, len(fired), outcome, chain.auto)


@dataclass
class _Chain:
    """The rule's actions, a step at a time over the fans it fired for, each step in a few
    statements whatever the number of fans; a fan whose message was blocked or skipped (a
    template value missing), or whose action failed, is left out of the steps after it."""

    deps: AgentDeps
    conn: psycopg.Connection[Any]
    creator_id: UUID
    rule: Rule
    now: dt.datetime
    periods: dict[UUID, str]  # the fans still in the chain, with the period they fired for
    records: list[ActionRecord] = field(default_factory=list)
    auto: list[UUID] = field(default_factory=list)
    sent: Counter[UUID] = field(default_factory=Counter)  # messages auto-approved per fan

    def step(self, index: int, action: Action) -> None:
        args = action.model_dump(mode="json", exclude={"kind"}) | {"step": index}
        fans = list(self.periods)
        if not fans:
            return
        if isinstance(action, MessageAction | DiscountAction | PpvAction):
            self._outbound(fans, index, action, args)
        else:
            done = apply_effect(self.conn, fans, action, rule_name=self.rule.name, now=self.now)
            self._note(fans, action, args, "executed", lambda _: done)

    def _note(
        self,
        fans: list[UUID],
        action: Action,
        args: dict[str, Any],
        outcome: ActionOutcome,
        detail: Callable[[UUID], dict[str, Any]],
    ) -> None:
        self.records.extend(ActionRecord(f, action.kind, args, outcome, detail(f)) for f in fans)
        if outcome in ("blocked", "failed", "skipped"):
            for fan_id in fans:
                del self.periods[fan_id]

    def _outbound(
        self, fans: list[UUID], index: int, action: OutboundAction, args: dict[str, Any]
    ) -> None:
        texts = self._texts(fans, action, args)
        screened = {text: screen(text) for text in set(texts.values()) if text is not None}
        blocked = {f: b for f, text in texts.items() if text and (b := screened[text]) is not None}
        for fan_id, block in blocked.items():
            attempt = Attempt(fan_id, texts[fan_id] or "", "automation")
            record(self.conn, OutboundBlocked(block, attempt))
        self._note(list(blocked), action, args, "blocked", lambda f: {"reason": blocked[f].reason})
        fans = [fan_id for fan_id in texts if fan_id not in blocked]
        if not fans:
            return
        name = _tool_call(action, None)[0]
        checked, refused = self._checked(fans, action, texts)
        self._note(list(refused), action, args, "failed", lambda f: {"error": refused[f]})
        fans = [fan_id for fan_id in fans if fan_id not in refused]
        if not fans:
            return
        why = self._holds(fans, action)
        proposals = [
            _proposal(self, fan_id, index, name, checked[fan_id], texts[fan_id], why[fan_id])
            for fan_id in fans
        ]
        queued = {row.fan_id: row for row in queue.propose_many(self.conn, proposals)}
        let_through = [f for f in fans if why[f] is None and queued[f].status == "pending"]
        queue.approve_many(
            self.conn, [queued[f].id for f in let_through], AUTO_NOTE.format(name=self.rule.name)
        )
        self.auto.extend(queued[f].id for f in let_through)
        if not isinstance(action, DiscountAction):
            self.sent.update(let_through)
        held = [f for f in fans if f not in set(let_through)]
        self._note(
            let_through,
            action,
            args,
            "executed",
            lambda f: {"hitl_action_id": str(queued[f].id), "approval": "auto"},
        )
        self._note(
            held,
            action,
            args,
            "queued",
            lambda f: {
                "hitl_action_id": str(queued[f].id),
                "approval": "pending",
                "why": why[f] or "decided",
            },
        )

    def _texts(
        self, fans: list[UUID], action: OutboundAction, args: dict[str, Any]
    ) -> dict[UUID, str | None]:
        """What each fan is sent (None: a discount has no text). A template is filled with each
        fan's own values; a fan lacking one it needs (no fallback) is noted as skipped, every fan
        as failed when the template is gone, and left out."""
        if isinstance(action, DiscountAction):
            return dict.fromkeys(fans)
        if isinstance(action, PpvAction) or action.template_id is None:
            return dict.fromkeys(fans, action.text)
        try:
            template = get_template(self.conn, action.template_id)
        except TemplateNotFound as error:
            gone = {"error": str(error)}
            self._note(fans, action, args, "failed", lambda _: gone)
            return {}
        values = fans_values(self.conn, fans, self.now)
        texts: dict[UUID, str | None] = {}
        skipped: dict[UUID, str] = {}
        for fan_id in fans:
            try:
                body = message_for(template, values[fan_id])
            except MissingValue as missing:
                skipped[fan_id] = str(missing)
                continue
            texts[fan_id] = body if action.text is None else f"{body} {action.text}"
        self._note(list(skipped), action, args, "skipped", lambda f: {"reason": skipped[f]})
        return texts

    def _checked(
        self, fans: list[UUID], action: OutboundAction, texts: dict[UUID, str | None]
    ) -> tuple[dict[UUID, dict[str, Any]], dict[UUID, str]]:
        """Each fan's tool arguments, checked (parsed once per distinct text, and what the
        database says of them: for each fan when they name media, the fan may own it, else once
        per text, the same for every fan), and why a fan's were refused."""
        by_text: dict[str | None, list[UUID]] = {}
        for fan_id in fans:
            by_text.setdefault(texts[fan_id], []).append(fan_id)
        checked: dict[UUID, dict[str, Any]] = {}
        refused: dict[UUID, str] = {}
        for text, group in by_text.items():
            name, raw = _tool_call(action, text)
            tool = self.deps.tools[name]
            try:
                parsed = tool.parse(raw)
            except ToolError as error:
                refused.update(dict.fromkeys(group, str(error)))
                continue
            for fan_id in group if isinstance(action, PpvAction) else group[:1]:
                try:
                    tool.verify(self.conn, RunContext(self.creator_id, fan_id, ""), parsed)
                except ToolError as error:
                    refused[fan_id] = str(error)
            if not isinstance(action, PpvAction) and group[0] in refused:
                refused.update(dict.fromkeys(group, refused[group[0]]))
            args = parsed.model_dump(mode="json")
            checked.update({f: args for f in group if f not in refused})
        return checked, refused

    def _holds(self, fans: list[UUID], action: OutboundAction) -> dict[UUID, str | None]:
        """Why each fan's action waits for approval (None: the policy lets it through)."""
        policy = self.rule.autonomy
        facts = fan_facts(self.conn, fans, self.now)
        return {f: hold_reason(policy, action, facts[f], self.now, self.sent[f]) for f in fans}


def _proposal(
    chain: _Chain,
    fan_id: UUID,
    index: int,
    action: str,
    args: dict[str, Any],
    draft: str | None,
    held_because: str | None,
) -> queue.Proposal:
    """The action as the gate holds it; its reason tells the approver why it waits ("the fan is
    in distress ...") when the autonomy policy does not let it through."""
    rule = chain.rule
    reason = f"The automation rule {rule.name!r} ({rule.trigger.kind}) fired for this fan"
    return queue.Proposal(
        fan_id=fan_id,
        thread_id=f"{queue.AUTOMATION_THREAD}{rule.id}:{fan_id}:{chain.periods[fan_id]}",
        tool_call_id=str(index),
        action=action,
        args=args,
        draft=draft,
        reason=reason + (f"; it waits because {held_because}" if held_because else ""),
        requested_by=None,
        expires_at=chain.now + dt.timedelta(hours=chain.deps.limits.approval_hours),
    )


def _tool_call(action: OutboundAction, text: str | None) -> tuple[str, dict[str, Any]]:
    """The gated tool an action calls and its arguments, with the fan's `text`."""
    if isinstance(action, MessageAction):
        return "send_message", {"text": text}
    if isinstance(action, PpvAction):
        raw = {"media_id": str(action.media_id), "price": action.price, "message": text}
        return "send_ppv_offer", raw
    return "offer_discount", {"percent": action.percent, "days": action.days}
