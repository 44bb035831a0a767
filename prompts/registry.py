"""The prompt template versions under prompts/templates/.

Each version is a folder vN with a manifest.json naming, per prompt, its messages (role and
template file) and, for prompts answered in JSON, the output schema. Templates use
string.Template placeholders ($name); substitution is one pass, so a "$" in a fan's text is
never expanded. A version, once used for recorded cassettes, is changed only by adding the next.

The folders are read from prompts/templates/ unless a caller names another templates folder
(PromptSettings.templates_dir): a prompt being tried out, or a deliberately broken one in a test.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

from prompts.messages import Role

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PromptName = Literal["draft", "draft_compact", "repair", "classify", "judge"]
_VERSION = re.compile(r"v([1-9][0-9]*)")


class UnknownPrompt(LookupError):
    pass


class _ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messages: list[tuple[Role, str]]
    schema_file: str | None = None


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompts: dict[str, _ManifestEntry]


@dataclass(frozen=True)
class PromptTemplate:
    version: str
    name: PromptName
    messages: tuple[tuple[Role, Template], ...]
    json_schema: dict[str, Any] | None

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(p for _, template in self.messages for p in template.get_identifiers())


def versions(templates_dir: Path | None = None) -> list[str]:
    """The template versions, oldest first (in `templates_dir`, default prompts/templates)."""
    folder = templates_dir or TEMPLATES_DIR
    found = [d.name for d in folder.iterdir() if d.is_dir() and _VERSION.fullmatch(d.name)]
    return sorted(found, key=lambda name: int(name[1:]))


def latest(templates_dir: Path | None = None) -> str:
    return versions(templates_dir)[-1]


@lru_cache(maxsize=64)
def load(version: str, name: PromptName, templates_dir: Path | None = None) -> PromptTemplate:
    """One prompt of one version; UnknownPrompt if either does not exist."""
    have = versions(templates_dir)
    if version not in have:
        raise UnknownPrompt(f"no prompt version {version!r}; have {', '.join(have)}")
    if name not in get_args(PromptName):
        raise UnknownPrompt(f"no prompt {name!r}")
    folder = (templates_dir or TEMPLATES_DIR) / version
    manifest = _Manifest.model_validate_json((folder / "manifest.json").read_text("utf-8"))
    entry = manifest.prompts.get(name)
    if entry is None:
        raise UnknownPrompt(f"prompt version {version} has no {name!r} prompt")
    messages = tuple(
        (role, Template((folder / file).read_text("utf-8").strip()))
        for role, file in entry.messages
    )
    schema = (
        json.loads((folder / entry.schema_file).read_text("utf-8")) if entry.schema_file else None
    )
    return PromptTemplate(version, name, messages, schema)
