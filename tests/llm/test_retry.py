"""Timeouts and retries of the HTTP backends, against a local server that fails on purpose."""

import asyncio
import socket
import time

import pytest

from agent.llm.retry import RetryPolicy, status_error
from agent.llm.types import LLMRequestError, LLMTimeout, LLMUnavailable
from tests.llm.flavours import FLAVOURS, OLLAMA, OPENAI, Flavour, openai_unfinished_stream
from tests.llm.scenarios import GREETING, collect
from tests.llm.scripted_server import Answer, json_answer, scripted_server

QUICK = RetryPolicy(timeout_s=5.0, max_retries=2, backoff_s=0.01, backoff_max_s=0.02)
by_name = pytest.mark.parametrize("flavour", FLAVOURS, ids=lambda flavour: flavour.name)


@by_name
@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_transient_errors_are_retried(flavour: Flavour, status: int) -> None:
    answers = (flavour.error(status), flavour.error(status), flavour.reply("hello"))
    with scripted_server(*answers) as server:
        result = asyncio.run(flavour.build(server.url, QUICK).chat(GREETING))

    assert result.content == "hello"
    assert server.hits == 3


@by_name
def test_retries_run_out_into_a_typed_error(flavour: Flavour) -> None:
    with (
        scripted_server(flavour.error(503)) as server,
        pytest.raises(LLMUnavailable, match=r"HTTP 503.*\(attempts: 3\)"),
    ):
        asyncio.run(flavour.build(server.url, QUICK).chat(GREETING))

    assert server.hits == 3


@by_name
@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_client_errors_are_not_retried(flavour: Flavour, status: int) -> None:
    with (
        scripted_server(flavour.error(status), flavour.reply("never")) as server,
        pytest.raises(LLMRequestError, match=f"HTTP {status}"),
    ):
        asyncio.run(flavour.build(server.url, QUICK).chat(GREETING))

    assert server.hits == 1


@by_name
def test_a_slow_server_times_out_per_attempt(flavour: Flavour) -> None:
    hurried = RetryPolicy(timeout_s=0.2, max_retries=1, backoff_s=0.01, backoff_max_s=0.01)
    slow = flavour.reply("too late")
    with scripted_server(type(slow)(slow.status, slow.body, delay_s=1.0)) as server:
        started = time.monotonic()
        with pytest.raises(LLMTimeout, match=r"\(attempts: 2\)"):
            asyncio.run(flavour.build(server.url, hurried).chat(GREETING))
        elapsed = time.monotonic() - started
        # The second request was sent; a busy machine may read it after the client gave up.
        deadline = time.monotonic() + 3
        while server.hits < 2 and time.monotonic() < deadline:
            time.sleep(0.02)

    assert server.hits == 2
    assert elapsed < 1.0  # each attempt was cut at 0.2 s, not left to the 1 s answer


@by_name
def test_a_slow_attempt_then_a_quick_one_succeeds(flavour: Flavour) -> None:
    hurried = RetryPolicy(timeout_s=0.2, max_retries=2, backoff_s=0.01, backoff_max_s=0.01)
    slow = flavour.reply("too late")
    answers = (type(slow)(slow.status, slow.body, delay_s=1.0), flavour.reply("in time"))
    with scripted_server(*answers) as server:
        result = asyncio.run(flavour.build(server.url, hurried).chat(GREETING))

    assert result.content == "in time"
    assert server.hits == 2


NOT_JSON = Answer(200, b"<html>502 Bad Gateway</html>", "text/html")
GARBLED = Answer(200, b"{not json")
TOO_DEEP = Answer(200, b"[" * 5000 + b"]" * 5000)
NO_CHOICE = json_answer(
    {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": []}
)


@pytest.mark.parametrize(
    ("flavour", "broken"),
    [
        (OPENAI, NOT_JSON),
        (OPENAI, GARBLED),
        (OPENAI, TOO_DEEP),
        (OPENAI, NO_CHOICE),
        (OLLAMA, GARBLED),
        (OLLAMA, TOO_DEEP),
    ],
    ids=[
        "openai-html",
        "openai-garbled",
        "openai-too-deep",
        "openai-no-choice",
        "ollama-garbled",
        "ollama-too-deep",
    ],
)
def test_a_broken_answer_is_retried_then_unavailable(flavour: Flavour, broken: Answer) -> None:
    with scripted_server(broken) as server, pytest.raises(LLMUnavailable, match="attempts: 3"):
        asyncio.run(flavour.build(server.url, QUICK).chat(GREETING))

    assert server.hits == 3


@by_name
def test_a_broken_answer_then_a_good_one_succeeds(flavour: Flavour) -> None:
    with scripted_server(GARBLED, flavour.reply("hello")) as server:
        result = asyncio.run(flavour.build(server.url, QUICK).chat(GREETING))

    assert result.content == "hello"
    assert server.hits == 2


@by_name
def test_connection_refused_is_unavailable(flavour: Flavour) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    with pytest.raises(LLMUnavailable, match=r"\(attempts: 3\)"):
        asyncio.run(flavour.build(f"http://127.0.0.1:{closed_port}", QUICK).chat(GREETING))


@by_name
def test_one_model_serves_successive_event_loops(flavour: Flavour) -> None:
    with scripted_server(flavour.reply("hello")) as server:
        model = flavour.build(server.url, QUICK)
        first = asyncio.run(model.chat(GREETING))
        second = asyncio.run(model.chat(GREETING))  # a new loop; the old one is closed

    assert first.content == second.content == "hello"
    assert server.hits == 2


@by_name
def test_a_stream_is_retried_before_its_first_token(flavour: Flavour) -> None:
    answers = (flavour.error(503), flavour.stream(["Hel", "lo", "!"]))
    with scripted_server(*answers) as server:
        deltas, result = asyncio.run(collect(flavour.build(server.url, QUICK).stream(GREETING)))

    assert deltas == ["Hel", "lo", "!"]
    assert result.content == "Hello!"
    assert server.hits == 2


def test_a_stream_cut_short_is_reported_not_retried() -> None:
    with (
        scripted_server(openai_unfinished_stream(["Hel", "lo"])) as server,
        pytest.raises(LLMUnavailable, match="before the model finished"),
    ):
        asyncio.run(collect(OPENAI.build(server.url, QUICK).stream(GREETING)))

    assert server.hits == 1


def test_backoff_doubles_up_to_its_cap() -> None:
    policy = RetryPolicy(timeout_s=1, max_retries=5, backoff_s=0.5, backoff_max_s=3)

    assert [policy.delay(retry) for retry in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_status_errors_are_classified() -> None:
    assert isinstance(status_error(408, "slow"), LLMTimeout)
    assert isinstance(status_error(429, "busy"), LLMUnavailable)
    assert isinstance(status_error(599, "down"), LLMUnavailable)
    assert isinstance(status_error(403, "no"), LLMRequestError)
