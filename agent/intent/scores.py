"""A confidence for every label and the labels those confidences detect."""

from collections.abc import Mapping
from dataclasses import dataclass

from agent.intent.signals import LABELS, NONE, SIGNALS


@dataclass(frozen=True)
class Scores:
    confidences: dict[str, float]  # every label of LABELS, 0..1, in LABELS order
    detected: tuple[str, ...]  # the signals that cleared their thresholds, or ("none",)


def decide(confidences: Mapping[str, float], thresholds: Mapping[str, float]) -> Scores:
    """The signals at or above their thresholds, or "none": when no signal clears its threshold,
    or when "none" clears its own and is more confident than every signal that did."""
    detected = tuple(signal for signal in SIGNALS if confidences[signal] >= thresholds[signal])
    none = confidences[NONE]
    if not detected or (none >= thresholds[NONE] and none > max(confidences[s] for s in detected)):
        detected = (NONE,)
    return Scores({label: confidences[label] for label in LABELS}, detected)
