"""re3d NER scorer: gold reading, label table, span convention, metric keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.errors import EvalError
from sitroom.evaluation.datasets import find_data
from sitroom.evaluation.ner import RE3D_DOCUMENTS, RE3D_ENTITIES, evaluate, re3d_span, re3d_type, read_re3d

TEXT = "The regime shelled Aleppo. The Foreign Secretary Philip Hammond met Syrians from the SDF."


def entity(doc_id: str, value: str, kind: str, confidence: float, start: int = 0) -> dict[str, object]:
    begin = TEXT.index(value, start)
    return {
        "_id": f"{doc_id}-{begin}-{kind}",
        "documentId": doc_id,
        "begin": begin,
        "end": begin + len(value),
        "type": kind,
        "value": value,
        "confidence": confidence,
    }


@pytest.fixture
def re3d_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "Some Source"
    folder.mkdir()
    (folder / "documents.json").write_text(json.dumps({"_id": "D1", "text": TEXT, "title": "t"}) + "\n")
    rows = [
        entity("D1", "The regime", "Organisation", 1),
        entity("D1", "Aleppo", "Location", 1),
        entity("D1", "Aleppo", "Organisation", 0),
        entity("D1", "The Foreign Secretary Philip Hammond", "Person", 1),
        entity("D1", "Syrians", "Organisation", 1),
        entity("D1", "the SDF", "Organisation", 1),
        entity("D1", "Hammond", "Person", 0.2),
    ]
    (folder / "entities.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path


def test_read_re3d_keeps_confident_gold(re3d_dir: Path) -> None:
    texts, gold = read_re3d(find_data(re3d_dir, RE3D_DOCUMENTS), find_data(re3d_dir, RE3D_ENTITIES))
    assert texts == {"D1": TEXT}
    assert {t[2] for t in gold["D1"]} == {"Organisation", "Location", "Person"}
    assert len(gold["D1"]) == 5


def test_missing_folder_is_an_eval_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="ner-conflict"):
        evaluate(tmp_path / "absent")


def make_doc(words: list[str], ents: list[str], tags: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, ents=ents, tags=tags)


def test_label_table_and_determiner_convention() -> None:
    doc = make_doc(
        ["the", "Syrian", "army", "and", "Syrians", "met", "the", "Syrian", "envoy", "Ali"],
        ["O", "B-ORG", "I-ORG", "O", "B-NORP", "O", "O", "B-NORP", "O", "B-PERSON"],
        ["DT", "JJ", "NN", "CC", "NNPS", "VBD", "DT", "JJ", "NN", "NNP"],
    )
    army, syrians, syrian, person = doc.ents
    assert re3d_span(syrian) == (syrian.start_char - len("the "), syrian.end_char)
    assert [re3d_type(e) for e in doc.ents] == ["Organisation", "Organisation", "Nationality", "Person"]
    assert re3d_span(army) == (0, len("the Syrian army"))
    assert re3d_span(syrians) == (syrians.start_char, syrians.end_char)
    assert re3d_span(person) == (person.start_char, person.end_char)


@pytest.mark.model
def test_evaluate_reports_promised_keys(re3d_dir: Path) -> None:
    result = evaluate(re3d_dir)
    for key in ("n", "micro_f1", "f1_Organisation", "f1_Location", "f1_Person", "stock_micro_f1"):
        assert key in result.metrics
    assert result.metrics["n"] == 1
    assert result.metrics["micro_f1"] > result.metrics["stock_micro_f1"]
    assert any(line.startswith("stock spaCy") for line in result.lines)
