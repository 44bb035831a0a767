import numpy as np
import pytest

from agent.intent.metrics import expected_calibration_error, f1, per_label


def test_f1_and_per_label_scores_on_a_worked_example() -> None:
    truth = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], dtype=bool)
    predicted = np.array([[1, 1], [0, 1], [0, 1], [0, 0]], dtype=bool)
    first, second = per_label(["a", "b"], truth, predicted)
    assert (first.precision, first.recall, first.f1, first.support) == (1.0, 0.5, 2 / 3, 2)
    assert (second.precision, second.recall, second.f1) == (2 / 3, 1.0, 0.8)
    assert f1(truth, predicted) == pytest.approx(2 * 3 / (4 + 4))  # micro: 3 hits
    assert f1(np.zeros(3, dtype=bool), np.zeros(3, dtype=bool)) == 0.0


def test_expected_calibration_error() -> None:
    # Bin 0.8-0.9: confidence 0.8, 3 of 4 right (0.75); bin 0.2-0.3: confidence 0.2, 0 of 4 right.
    confidences = np.array([0.8] * 4 + [0.2] * 4)
    outcomes = np.array([1, 1, 1, 0, 0, 0, 0, 0], dtype=bool)
    assert expected_calibration_error(confidences, outcomes) == pytest.approx(
        0.5 * 0.05 + 0.5 * 0.2
    )
    perfect = np.array([1.0, 0.0])
    assert expected_calibration_error(perfect, perfect.astype(bool)) == 0.0
