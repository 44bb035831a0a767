import pytest

from memory.settings import MemorySettings


@pytest.fixture
def settings() -> MemorySettings:
    """The documented defaults, whatever the environment says."""
    return MemorySettings.model_construct()
