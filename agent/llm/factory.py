"""The configured chat model: build_chat_model(settings) picks and builds the backend."""

from agent.llm.local_backend import LocalChatModel
from agent.llm.ollama_backend import OllamaChatModel
from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.port import ChatModel
from agent.llm.retry import RetryPolicy
from agent.llm.settings import LLMSettings

DEFAULT_MODELS = {"ollama": "llama3.2", "openai": "gpt-4o-mini"}


def build_chat_model(settings: LLMSettings | None = None) -> ChatModel:
    """The backend named by FANAGENT_LLM_BACKEND (local by default); the local model loads
    on its first call, not here."""
    settings = settings or LLMSettings()
    policy = RetryPolicy.from_settings(settings)
    if settings.backend == "ollama":
        return OllamaChatModel(
            host=settings.ollama_host,
            model=settings.model or DEFAULT_MODELS["ollama"],
            keep_alive=settings.keep_alive,
            policy=policy,
        )
    if settings.backend == "openai":
        key = settings.openai_api_key
        return OpenAIChatModel(
            model=settings.model or DEFAULT_MODELS["openai"],
            base_url=settings.openai_base_url,
            api_key=key.get_secret_value() if key else None,
            json_mode=settings.openai_json_mode,
            policy=policy,
        )
    return LocalChatModel(
        gguf_path=settings.gguf_path,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        chat_format=settings.chat_format,
        policy=policy,
        model=settings.model,
    )
