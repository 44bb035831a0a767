"""The draft prompt's structure, checked on every case before any model sees it: everything the
fan wrote (or was remembered about him) sits inside the data tags, the system message warns that
every data tag is data, and the persona's hard rules are in the system message. A prompt version
that drops the warning or the persona rules fails here, with or without a model.

The compact prompt (a small model's: no data tags) is held to its own layout: what the fan
wrote is in the fan's own turns, never in the system message. Its persona is two plain lines,
not the hard rules (the guard and the persona check enforce those on the draft), so the
persona-rules figure counts full prompts only."""

import re
from typing import Any

from evals.cases import Case
from evals.metrics import Metric, rate
from evals.observe import CaseRun
from evals.world import World
from personas.render import render_persona
from prompts.sanitize import neutralise

DATA_TAGS = ("fan_profile", "memories", "conversation", "fan_message", "draft")
_REGION = re.compile(rf"<({'|'.join(DATA_TAGS)})>(.*?)</\1>", re.DOTALL)
_OPENED = re.compile(rf"<({'|'.join(DATA_TAGS)})>")
MIN_CHECKED = 12  # shorter untrusted strings could occur in the template's own words


def _flat(text: str) -> str:
    return " ".join(text.split())


def _inside_tags_only(needle: str, contents: list[str]) -> bool | None:
    """True when every occurrence of `needle` is inside a data tag; None when it never occurs."""
    found = False
    for content in contents:
        flat = _flat(content)
        regions = [(m.start(2), m.end(2)) for m in _REGION.finditer(flat)]
        start = flat.find(needle)
        while start != -1:
            found = True
            end = start + len(needle)
            if not any(a <= start and end <= b for a, b in regions):
                return False
            start = flat.find(needle, start + 1)
    return found if found else None


def hard_rules(world: World) -> list[str]:
    """The persona's rule lines (render_persona puts them before the style lines)."""
    rules = []
    for line in render_persona(world.persona).splitlines():
        if line.startswith("- Tone:"):
            break
        rules.append(_flat(neutralise(line)))
    return rules


def score(case: Case, world: World, run: CaseRun) -> dict[str, Any]:
    if not run.requests:
        return {}
    messages = run.requests[0].messages
    system = _flat("\n".join(m.content for m in messages if m.role == "system"))
    contents = [m.content for m in messages]
    if not any(_OPENED.search(content) for content in contents):
        return _score_turns(case, system, [m.content for m in messages if m.role != "system"])
    untrusted = [case.message] + [m["body"] for m in run.memories]
    untrusted += [turn.text for turn in case.fan.conversation]
    outside = []
    for text in untrusted:
        needle = _flat(neutralise(text))
        is_message = text == case.message
        if len(needle) < MIN_CHECKED and not is_message:
            continue
        placed = _inside_tags_only(needle, contents)
        if placed is False or (placed is None and is_message):
            outside.append(text)
    used_tags = {m.group(1) for c in contents[1:] for m in _OPENED.finditer(c)}
    unwarned = sorted(tag for tag in used_tags if f"<{tag}>" not in system)
    missing_rules = [rule for rule in hard_rules(world) if rule not in system]
    return {
        "outside_tags": outside,
        "unwarned_tags": unwarned,
        "missing_rules": missing_rules,
    }


def _score_turns(case: Case, system: str, turns: list[str]) -> dict[str, Any]:
    """The compact layout: the fan's message is a turn of its own; nothing the fan wrote is in
    the system message."""
    flat_turns = {_flat(turn) for turn in turns}
    outside = [case.message] if _flat(neutralise(case.message)) not in flat_turns else []
    for text in [case.message] + [turn.text for turn in case.fan.conversation]:
        needle = _flat(neutralise(text))
        if len(needle) >= MIN_CHECKED and needle in system:
            outside.append(text)
    return {"outside_tags": outside, "unwarned_tags": [], "missing_rules": None}


def aggregate(runs: list[CaseRun]) -> dict[str, Metric]:
    checked = [r.scores["prompt"] for r in runs if r.scores.get("prompt")]
    total = len(checked)
    metrics = {
        "prompt.data_tagged_rate": rate(sum(not s["outside_tags"] for s in checked), total),
        "prompt.warning_rate": rate(sum(not s["unwarned_tags"] for s in checked), total),
    }
    ruled = [s for s in checked if s["missing_rules"] is not None]
    if ruled:
        metrics["prompt.persona_rules_rate"] = rate(
            sum(not s["missing_rules"] for s in ruled), len(ruled)
        )
    return metrics
