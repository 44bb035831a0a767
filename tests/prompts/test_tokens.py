import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from prompts.messages import ChatMessage
from prompts.tokens import (
    MESSAGE_OVERHEAD,
    REPLY_OVERHEAD,
    count_message_tokens,
    count_tokens,
    encode,
    truncate,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_encoding_is_cl100k_base() -> None:
    assert encode("hello world") == [15339, 1917]
    assert count_tokens("tiktoken is great!") == 6


def test_it_loads_without_network_or_cache(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        sys.modules["requests"] = None  # what tiktoken downloads with
        from prompts.tokens import encode
        print(encode("hello world"))
        """
    )
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path / "empty")}
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[15339, 1917]"


def test_special_tokens_typed_by_a_fan_are_plain_text() -> None:
    assert count_tokens("<|endoftext|>") > 1


def test_a_message_list_costs_its_contents_and_framing() -> None:
    messages = [ChatMessage("system", "hello world"), ChatMessage("user", "hi")]
    assert count_message_tokens(messages) == REPLY_OVERHEAD + 2 * MESSAGE_OVERHEAD + 2 + 1


def test_truncate_keeps_the_start_and_marks_the_cut() -> None:
    text = "one two three four five six seven eight nine ten"
    cut = truncate(text, 6)
    assert cut.startswith("one two") and cut.endswith(" […]")
    assert count_tokens(cut) <= 6
    assert truncate(text, 100) == text
    assert truncate(text, 1) == ""


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.integers(0, 60))
def test_truncate_never_exceeds_its_budget(text: str, budget: int) -> None:
    cut = truncate(text, budget)
    assert count_tokens(cut) <= budget
    assert cut == text or cut == "" or cut.endswith(" […]")
