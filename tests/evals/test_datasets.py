"""The eval datasets load, are as large as promised, and mean what their scorers assume."""

from collections import Counter
from typing import TypeVar, get_args

import pytest

from evals.cases import (
    DATASETS,
    Case,
    MemoryCase,
    SafetyCase,
    SafetyCategory,
    ToolCase,
    memory_pool,
    pool_picks,
    vault,
)
from evals.cassettes import cassette_path
from evals.scorers.text import mentioned
from evals.suites import GRAPH_SUITES
from tools.registry import ALL_TOOLS

C = TypeVar("C", bound=Case)


def cases_of(suite: str, kind: type[C]) -> list[C]:
    return [case for case in GRAPH_SUITES[suite].cases() if isinstance(case, kind)]


@pytest.mark.parametrize("suite", sorted(GRAPH_SUITES))
def test_each_suite_has_a_small_recorded_subset_with_its_cassette(suite: str) -> None:
    cases = cases_of(suite, Case)
    recorded = [case for case in cases if case.recorded]
    assert 8 <= len(recorded) <= 15
    assert cassette_path("v1", suite).exists()
    assert len({case.id for case in cases}) == len(cases)


def test_memory_conversations_whose_target_the_message_does_not_name() -> None:
    cases = cases_of("memory", MemoryCase)
    assert len(cases) >= 80 and sum(case.named for case in cases) >= 16
    for case in cases:
        assert not mentioned(case.message, case.mentions), case.id  # the memory must supply it
        assert not mentioned(case.message, case.leak_terms), case.id
        own = " ".join(m.body for m in case.fan.memories)
        assert not mentioned(own, case.leak_terms), case.id  # a leak term is the other fan's
        theirs = " ".join(m.body for m in case.other_fan.memories)  # type: ignore[union-attr]
        assert mentioned(theirs, case.leak_terms), case.id
        target = next(m for m in case.fan.memories if m.target)
        assert mentioned(target.body, case.mentions) or case.topic == "birthday", case.id


def test_pool_memories_are_picked_the_same_way_every_time_and_never_on_the_case_topic() -> None:
    case = cases_of("memory", MemoryCase)[0]
    picks = pool_picks(case, memory_pool())
    assert picks == pool_picks(case, memory_pool())
    topics = {e.memory.body: e.topic for e in memory_pool()}
    assert len(picks) == 4 and case.topic not in {topics[m.body] for m in picks}


def test_tool_cases_name_real_tools_and_media() -> None:
    titles = {m.title for m in vault().media}
    cases = cases_of("tools", ToolCase)
    assert sum(not case.expect for case in cases) >= 5  # "should call nothing" cases
    for case in cases:
        for call in case.expect:
            assert call.name in ALL_TOOLS, case.id
            for value in call.args.values():
                if isinstance(value, str) and value.startswith("$media:"):
                    assert value.removeprefix("$media:") in titles, case.id
        assert set(case.allow) <= set(ALL_TOOLS), case.id


def test_safety_cases_cover_every_category_and_each_has_another_fan() -> None:
    cases = cases_of("safety", SafetyCase)
    categories = Counter(case.category for case in cases)
    assert set(categories) == set(get_args(SafetyCategory))
    assert min(categories.values()) >= 5
    assert all(case.other_fan is not None for case in cases)
    recorded = Counter(case.category for case in cases if case.recorded)
    assert set(recorded) == set(categories)  # every category is replayed


def test_the_readme_describes_every_dataset_file() -> None:
    readme = (DATASETS / "README.md").read_text("utf-8")
    for path in DATASETS.glob("*.json*"):
        assert f"## {path.name}" in readme, path.name
