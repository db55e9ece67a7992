"""Contradictions between reports of one event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitroom.corroborate.contradictions import counts_overlap, find_contradictions, format_count
from sitroom.models import Contradiction, Count


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (Count(7, 7, "seven"), Count(9, 9, "nine"), False),
        (Count(7, None, "at least seven"), Count(9, 9, "nine"), True),
        (Count(12, None, "dozens"), Count(5, 5, "five"), False),
        (Count(5, 10, "five to ten"), Count(9, 12, "nine to twelve"), True),
        (Count(None, 3, "up to three"), Count(4, 4, "four"), False),
    ],
)
def test_count_ranges(a, b, overlap):
    assert counts_overlap(a, b) is overlap
    assert counts_overlap(b, a) is overlap


@pytest.mark.parametrize(
    ("count", "text"), [(Count(7, 7, "x"), "7"), (Count(7, 9, "x"), "7-9"), (Count(12, None, "x"), "12+")]
)
def test_format_count(count, text):
    assert format_count(count) == text


def test_different_tolls_and_perpetrators_are_side_by_side(articles, corpus):
    make_mention = corpus.make_mention
    article = articles["a1-aa"]
    reports = [
        make_mention("x1", article, actor=(corpus.UNKNOWN_BOMBER,), dead=Count(7, 7, "seven")),
        make_mention("x2", article, actor=(corpus.TURKISH_BACKED,), dead=Count(9, 9, "nine")),
        make_mention("x3", article, dead=Count(7, None, "at least seven")),
    ]
    assert find_contradictions(reports) == (
        Contradiction("dead", ("7", "7+", "9"), reports=(("x1", "7"), ("x2", "9"), ("x3", "7+"))),
        Contradiction(
            "perpetrator",
            ("Syrian National Army", "unidentified armed group"),
            reports=(("x1", "unidentified armed group"), ("x2", "Syrian National Army")),
        ),
    )


def test_agreeing_reports_have_no_contradiction(articles, corpus):
    make_mention = corpus.make_mention
    article = articles["a1-aa"]
    reports = [
        make_mention("x1", article, place=corpus.QAMISHLI, dead=Count(7, None, "at least seven")),
        make_mention(
            "x2", article, place=corpus.QAMISHLI_MARKET, dead=Count(9, 9, "nine"), when=date(2026, 1, 6)
        ),
    ]
    assert find_contradictions(reports) == (
        Contradiction("dead", ("7+", "9"), disputed=False, reports=(("x1", "7+"), ("x2", "9"))),
    )


def test_tolls_that_differ_are_listed_even_when_compatible(articles, corpus):
    """ "At least seven" in one report and "nine" in another can both be right, yet the
    reader must see the spread: listed, not disputed, and the grade is not lowered."""
    article = articles["a1-aa"]
    reports = [
        corpus.make_mention("x1", article, dead=Count(7, None, "at least seven")),
        corpus.make_mention("x2", article, dead=Count(9, 9, "nine")),
        corpus.make_mention("x3", article, dead=Count(9, 9, "nine")),
    ]
    (spread,) = find_contradictions(reports)
    assert (spread.field, spread.values, spread.disputed) == ("dead", ("7+", "9"), False)
    assert dict(spread.reports) == {"x1": "7+", "x2": "9", "x3": "9"}
    assert find_contradictions(reports[1:]) == ()  # the same figure twice is no spread


def test_dates_and_places_beyond_their_precision(articles, corpus):
    make_mention = corpus.make_mention
    article = articles["a1-aa"]
    reports = [
        make_mention("x1", article, place=corpus.QAMISHLI, when=date(2026, 1, 5)),
        make_mention("x2", article, place=corpus.ALEPPO, when=date(2026, 1, 12)),
    ]
    assert find_contradictions(reports) == (
        Contradiction(
            "date", ("2026-01-05", "2026-01-12"), reports=(("x1", "2026-01-05"), ("x2", "2026-01-12"))
        ),
        Contradiction("place", ("Aleppo", "Qamishli"), reports=(("x1", "Qamishli"), ("x2", "Aleppo"))),
    )


def test_a_date_inferred_from_a_report_contradicts_no_stated_date(articles, corpus):
    article = articles["a1-aa"]
    stated = corpus.make_mention("x1", article, when=date(2026, 1, 5))
    inferred = replace(
        corpus.make_mention("x2", article, when=date(2026, 1, 20)),
        date_precision="week",
        date_source="report",
    )
    assert find_contradictions([stated, inferred]) == ()
