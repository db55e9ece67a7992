"""The compiled attribute ruler sets what spaCy's AttributeRuler sets, batch or not."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from sitroom.read.attributes import CompiledAttributeRuler, NotCompilable

DEMO = Path(__file__).resolve().parents[2] / "src" / "sitroom" / "data" / "demo"
ATTRS = [TAG, POS, MORPH, LEMMA, DEP]
CONTRACTIONS = (
    "We ain't gonna let 's go, y'all were doin' nothin' with 'em. I ca n't say it. There is a road, "
    "and they'd been being had. Somebody said that it would, but it did not."
)


def toy_ruler() -> tuple[Language, AttributeRuler]:
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "shelled"}]], {"LEMMA": "shell", "POS": "VERB"})
    ruler.add([[{"LOWER": {"IN": ["shelled", "struck"]}}]], {"POS": "AUX"})  # later: overrides POS only
    ruler.add([[{"LOWER": "car"}, {"LOWER": "bomb"}]], {"LEMMA": "device"}, index=1)
    ruler.add([[{"LOWER": {"REGEX": "^al-"}}]], {"POS": "PROPN"})
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    return nlp, ruler


def annotations(docs: list[Doc]) -> list[list[tuple[str, str, str]]]:
    return [[(t.lemma_, t.pos_, str(t.morph)) for t in doc] for doc in docs]


def test_later_patterns_override_and_matches_stay_within_a_doc() -> None:
    nlp, ruler = toy_ruler()
    texts = ["Forces shelled al-Bab", "a car", "bomb struck  the car bomb"]  # "car" | "bomb" across two Docs
    stock = [ruler(nlp.make_doc(text)) for text in texts]
    compiled = list(CompiledAttributeRuler(ruler).pipe(nlp.make_doc(text) for text in texts))
    assert annotations(compiled) == annotations(stock)
    assert annotations(compiled)[0][1] == ("shell", "AUX", "")
    assert [t.lemma_ for t in compiled[1]] == ["", ""]  # no "car bomb" across Docs
    assert [t.lemma_ for t in compiled[2]][-2:] == ["", "device"]


@pytest.mark.parametrize(
    "pattern",
    [[{"ORTH": "x"}], [{"LOWER": "x", "OP": "+"}], [{"TAG": {"REGEX": "^N"}}], [{"LOWER": {">=": 3}}]],
)
def test_what_is_not_compiled_is_refused(pattern) -> None:
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([pattern], {"LEMMA": "y"})
    with pytest.raises(NotCompilable):
        CompiledAttributeRuler(ruler)


@lru_cache(maxsize=1)
def model() -> Language:
    from sitroom.read.nlp import load_model

    return load_model(disable=["ner"])


@pytest.mark.model
def test_the_models_ruler_compiles_to_the_same_annotations() -> None:
    """On the demo pages and contractions, whole Docs and one Doc a sentence (as the
    selective parse passes them, batched)."""
    from sitroom.ingest.extract import extract_article
    from sitroom.ingest.sources import now_utc
    from sitroom.models import RawDocument

    nlp = model()
    ruler = nlp.get_pipe("attribute_ruler")
    texts = [CONTRACTIONS] + [
        extract_article(
            RawDocument(origin=str(p), data=p.read_bytes(), captured_at=now_utc(), kind="html")
        ).text
        for p in sorted(DEMO.glob("*.html"))
    ]
    docs = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer"]))
    sentences = [sentence.as_doc() for doc in docs for sentence in doc.sents]
    compiled = CompiledAttributeRuler(ruler)
    for group in (docs, sentences):
        stock = [ruler(doc.copy()) for doc in group]
        mine = list(compiled.pipe(doc.copy() for doc in group))
        assert all((a.to_array(ATTRS) == b.to_array(ATTRS)).all() for a, b in zip(stock, mine, strict=True))
    assert len(sentences) > 50
