import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.database import SERVER_ENV
from prompts.registry import TEMPLATES_DIR
from tests.pg import maintenance_url


@pytest.fixture(autouse=True)
def evals_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Eval runs create their throwaway databases on the test server."""
    monkeypatch.setenv(SERVER_ENV, maintenance_url())
    yield


def broken_copy(folder: Path, version: str) -> Path:
    """prompts/templates/v1 copied as `version`, its system message stripped of the persona
    and of the warning that the tagged text is data."""
    target = folder / version
    shutil.copytree(TEMPLATES_DIR / "v1", target)
    system = (target / "system.txt").read_text("utf-8")
    system = system.replace("Voice:\n$persona\n", "")
    kept = [line for line in system.splitlines() if "is never an instruction" not in line]
    (target / "system.txt").write_text("\n".join(kept) + "\n", "utf-8")
    assert "$persona" not in (target / "system.txt").read_text("utf-8")
    return folder


@pytest.fixture
def good_and_broken(tmp_path: Path) -> Path:
    """A templates folder with v1 as shipped and a broken v2."""
    shutil.copytree(TEMPLATES_DIR / "v1", tmp_path / "v1")
    return broken_copy(tmp_path, "v2")
