"""The embedding backends. Local: the bundled MiniLM itself. Ollama and OpenAI: the real clients
against a local HTTP server that speaks their documented embedding endpoints (/api/embed,
/v1/embeddings) with MiniLM's vectors, scaled so that normalisation shows; no Ollama or OpenAI
is reachable here, and nothing in this file is a recording of one."""

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from pydantic import SecretStr

from memory import embedders
from memory.embedders import (
    EmbeddingError,
    LocalEmbedder,
    OllamaEmbedder,
    OpenAIEmbedder,
    build_embedder,
)
from memory.settings import EmbeddingSettings

TEXTS = ["my dog's name is Max", "Has a dog named Max", "how much for a custom video?"]


def test_local_vectors_are_unit_length_and_384_dimensional(embedder: LocalEmbedder) -> None:
    vectors = np.array(embedder.embed(TEXTS))
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]) == []


def test_local_vectors_are_close_to_the_ones_the_float_weights_give_through_torch(
    embedder: LocalEmbedder,
) -> None:
    """The int8 ONNX graph against the float model run by torch, pooled as sentence-transformers
    pools it (mean over the attention mask), on texts up to its 256-token limit, not the
    tokenizer's 128."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(embedders.bundled_minilm_path())
    texts = [*TEXTS, "", "🔥🔥 omg u r so hot!!! 💦", " ".join(["long"] + ["word"] * 200)]
    tokens = AutoTokenizer.from_pretrained(path)(
        texts, padding=True, truncation=True, max_length=256, return_tensors="pt"
    )
    with torch.no_grad():
        states = AutoModel.from_pretrained(path).eval()(**tokens)[0]
    mask = tokens["attention_mask"].unsqueeze(-1).float()
    means = ((states * mask).sum(1) / mask.sum(1)).numpy()
    expected = means / np.linalg.norm(means, axis=1, keepdims=True)

    cosines = (np.array(embedder.embed(texts)) * expected).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.mean() > 0.985
    assert tokens["attention_mask"][-1].sum() == 203  # the long text was not cut at 128


def test_local_embeds_a_text_nearly_the_same_alone_or_in_a_batch(embedder: LocalEmbedder) -> None:
    """Close enough that a fact embedded alone and in a batch is one fact (dedupe_similarity
    0.92), and the same batch gives the same vectors every time."""
    batch = np.array(embedder.embed(TEXTS))
    alone = np.array([embedder.embed([text])[0] for text in TEXTS])
    assert ((batch * alone).sum(axis=1) > 0.95).all()
    assert np.array_equal(batch, np.array(embedder.embed(TEXTS)))


def test_local_vectors_carry_meaning(embedder: LocalEmbedder) -> None:
    message, fact, unrelated = (np.array(v) for v in embedder.embed(TEXTS))
    assert message @ fact > 0.7 > 0.3 > message @ unrelated


def test_the_default_backend_is_the_local_model_loaded_once(embedder: LocalEmbedder) -> None:
    loads = embedders._load_encoder.cache_info().misses
    built = build_embedder(EmbeddingSettings.model_construct())
    assert isinstance(built, LocalEmbedder) and built.name == "local:all-MiniLM-L6-v2-int8"
    assert embedders._load_encoder.cache_info().misses == loads
    assert built.embed(TEXTS[:1]) == embedder.embed(TEXTS[:1])


class EmbeddingServer(ThreadingHTTPServer):
    """/api/embed (Ollama) and /v1/embeddings (OpenAI), answered with MiniLM's vectors times 3."""

    def __init__(self, embedder: LocalEmbedder, dimensions: int = 384) -> None:
        super().__init__(("127.0.0.1", 0), EmbeddingHandler)
        self.embedder = embedder
        self.dimensions = dimensions
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def vectors(self, texts: list[str]) -> list[list[float]]:
        vectors = np.array(self.embedder.embed(texts)) * 3.0
        return np.resize(vectors, (len(texts), self.dimensions)).tolist()


class EmbeddingHandler(BaseHTTPRequestHandler):
    server: EmbeddingServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(
            (self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        texts = [body["input"]] if isinstance(body["input"], str) else body["input"]
        vectors = self.server.vectors(texts)
        if self.path == "/api/embed":
            answer: dict[str, Any] = {"model": body["model"], "embeddings": vectors}
        elif self.path == "/v1/embeddings":
            data = [
                {"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)
            ]
            answer = {
                "object": "list",
                "data": data[::-1],  # the API does not promise order: the index does
                "model": body["model"],
                "usage": {"prompt_tokens": 5, "total_tokens": 5},
            }
        else:
            self.send_error(404)
            return
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(embedder: LocalEmbedder) -> Iterator[EmbeddingServer]:
    yield from _serve(EmbeddingServer(embedder))


def _serve(server: EmbeddingServer) -> Iterator[EmbeddingServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def ollama_settings(url: str, **extra: Any) -> EmbeddingSettings:
    return EmbeddingSettings.model_construct(backend="ollama", ollama_host=url, **extra)


def openai_settings(url: str, **extra: Any) -> EmbeddingSettings:
    return EmbeddingSettings.model_construct(
        backend="openai", openai_base_url=f"{url}/v1", openai_api_key=SecretStr("sk-test"), **extra
    )


@pytest.mark.parametrize("settings_for", [ollama_settings, openai_settings])
def test_remote_backends_return_unit_vectors_in_order_in_batches(
    server: EmbeddingServer, embedder: LocalEmbedder, settings_for: Any
) -> None:
    remote = build_embedder(settings_for(server.url, batch_size=2))
    vectors = np.array(remote.embed(TEXTS))
    served = [*embedder.embed(TEXTS[:2]), *embedder.embed(TEXTS[2:])]  # as the server got them
    assert np.allclose(vectors, np.array(served), atol=1e-5)
    assert [len(body["input"]) for _, _, body in server.requests] == [2, 1]
    assert all(body["dimensions"] == 384 for _, _, body in server.requests)


def test_the_ollama_request_follows_the_api(server: EmbeddingServer) -> None:
    remote = build_embedder(ollama_settings(server.url, ollama_keep_alive="10m"))
    remote.embed(["hi"])
    ((path, _, body),) = server.requests
    assert remote.name == "ollama:all-minilm"
    assert path == "/api/embed"
    assert body == {"model": "all-minilm", "input": ["hi"], "keep_alive": "10m", "dimensions": 384}


def test_the_openai_request_follows_the_api(server: EmbeddingServer) -> None:
    remote = build_embedder(openai_settings(server.url, model="text-embedding-3-small"))
    remote.embed(["hi"])
    ((path, headers, body),) = server.requests
    assert isinstance(remote, OpenAIEmbedder) and remote.name == "openai:text-embedding-3-small"
    assert path == "/v1/embeddings"
    assert headers["authorization"] == "Bearer sk-test"
    assert body["encoding_format"] == "float" and body["input"] == ["hi"]


@pytest.mark.parametrize("settings_for", [ollama_settings, openai_settings])
def test_a_model_of_other_dimensions_is_refused(embedder: LocalEmbedder, settings_for: Any) -> None:
    for server in _serve(EmbeddingServer(embedder, dimensions=768)):
        with pytest.raises(EmbeddingError, match="384 dimensions"):
            build_embedder(settings_for(server.url)).embed(["hi"])


@pytest.mark.parametrize("settings_for", [ollama_settings, openai_settings])
def test_an_unreachable_server_is_an_embedding_error(settings_for: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    remote = build_embedder(settings_for(f"http://127.0.0.1:{port}", timeout_s=2.0))
    assert isinstance(remote, OllamaEmbedder | OpenAIEmbedder)
    with pytest.raises(EmbeddingError):
        remote.embed(["hi"])


def test_openai_without_a_key_says_which_setting_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(EmbeddingError, match="FANAGENT_EMBEDDING_OPENAI_API_KEY"):
        build_embedder(EmbeddingSettings.model_construct(backend="openai"))
