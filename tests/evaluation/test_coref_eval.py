"""The coref evaluation: B3 scoring on hand-made partitions (the dev floor: test_quality_floors.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation.coref import evaluate, score_b3


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ([1, 1, 2, 2], ["a", "a", "b", "b"], (1.0, 1.0, 1.0)),
        ([1, 1, 1, 1], ["a", "a", "b", "b"], (0.5, 1.0, 2 / 3)),
        ([1, 2, 3, 4], ["a", "a", "b", "b"], (1.0, 0.5, 2 / 3)),
    ],
)
def test_b3_on_hand_made_partitions(predicted, gold, expected):
    assert score_b3(predicted, gold) == pytest.approx(expected)


def _write(folder: Path, name: str, title: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"title": title, "text": text}), encoding="utf-8")


def test_evaluate_on_a_tiny_layout(tmp_path):
    quake = "A magnitude 6.1 earthquake struck Lorca in Murcia on Wednesday, killing 9 people."
    pirates = "The Indian navy frigate INS Mysore captured 23 Somali pirates in the Gulf of Aden on Saturday."
    for n in range(3):
        _write(tmp_path / "1ecb", f"1_{n}ecb.json", "Earthquake hits Lorca", quake)
        _write(tmp_path / "2ecb", f"2_{n}ecb.json", "Navy captures pirates", pirates)
    result = evaluate(tmp_path)
    assert set(result.metrics) >= {"n", "b3_f1", "b3_precision", "b3_recall"}
    assert result.metrics["n"] == 6
    assert result.metrics["b3_f1"] == 1.0


def test_evaluate_rejects_an_empty_folder(tmp_path):
    with pytest.raises(EvalError, match="no <subtopic>"):
        evaluate(tmp_path)
