"""The memo lemmatizer sets the lemmas the model's own lemmatizer sets."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from spacy.attrs import LEMMA
from spacy.language import Language

from sitroom.read.lemmas import MemoLemmatizer

DEMO = Path(__file__).resolve().parents[2] / "src" / "sitroom" / "data" / "demo"
IRREGULAR = (
    "Militants were shelling the hospitals; the army hopes it raped no one, sources say. "
    "Gunmen fled, children went and wolves were seen; the better, best-armed units rated it worse."
)


@lru_cache(maxsize=1)
def model() -> Language:
    from sitroom.read.nlp import load_model

    return load_model(disable=["ner"])


@pytest.mark.model
def test_same_lemmas_as_the_models_lemmatizer_twice_over() -> None:
    """On the demo pages and irregular forms, one Doc an article and one a sentence; the
    second pass answers from the memo."""
    from sitroom.ingest.extract import extract_article
    from sitroom.ingest.sources import now_utc
    from sitroom.models import RawDocument

    nlp = model()
    stock = nlp.get_pipe("lemmatizer")
    texts = [IRREGULAR] + [
        extract_article(
            RawDocument(origin=str(p), data=p.read_bytes(), captured_at=now_utc(), kind="html")
        ).text
        for p in sorted(DEMO.glob("*.html"))
    ]
    docs = list(nlp.pipe(texts, disable=["lemmatizer"]))
    sentences = [sentence.as_doc() for doc in docs for sentence in doc.sents]
    memo = MemoLemmatizer(stock)
    for group in (docs, sentences, docs):
        expected = [stock(doc.copy()) for doc in group]
        got = list(memo.pipe(doc.copy() for doc in group))
        assert all(
            (a.to_array([LEMMA]) == b.to_array([LEMMA])).all() for a, b in zip(expected, got, strict=True)
        )
    assert len(sentences) > 50
    assert [t.lemma_ for t in got[0]][:4] == ["militant", "be", "shell", "the"]


@pytest.mark.model
def test_a_lemma_set_before_is_kept_as_the_stock_one_keeps_it() -> None:
    nlp = model()
    memo = MemoLemmatizer(nlp.get_pipe("lemmatizer"))
    doc = nlp("Fighters shelled the town.", disable=["lemmatizer"])
    doc[1].lemma_ = "bombard"
    memo(doc)
    assert [t.lemma_ for t in doc] == ["fighter", "bombard", "the", "town", "."]
