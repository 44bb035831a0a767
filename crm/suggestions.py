"""Reply suggestions: what the creator's team already sent to fan messages like this one.

Candidates are the team's sent replies to earlier inbound messages that mean the same (nearest
by the messages' vectors: crm/episodes.py keeps them), share words with the fan's message
(PostgreSQL full text, any word) or carry one of its buying signals; they rank by meaning
first (cosine similarity of the two fan messages), then the words shared, the signal, and what
followed the reply (the fan wrote back within two days, bought within three). Without the
message's vector the ranking is by words, signal and outcome only. The other fan's names in
a reply are replaced by this fan's, so a suggestion never carries another fan's name; replies
with contact details, links or a price (it was another fan's price for another item; offers go
through the approval gate), and greetings of another part of the day than the fan's own
("morning babe ☀️" at 8 pm where he lives), are left out.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from crm.day_parts import local_hour, suits_the_hour
from db.text_search import ANY_WORD
from memory.store import as_vector

CANDIDATES = 200  # per way of finding them, before ranking
SUGGEST = sql.SQL("""
WITH asked AS (
    SELECT {any_word} AS words  -- a suggestion shares some of the message's words
),
by_meaning AS (
    SELECT i.id FROM fan_messages i
    WHERE i.direction = 'inbound' AND %(query)s::vector IS NOT NULL
      AND (%(message_id)s::uuid IS NULL OR i.id <> %(message_id)s)
    ORDER BY i.embedding <=> %(query)s::vector
    LIMIT %(candidates)s
),
by_words AS (
    SELECT i.id, ts_rank(to_tsvector('english', i.body), asked.words) AS text_rank
    FROM fan_messages i, asked
    WHERE i.direction = 'inbound' AND asked.words IS NOT NULL
      AND to_tsvector('english', i.body) @@ asked.words
      AND (%(message_id)s::uuid IS NULL OR i.id <> %(message_id)s)
    ORDER BY text_rank DESC LIMIT %(candidates)s
),
by_signal AS (
    SELECT DISTINCT e.message_id AS id FROM (
        SELECT message_id FROM fan_intent_events
        WHERE signal = ANY(%(signals)s)
          AND (%(message_id)s::uuid IS NULL OR message_id <> %(message_id)s)
        ORDER BY created_at DESC LIMIT %(candidates)s
    ) e
),
found AS (
    SELECT id, max(text_rank) AS text_rank, bool_or(same_signal) AS same_signal FROM (
        SELECT id, text_rank, false AS same_signal FROM by_words
        UNION ALL
        SELECT id, 0, true FROM by_signal
        UNION ALL
        SELECT id, 0, false FROM by_meaning
    ) c GROUP BY id
)
SELECT r.body, i.body, r.fan_id, f.display_name, f.aliases, f.real_name,
       coalesce(1 - (i.embedding <=> %(query)s::vector), 0)
       + found.text_rank
       + CASE WHEN found.same_signal THEN 0.3 ELSE 0 END
       + CASE WHEN EXISTS (
             SELECT 1 FROM fan_messages later
             WHERE later.fan_id = r.fan_id AND later.direction = 'inbound'
               AND later.created_at > r.created_at
               AND later.created_at <= r.created_at + interval '2 days') THEN 0.1 ELSE 0 END
       + CASE WHEN EXISTS (
             SELECT 1 FROM fan_transactions t
             WHERE t.fan_id = r.fan_id AND t.kind NOT IN ('refund', 'chargeback')
               AND t.occurred_at > r.created_at
               AND t.occurred_at <= r.created_at + interval '3 days') THEN 0.2 ELSE 0 END
       AS score
FROM found
JOIN fan_messages i ON i.id = found.id
JOIN fan_messages r ON r.in_reply_to_id = found.id
JOIN fan_profiles f ON f.id = r.fan_id
WHERE r.direction = 'outbound' AND r.status = 'sent' AND r.media_id IS NULL
ORDER BY score DESC, r.created_at DESC
LIMIT %(candidates)s
""").format(any_word=sql.SQL(ANY_WORD))
FAN = "SELECT display_name, aliases, timezone FROM fan_profiles WHERE id = %s"
# Row-level security filters the index's candidates after the scan: scan on until the LIMIT.
HNSW_SCAN = "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)"
_UNSUITABLE = re.compile(
    r"@|https?://|www\.|\d{5,}|[$€£]\s?\d|\d\s?(?:usd|dollars|bucks)\b", re.IGNORECASE
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_CAMEL_PART = re.compile(r"[A-Z][a-z]+")


@dataclass(frozen=True)
class Suggestion:
    text: str  # the reply, addressed to this fan
    score: float
    answered: str  # the fan message it answered (a few-shot example's question, not shown)

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "score": round(self.score, 3), "answered": self.answered}


def suggest_replies(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    text: str,
    signals: Sequence[str],
    *,
    now: datetime,
    message_id: UUID | None = None,
    query: Sequence[float] | None = None,
    limit: int = 3,
) -> list[Suggestion]:
    """Up to `limit` distinct past replies for the fan's message `text` (with `query`, its
    vector), best first; a reply greeting a part of the day other than the fan's at `now` is
    left out (unless his timezone is unknown)."""
    row = conn.execute(FAN, [fan_id]).fetchone()
    if row is None:
        return []
    name = call_name(row[0], row[1])
    hour = local_hour(now, row[2])
    params = {
        "text": text,
        "signals": [s for s in signals if s != "none"],
        "message_id": message_id,
        "query": None if query is None else as_vector(query),
        "candidates": CANDIDATES,
    }
    chosen: dict[str, Suggestion] = {}
    conn.execute(HNSW_SCAN)
    rows = conn.execute(SUGGEST, params)
    for body, answered, source_fan, display, aliases, real_name, score in rows:
        if _UNSUITABLE.search(body) or (hour is not None and not suits_the_hour(body, hour)):
            continue
        names = [] if source_fan == fan_id else [display, *aliases, real_name or ""]
        filled = readdressed(body, names, name)
        if filled.lower() not in chosen:
            chosen[filled.lower()] = Suggestion(filled, float(score), answered)
        if len(chosen) == limit:
            break
    return list(chosen.values())


def call_name(display_name: str, aliases: Sequence[str]) -> str:
    """What to call the fan: a one-word alias (a nickname), else the display name's first word
    without digits or underscores."""
    for alias in aliases:
        if alias.isalpha():
            return alias
    words = _WORD.findall(display_name)
    return words[0] if words else display_name


def readdressed(body: str, names: Sequence[str], name: str) -> str:
    """`body` with every word of `names` (another fan's names) replaced by `name`, a run of
    them once; a CamelCase handle's parts count as words ("CaptainBrian": Captain, Brian)."""
    words = {
        part.lower()
        for n in names
        for w in _WORD.findall(n)
        for part in (w, *_CAMEL_PART.findall(w))
        if len(part) > 1
    }
    if not words:
        return body
    one = "|".join(sorted(map(re.escape, words)))
    # A full name ("Kevin Smith", "Captain Kevin") is one address: it becomes the name once.
    pattern = re.compile(rf"\b(?:{one})(?:\s+(?:{one}))*\b", re.IGNORECASE)
    return pattern.sub(name, body)
