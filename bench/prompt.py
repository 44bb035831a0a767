"""Prompt tokens per draft against the tokens of the fan's whole history.

For each fan of a group, the draft prompt is assembled as the service does (the context nodes,
then the draft node's prompt) and counted as the model is billed (prompts.tokens: cl100k_base,
message framing included). The history is every message between the fan and the creator, one
line each as the prompt writes them ("fan: ..." / "you: ..."), counted the same way: what a
prompt holding the whole conversation would cost instead.

Groups: the data's long histories (hundreds to thousands of messages) and the demo's longest
ordinary ones (its top 1% by messages).
"""

from typing import Any

import numpy as np

from agent.graph.chat import from_turns
from agent.runtime import open_service
from agent.service import DraftRequest
from bench import texts
from bench.context import Nodes
from bench.data import BenchData, Fan
from bench.instant import TimedEmbedder, instant_chat_model, intents_for
from db.connect import creator_scope
from memory.embedders import Embedder
from prompts.tokens import count_message_tokens, count_tokens

HISTORY = """
SELECT direction, body FROM fan_messages
WHERE fan_id = %s AND status IN ('received', 'sent', 'queued')
ORDER BY created_at, id
"""


async def measure(data: BenchData, embedder: Embedder, per_group: int) -> dict[str, Any]:
    long_ids = set(data.long_fans)
    ordinary = sorted(
        (fan for fan in data.fans if fan.id not in long_ids), key=lambda fan: -fan.messages
    )
    top = ordinary[: max(len(ordinary) // 100, 1)]
    groups = {
        "long_histories": [fan for fan in data.fans if fan.id in long_ids][:per_group],
        "demo_top_1pct": top[:per_group],
    }
    messages = texts.fan_messages(per_group * 2, seed=41)
    timed = TimedEmbedder(embedder)
    figures: dict[str, Any] = {}
    async with open_service(
        data.target,
        chat_model=instant_chat_model(),
        embedder=timed,
        clock=lambda: data.anchor,
        intents=intents_for(embedder),
    ) as service:
        nodes = Nodes(service)
        for name, fans in groups.items():
            rows = []
            for fan, text in zip(fans, messages, strict=False):
                _, state = await nodes.assemble(DraftRequest(fan.creator_id, fan.id, text), timed)
                prompt = count_message_tokens(from_turns(state["chat"]))
                history, count = _history_tokens(service.deps.pool, fan)
                rows.append((prompt, history, count))
            figures[name] = _group(rows)
    return figures


def _history_tokens(pool: Any, fan: Fan) -> tuple[int, int]:
    with pool.connection() as conn, creator_scope(conn, fan.creator_id):
        lines = [
            f"{'fan' if direction == 'inbound' else 'you'}: {body}"
            for direction, body in conn.execute(HISTORY, [fan.id])
        ]
    return count_tokens("\n".join(lines)), len(lines)


def _group(rows: list[tuple[int, int, int]]) -> dict[str, Any]:
    if not rows:
        return {"fans": 0}
    prompt = np.asarray([r[0] for r in rows], dtype=np.float64)
    history = np.asarray([r[1] for r in rows], dtype=np.float64)
    messages = np.asarray([r[2] for r in rows], dtype=np.float64)
    ratio = prompt / np.maximum(history, 1)
    return {
        "fans": len(rows),
        "messages": {"min": int(messages.min()), "p50": float(np.median(messages))},
        "prompt_tokens": {"p50": float(np.median(prompt)), "max": int(prompt.max())},
        "history_tokens": {"min": int(history.min()), "p50": float(np.median(history))},
        "ratio": {
            "p50": round(float(np.median(ratio)), 4),
            "mean": round(float(ratio.mean()), 4),
            "max": round(float(ratio.max()), 4),
        },
    }
