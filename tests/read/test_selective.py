"""Selective parsing gives the events a full parse gives, with a parse only where it can matter."""

from __future__ import annotations

from functools import lru_cache

import pytest

from sitroom.events.extract import extract_events
from sitroom.ingest.extract import extract_article
from sitroom.ingest.sources import now_utc
from sitroom.models import RawDocument
from sitroom.read.reader import Resources, load_resources, read_doc
from tests.conftest import shared_path

pytestmark = pytest.mark.model

TEXT = (
    "The weather in the capital was mild on Sunday, with light winds from the west.\n\n"
    "Syrian government forces shelled the city of Aleppo on Monday, killing seven civilians, officials said.\n\n"
    "The market reopens every morning at eight."
)


@lru_cache(maxsize=1)
def resources() -> Resources:
    return load_resources()


def test_only_candidate_sentences_are_parsed_and_offsets_stay() -> None:
    res = resources()
    (doc,) = res.parser.parse([TEXT])
    assert doc.text == TEXT
    sentences = list(doc.sents)
    shelling = next(s for s in sentences if "shelled" in s.text)
    assert {t.dep_ for t in shelling} >= {"nsubj", "dobj"}
    weather = next(s for s in sentences if "weather" in s.text)
    assert {t.dep_ for t in weather} <= {"ROOT", "dep"}  # a flat tree: nothing to read there
    assert [e.text for e in doc.ents if e.label_ == "GPE"] == ["Aleppo"]


def test_events_equal_a_full_parse_on_the_seed() -> None:
    res = resources()
    page = shared_path("seed") / "aleppo-2026-01.html"
    article = extract_article(RawDocument(origin=str(page), data=page.read_bytes(), captured_at=now_utc(), kind="html"))
    full = res.nlp(article.text)
    (selective,) = res.parser.parse([article.text])

    def summary(doc):  # type: ignore[no-untyped-def]
        events = extract_events(doc, article, read_doc(doc, article, res), res.lexicon)
        return {(m.event_type, tuple(a.name for a in m.actor), m.status, m.attribution.speaker) for m in events}

    ours, reference = summary(selective), summary(full)
    # a sentence parsed on its own can attach a phrase differently than in context
    assert len(ours & reference) >= 0.9 * len(reference)
