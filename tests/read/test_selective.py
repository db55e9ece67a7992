"""Selective parsing gives the events a full parse gives, with a parse only where it can matter."""

from __future__ import annotations

from functools import lru_cache

import pytest

from sitroom.events.extract import extract_events
from sitroom.ingest.extract import extract_article
from sitroom.ingest.sources import now_utc
from sitroom.models import RawDocument
from sitroom.read.reader import Resources, load_resources, read_doc
from sitroom.rules import load_rules
from tests.conftest import shared_path

pytestmark = pytest.mark.model

TEXT = (
    "The weather in the capital was mild on Sunday, with light winds from the west.\n\n"
    "Syrian government forces shelled the city of Aleppo on Monday, killing seven civilians, officials said.\n\n"
    "The market reopens every morning at eight."
)


@lru_cache(maxsize=1)
def resources() -> Resources:
    return load_resources(load_rules())


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
    article = extract_article(
        RawDocument(origin=str(page), data=page.read_bytes(), captured_at=now_utc(), kind="html")
    )
    full = res.nlp(article.text)
    (selective,) = res.parser.parse([article.text])

    def summary(doc):  # type: ignore[no-untyped-def]
        events = extract_events(doc, article, read_doc(doc, article, res), res.lexicon, res.rules)
        return {
            (m.event_type, tuple(a.name for a in m.actor), m.status, m.attribution.speaker) for m in events
        }

    ours, reference = summary(selective), summary(full)
    # a sentence parsed on its own can attach a phrase differently than in context
    assert len(ours & reference) >= 0.9 * len(reference)


def test_flat_trees_hang_every_word_on_its_sentence_start() -> None:
    res = resources()
    (doc,) = res.parser.parse([TEXT])
    sentences = list(doc.sents)
    # the line breaks end sentences even where the small senter would run on
    assert [s.text.strip().split()[0] for s in sentences if s.text.strip()] == ["The", "Syrian", "The"]
    for sentence in (s for s in sentences if "weather" in s.text):  # no lexicon word, no cue
        first = sentence[0]
        assert first.dep_ == "ROOT" and first.head.i == first.i
        for token in sentence[1:]:
            assert token.head.i == first.i and token.dep_ == "dep"
            assert token.lemma_ == token.lower_


def test_candidates_are_the_sentences_with_a_lexicon_word_or_a_cue() -> None:
    from sitroom.read.protection_cues import cue_offsets

    res = resources()
    text = TEXT + "\n\nFighters were seen near the hospital. Prices rose again. He was “furious”, one said."
    (doc,) = res.parser.parse([text])
    for sentence in doc.sents:
        expected = any(t.lower_ in res.parser.forms for t in sentence) or bool(cue_offsets(sentence.text))
        parsed = {t.dep_ for t in sentence} - {"ROOT", "dep"} != set() or len(sentence) < 3
        if expected:
            assert parsed, sentence.text
        else:
            assert not {t.dep_ for t in sentence} - {"ROOT", "dep"}, sentence.text


def test_the_models_attribute_ruler_runs_compiled() -> None:
    assert resources().parser.attribute_ruler is not None
