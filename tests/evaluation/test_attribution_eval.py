"""The PolNeAR scorer: BRAT reading, token counting, annotator averaging, folder layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation.attribution import (
    Tally,
    count_article,
    evaluate,
    parse_ann,
    read_articles,
)
from tests.conftest import shared_data

TEXT = "Officials said the talks failed. The army\nwithdrew, it added."
# Source "Officials" (0-9), cue "said" (10-14), content "the talks failed" (15-31); a second
# attribution with a discontinuous content and a span text that runs over a line break.
ANN = (
    "T1\tSource 0 9\tOfficials\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 31\tthe talks failed\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 33 41;42 50\tThe army\nwithdrew\n"
    "T6\tSource 52 54\tit\n"
    "#1\tAnnotatorNotes T6\ta note\n"
    "T7\tDiscard 0 4\tOffi\n"
)


def test_parse_ann_reads_roles_discontinuous_and_multiline_spans() -> None:
    spans = parse_ann(ANN)
    assert spans == {
        "source": [(0, 9), (52, 54)],
        "cue": [(10, 14)],
        "content": [(15, 31), (33, 41), (42, 50)],
    }


def test_count_article_is_token_level_and_averages_annotators() -> None:
    gold_a = parse_ann(ANN)
    gold_b = {"source": [(0, 9)], "cue": [(10, 14)], "content": []}
    # predicted source covers "Officials said": 1 of its 2 tokens is a gold source token
    predicted = {"source": [(0, 14)], "cue": [(10, 14)], "content": [(15, 24)]}
    tally = Tally()
    count_article(TEXT, predicted, [gold_a, gold_b], tally)
    source = tally.roles["source"]
    assert source.predicted == pytest.approx(2.0)
    assert source.overlap == pytest.approx(1.0)
    # annotator a has 2 gold source tokens (Officials, it), b has 1; each weighted 1/2
    assert source.gold == pytest.approx(1.5)
    p, r, f = source.scores()
    assert (p, r) == (pytest.approx(0.5), pytest.approx(2 / 3))
    assert f == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    content = tally.roles["content"]
    # "the talks" predicted; a: 3 of "the talks failed" + 2 of "The army withdrew" (3 tokens) -> 6 gold
    assert content.gold == pytest.approx(6 / 2)
    assert content.overlap == pytest.approx(2 / 2)


def _write_compartment(root: Path, name: str) -> None:
    (root / name / "text").mkdir(parents=True)
    (root / name / "attributions").mkdir()
    (root / name / "text" / "a1.txt").write_text(TEXT, encoding="utf-8")
    (root / name / "text" / "unannotated.txt").write_text("Nothing.", encoding="utf-8")
    (root / name / "attributions" / "a1_x1.ann").write_text(ANN, encoding="utf-8")
    (root / name / "attributions" / "a1_x2.ann").write_text("T1\tSource 0 9\tOfficials\n", encoding="utf-8")


def test_compartments_and_articles_are_found(tmp_path: Path) -> None:
    _write_compartment(tmp_path, "dev")
    _write_compartment(tmp_path, "train")
    articles = read_articles(tmp_path)
    assert [(a.compartment, a.name) for a in articles] == [("dev", "a1"), ("train", "a1")]
    assert [len(a.gold) for a in articles] == [2, 2]
    assert articles[0].text == TEXT
    assert [a.compartment for a in read_articles(tmp_path, compartments=["train"])] == ["train"]


def test_a_single_compartment_folder_is_accepted(tmp_path: Path) -> None:
    _write_compartment(tmp_path, "test")
    assert [(a.compartment, a.name) for a in read_articles(tmp_path / "test")] == [("test", "a1")]


def test_missing_layout_is_an_eval_error(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a1.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(EvalError, match="attribution"):
        read_articles(tmp_path)
    with pytest.raises(EvalError, match="not found"):
        read_articles(tmp_path / "absent")


def test_an_annotation_without_its_text_is_an_eval_error(tmp_path: Path) -> None:
    (tmp_path / "a1_x1.ann").write_text(ANN, encoding="utf-8")
    with pytest.raises(EvalError, match=r"a1\.txt"):
        read_articles(tmp_path)


@pytest.mark.model
@pytest.mark.shared
def test_evaluate_on_a_few_dev_articles() -> None:
    result = evaluate(shared_data("attribution"), compartments=["dev"], limit=3)
    assert result.metrics["n"] == 3
    assert {"n", "source_f1", "cue_f1", "content_f1"} <= set(result.metrics)
    assert result.lines[-1].startswith("parsed and attributed")
