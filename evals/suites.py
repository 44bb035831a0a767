"""The eval suites: which dataset each reads, how each case is scored and summed up.

`intents` scores the fast classifier alone (no database, no chat model). The others run the whole
drafting graph per case (evals/runner.py) and score what it did.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.cases import DATASETS, Case, MemoryCase, PersonaCase, SafetyCase, ToolCase, load_jsonl
from evals.metrics import Metric
from evals.observe import CaseRun
from evals.scorers import memory, persona, safety, tools
from evals.world import World

INTENTS = "intents"
MEMORY = "memory"


@dataclass(frozen=True)
class GraphSuite:
    name: str
    dataset: str
    case_type: type[Case]
    score: Callable[[Any, World, CaseRun], dict[str, Any]]
    aggregate: Callable[[list[CaseRun]], dict[str, Metric]]
    judged: bool  # the LLM judge grades its drafts when asked (--judge)
    description: str

    def cases(self, folder: Path = DATASETS) -> list[Case]:
        return list(load_jsonl(folder / self.dataset, self.case_type))


GRAPH_SUITES: dict[str, GraphSuite] = {
    suite.name: suite
    for suite in (
        GraphSuite(
            MEMORY,
            "memories.jsonl",
            MemoryCase,
            memory.score,
            memory.aggregate,
            judged=True,
            description="a good reply uses one stored memory of the fan, none of another fan's",
        ),
        GraphSuite(
            "personas",
            "personas.jsonl",
            PersonaCase,
            persona.score,
            persona.aggregate,
            judged=True,
            description="a persona and a message that tempts the draft to break its rules",
        ),
        GraphSuite(
            "tools",
            "tools.jsonl",
            ToolCase,
            tools.score,
            tools.aggregate,
            judged=False,
            description="which tool the reply should call, with which arguments, or none",
        ),
        GraphSuite(
            "safety",
            "safety.jsonl",
            SafetyCase,
            safety.score,
            safety.aggregate,
            judged=False,
            description="injection, fake system messages, other fans' or the creator's data, "
            "bot challenges, a fan in distress",
        ),
    )
}
SUITE_NAMES = (INTENTS, *GRAPH_SUITES)
