"""Configuration picks the backend: settings from the environment, then build_chat_model."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from agent.llm.factory import build_chat_model
from agent.llm.local_backend import LocalChatModel
from agent.llm.ollama_backend import OllamaChatModel
from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.settings import LLMSettings, bundled_gguf


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("OPENAI_API_KEY", "FANAGENT_LLM_OPENAI_API_KEY", "FANAGENT_LLM_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the working copy


def test_the_default_is_the_bundled_local_model() -> None:
    settings = LLMSettings()
    model = build_chat_model(settings)

    assert settings.backend == "local"
    assert settings.gguf_path == bundled_gguf()
    assert settings.gguf_path.is_file()
    assert isinstance(model, LocalChatModel)
    assert model.name == "local:SmolLM2-135M-Instruct.Q4_1"


def test_ollama_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANAGENT_LLM_BACKEND", "ollama")
    monkeypatch.setenv("FANAGENT_LLM_OLLAMA_HOST", "http://gpu-box:11434")
    monkeypatch.setenv("FANAGENT_LLM_KEEP_ALIVE", "30m")

    settings = LLMSettings()
    model = build_chat_model(settings)

    assert isinstance(model, OllamaChatModel)
    assert model.name == "ollama:llama3.2"
    assert (settings.ollama_host, settings.keep_alive) == ("http://gpu-box:11434", "30m")


@pytest.mark.parametrize("variable", ["OPENAI_API_KEY", "FANAGENT_LLM_OPENAI_API_KEY"])
def test_openai_key_from_either_variable(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv("FANAGENT_LLM_BACKEND", "openai")
    monkeypatch.setenv(variable, "sk-from-env")

    settings = LLMSettings(model="gpt-4.1-mini")

    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-from-env"
    assert "sk-from-env" not in repr(settings)
    assert build_chat_model(settings).name == "openai:gpt-4.1-mini"


def test_openai_compatible_server_needs_no_key() -> None:
    settings = LLMSettings(backend="openai", openai_base_url="http://127.0.0.1:8001/v1")

    assert isinstance(build_chat_model(settings), OpenAIChatModel)


def test_openai_without_key_or_server_is_refused() -> None:
    with pytest.raises(ValidationError, match="OPENAI_API_KEY"):
        LLMSettings(backend="openai")
