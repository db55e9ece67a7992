"""The extraction scorer on hand-made pages (the dev floors: test_quality_floors.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation.extraction import evaluate, score_page, shingles


def test_shingles_are_lowercased_word_4grams_with_counts() -> None:
    counts = shingles("The cat, the CAT! the cat the")
    assert counts[("the", "cat", "the", "cat")] == 2
    assert counts[("cat", "the", "cat", "the")] == 2
    assert sum(counts.values()) == 4
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles("") == {}


def test_score_page_on_hand_made_strings() -> None:
    gold = "a b c d e f"  # shingles: abcd bcde cdef
    assert score_page(gold, "a b c d e f") == (1.0, 1.0, 1.0)
    precision, recall, f1 = score_page(gold, "a b c d e x y")  # abcd bcde right, cdex dexy wrong
    assert (precision, recall) == (0.5, 2 / 3)
    assert f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert score_page(gold, "") == (0.0, 0.0, 0.0)
    assert score_page(gold, "p q r s") == (0.0, 0.0, 0.0)


def test_missing_folder_is_an_eval_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match=r"ground-truth\.json"):
        evaluate(tmp_path)


def test_small_folder_is_scored(tmp_path: Path) -> None:
    import gzip

    body = " ".join(f"Sentence number {i} tells the reader what happened in the town." for i in range(8))
    html = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{body}</p></article></body></html>"
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "html" / "p2.html.gz").write_bytes(
        gzip.compress(b"<html><body><nav>Home</nav></body></html>")
    )
    truth = {
        "p1": {"articleBody": body, "url": "https://x.example/1"},
        "p2": {"articleBody": body, "url": None},
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    result = evaluate(tmp_path)
    assert result.metrics["n"] == 2
    assert result.metrics["f1"] == pytest.approx(0.5)  # the page without article scores 0
    assert {"n", "precision", "recall", "f1"} <= set(result.metrics)
