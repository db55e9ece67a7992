"""Texts over spaCy's ``max_length`` are read in pieces that join back to the whole text."""

from __future__ import annotations

import pytest

from sitroom.read.nlp import split_long_text
from sitroom.read.reader import load_resources
from sitroom.rules import load_rules

TEXT = (
    "The weather in the capital was mild on Sunday, with light winds from the west.\n\n"
    "Syrian government forces shelled the city of Aleppo on Monday, killing seven civilians, "
    "officials said. The Kurdish YPG said Hamas was not there.\n\n"
    "The market reopens every morning at eight."
)


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("short", 10, ["short"]),
        ("one two.\n\nthree four.\n\nfive", 20, ["one two.\n\n", "three four.\n\nfive"]),
        ("It rained. It poured. Then it stopped", 25, ["It rained. It poured. ", "Then it stopped"]),
        ("alpha beta gamma delta", 12, ["alpha beta ", "gamma delta"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # no break at all: cut at the limit
        ("a.\n\n\nb", 5, ["a.\n\n\n", "b"]),  # a run of blank lines stays whole
    ],
)
def test_pieces_end_at_the_best_break_that_fits_and_join_back(
    text: str, limit: int, pieces: list[str]
) -> None:
    assert split_long_text(text, limit) == pieces
    assert "".join(pieces) == text and all(len(p) <= limit for p in pieces)


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_long_text("text", 0)


@pytest.mark.model
def test_a_text_read_in_pieces_keeps_its_offsets_entities_and_parse() -> None:
    resources = load_resources(load_rules())
    (whole,) = resources.parser.parse([TEXT])
    resources.nlp.max_length = 100  # so that TEXT (263 characters) is read in pieces
    try:
        (pieced,) = resources.parser.parse([TEXT])
    finally:
        resources.nlp.max_length = 1_000_000
    assert pieced.text == TEXT
    assert [(e.start_char, e.end_char, e.label_, e.id_) for e in pieced.ents] == [
        (e.start_char, e.end_char, e.label_, e.id_) for e in whole.ents
    ]
    shelled = next(t for t in pieced if t.text == "shelled")
    assert shelled.dep_ == "ROOT" and [c.dep_ for c in shelled.children][:2] == ["nsubj", "dobj"]
    assert [s.start_char for s in pieced.sents][:2] == [0, 80]
