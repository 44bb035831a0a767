"""The vcrpy cassettes the LLM suites replay: evals/cassettes/<prompt version>/<suite>.yaml
for the full prompt, evals/cassettes/<prompt version>/compact/<suite>.yaml for the compact one.

Recorded through the `openai` backend against the embedded SmolLM2-135M served by
llama-cpp-python's OpenAI-compatible server on RECORDING_URL (evals/README.md says how).
Requests match on method, URL and a JSON-equal body, so a prompt that renders differently from
the recording finds no answer: the run reports it as a replay miss (re-record, or look at what
changed), it never reaches the network. Credentials never reach a cassette: request and response
headers that could carry one are dropped while recording.
"""

import json
import os
import re
from pathlib import Path
from typing import Any, Literal

import vcr
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

from agent.graph.deps import Profile

CASSETTES = Path(__file__).resolve().parent / "cassettes"
RECORDING_URL = "http://127.0.0.1:18471/v1"  # where the recording server listens, by default
# Another address for it (a port of its own on a shared machine); cassettes store RECORDING_URL.
RECORDING_URL_ENV = "FANAGENT_EVALS_RECORDING_URL"
RECORDING_MODEL = "SmolLM2-135M-Instruct"  # its --model_alias
RECORDING_KEY = "no-key-llama-cpp-server"  # the openai client wants one; the server ignores it
SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "set-cookie",
    "openai-organization",
    "openai-project",
)


def cassette_path(
    version: str, suite: str, folder: Path = CASSETTES, profile: Profile = "full"
) -> Path:
    under = folder / version if profile == "full" else folder / version / profile
    return under / f"{suite}.yaml"


# What a tool result carries that the database makes up on each run: a new row's id and time.
_MADE_UP = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00"
)


def _json(body: bytes | str | None) -> Any:
    if not body:
        return None
    text = body.decode() if isinstance(body, bytes) else body
    return json.loads(_MADE_UP.sub("<made up>", text))


def _same_json_body(r1: Request, r2: Request) -> None:
    """JSON-equal bodies, random row ids and the database's timestamps aside (the evals' own
    ids are uuid5 and their times fixed, so those still match exactly)."""
    assert _json(r1.body) == _json(r2.body), "request bodies differ"


def recording_server() -> str:
    """The recording server's base URL: RECORDING_URL unless RECORDING_URL_ENV names another."""
    return os.environ.get(RECORDING_URL_ENV, RECORDING_URL)


def as_recorded(request: Request) -> Request:
    """The request as cassettes store it: sent to RECORDING_URL, wherever the server listened,
    so a recording made on another port replays like any other."""
    server = recording_server()
    if server == RECORDING_URL or not request.uri.startswith(server):
        return request
    return Request(
        request.method, RECORDING_URL + request.uri[len(server) :], request.body, request.headers
    )


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        name: value
        for name, value in response["headers"].items()
        if name.lower() not in SECRET_HEADERS
    }
    return response


def recorder(mode: Literal["replay", "record"], library: Path | None = None) -> vcr.VCR:
    """Replay: a request without its recorded answer raises; record: every request is recorded
    (the caller removes the old cassette first). `library`: where relative cassette paths start
    (the tests' cassettes use it). Every cassette of the project is recorded through this."""
    config = vcr.VCR(
        cassette_library_dir=str(library) if library else None,
        record_mode="none" if mode == "replay" else "all",
        match_on=["method", "scheme", "host", "port", "path", "query", "json_body"],
        filter_headers=list(SECRET_HEADERS),
        before_record_request=as_recorded,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    config.register_matcher("json_body", _same_json_body)
    return config


def is_replay_miss(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is a request the cassette has no answer for."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, CannotOverwriteExistingCassetteException):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
