"""What the openai backend sends and how it reads streams, against a scripted server: the parts
the llama-cpp-python server used for the cassettes cannot show (json_schema, streamed usage,
streamed tool calls)."""

import asyncio

from agent.llm.openai_backend import OpenAIChatModel
from tests.llm.conftest import FAST_RETRIES as QUICK
from tests.llm.flavours import OPENAI, choice, sse
from tests.llm.scenarios import (
    GREETING,
    INTENT_QUESTION,
    INTENT_SCHEMA,
    SPEND_QUESTION,
    SPEND_TOOL,
    assert_spend_call,
    collect,
)
from tests.llm.scripted_server import scripted_server


def test_json_schema_mode_sends_response_format_json_schema() -> None:
    with scripted_server(OPENAI.reply('{"intent": "chat", "confidence": 0.5}')) as server:
        model = OPENAI.build(server.url, QUICK)
        result = asyncio.run(model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA))

    assert server.requests[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "reply", "schema": INTENT_SCHEMA},
    }
    assert result.parsed == {"intent": "chat", "confidence": 0.5}


def test_json_object_mode_speaks_llama_cpp_dialect() -> None:
    with scripted_server(OPENAI.reply('{"intent": "chat", "confidence": 0.5}')) as server:
        model = OpenAIChatModel(
            model="m",
            base_url=server.url,
            api_key=None,
            json_mode="json_object",
            policy=QUICK,
        )
        asyncio.run(model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA))

    assert server.requests[0]["response_format"] == {"type": "json_object", "schema": INTENT_SCHEMA}


def test_a_stream_asks_for_usage_and_reports_it() -> None:
    usage = {"usage": {"prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14}}
    answer = sse(
        choice({"content": "Hi"}), choice({"content": "!"}, "stop"), {"choices": [], **usage}
    )
    with scripted_server(answer) as server:
        deltas, result = asyncio.run(collect(OPENAI.build(server.url, QUICK).stream(GREETING)))

    assert server.requests[0]["stream_options"] == {"include_usage": True}
    assert deltas == ["Hi", "!"]
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (12, 2)
    assert result.usage.reported


def test_streamed_tool_call_pieces_are_joined() -> None:
    def piece(**fields: object) -> dict[str, object]:
        return choice({"tool_calls": [{"index": 0, **fields}]})

    answer = sse(
        piece(id="call_7", type="function", function={"name": "get_fan_spend", "arguments": ""}),
        piece(function={"arguments": '{"fan_'}),
        piece(function={"arguments": 'id": 42}'}),
        choice({}, "tool_calls"),
    )
    with scripted_server(answer) as server:
        model = OPENAI.build(server.url, QUICK)
        deltas, result = asyncio.run(collect(model.stream(SPEND_QUESTION, tools=[SPEND_TOOL])))

    assert deltas == []
    assert_spend_call(result)
    assert result.tool_calls[0].id == "call_7"
    assert result.tool_calls[0].arguments == {"fan_id": 42}
    assert server.requests[0]["tool_choice"] == "auto"
