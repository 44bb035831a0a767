"""A local HTTP server that answers from a script, to test retries, timeouts and repair."""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    delay_s: float = 0.0


def json_answer(payload: Any, status: int = 200, delay_s: float = 0.0) -> Answer:
    return Answer(status, json.dumps(payload).encode(), delay_s=delay_s)


@dataclass
class Script:
    """The answers, in order (the last one repeats), and the JSON bodies received."""

    answers: list[Answer]
    requests: list[Any]
    url: str = ""

    @property
    def hits(self) -> int:
        return len(self.requests)


@contextmanager
def scripted_server(*answers: Answer) -> Iterator[Script]:
    script = Script(list(answers), [])
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                script.requests.append(json.loads(body or b"null"))
                answer = script.answers[min(len(script.requests), len(script.answers)) - 1]
            time.sleep(answer.delay_s)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): expected in the timeout tests

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    script.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()
