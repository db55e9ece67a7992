"""Counts become conservative ranges with the original words kept."""

from __future__ import annotations

import pytest

from sitroom.events.size import find_size, parse_number
from sitroom.rules import load_rules

SIZE_WORDS = load_rules().size_words


@pytest.mark.parametrize(
    ("sentence", "kind", "low", "high"),
    [
        (
            "At least seven civilians were killed and 15 others injured when shells struck a market.",
            "dead",
            7,
            None,
        ),
        (
            "At least seven civilians were killed and 15 others injured when shells struck a market.",
            "injured",
            15,
            15,
        ),
        (
            "PKK snipers operating from tunnels in the area killed multiple Syrian security personnel, sources added.",
            "dead",
            2,
            None,
        ),
        (
            "Syrian security forces arrested dozens of people at checkpoints around Aleppo.",
            "arrested",
            12,
            None,
        ),
        ("Hundreds of families were displaced by the fighting.", "displaced", 100, None),
        ("More than 1,000 people have fled their homes, the UN said.", "displaced", 1001, None),
        ("The death toll rose to 9 on Friday.", "dead", 9, 9),
        ("An air strike killed three people in a village.", "dead", 3, 3),
        ("Nine civilians were killed in Thursday's attack.", "dead", 9, 9),
        ("Up to 30 people may have died.", "dead", None, 30),
        ("Twenty-eight people were wounded.", "injured", 28, 28),
        ("Several soldiers were reportedly killed.", "dead", 3, None),
        ("Police detained 250 protesters.", "arrested", 250, 250),
    ],
)
def test_counts(sentence: str, kind: str, low: int | None, high: int | None) -> None:
    count = getattr(find_size(sentence, SIZE_WORDS), kind)
    assert count is not None, sentence
    assert (count.min, count.max) == (low, high)
    assert count.text in sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks were held after nearly 10 months of negotiations.",
        "The convoy of 28 trucks crossed into Idlib.",
        "Kurds are an essential and integral part of Syria.",
        "Ten years ago the town was held by rebels.",
    ],
)
def test_no_counts_where_none_are_stated(sentence: str) -> None:
    size = find_size(sentence, SIZE_WORDS)
    assert (size.dead, size.injured, size.displaced, size.arrested) == (None, None, None, None)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("1,250", 1250),
        ("twenty-one", 21),
        ("two hundred", 200),
        ("dozens", 12),
        ("3 million", 3_000_000),
        ("hundreds", 100),
    ],
)
def test_parse_number(words: str, value: int) -> None:
    assert parse_number(words, SIZE_WORDS)[0] == value
