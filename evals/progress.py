"""Progress on stderr: a bar redrawn in place on a terminal, one line per case otherwise."""

import sys
from typing import TextIO

WIDTH = 24


class Progress:
    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = self.stream.isatty()

    def note(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def case(self, suite: str, done: int, total: int, case_id: str, status: str) -> None:
        if self.quiet:
            return
        filled = WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (WIDTH - filled)
        line = f"[{suite:<8}] {bar} {done:>3}/{total:<3} {case_id} {status}"
        if self.live:
            end = "\n" if done == total else ""
            print(f"\r{line:<90}", end=end, file=self.stream, flush=True)
        else:
            print(line, file=self.stream, flush=True)
