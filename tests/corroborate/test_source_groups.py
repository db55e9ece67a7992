"""Near-duplicates and independent source groups."""

from __future__ import annotations

import random

import pytest

from sitroom.corroborate import shingles
from sitroom.corroborate.shingles import (
    NEAR_DUPLICATE_JACCARD,
    is_near_duplicate,
    near_duplicate_pairs,
    source_groups,
    word_shingles,
)


def test_shingles_are_stable_word_five_grams():
    text = "One two three four five six"
    assert len(word_shingles(text)) == 2
    assert word_shingles(text) == word_shingles("ONE two, three four five six!")
    assert len(word_shingles("too short")) == 1
    assert word_shingles("") == frozenset()


@pytest.mark.parametrize(
    ("first", "second", "duplicate"),
    [
        ("WIRE", "REPRINT", True),  # light rewrite of the lead, one sentence added
        ("WIRE", "HALF", True),  # truncated copy: low Jaccard, high containment
        ("WIRE", "REUTERS", False),  # independent report of the same event
        ("REUTERS", "HAWAR", False),
    ],
)
def test_near_duplicate_decision(corpus, first, second, duplicate):
    texts = {**vars(corpus), "HALF": corpus.WIRE[: len(corpus.WIRE) // 2]}
    assert is_near_duplicate(word_shingles(texts[first]), word_shingles(texts[second])) is duplicate


def test_truncated_copy_is_caught_by_containment_not_jaccard(corpus, monkeypatch):
    whole, lead = word_shingles(corpus.WIRE), word_shingles(corpus.WIRE[: len(corpus.WIRE) // 4])
    assert len(whole & lead) / len(whole | lead) < NEAR_DUPLICATE_JACCARD
    assert is_near_duplicate(whole, lead)
    monkeypatch.setattr(shingles, "NEAR_DUPLICATE_CONTAINMENT", 1.01)  # no containment test: Jaccard alone
    assert not is_near_duplicate(whole, lead)


def test_near_duplicate_pairs_are_sorted_id_pairs(corpus):
    pairs = near_duplicate_pairs({"b": corpus.WIRE, "a": corpus.REPRINT, "c": corpus.REUTERS})
    assert pairs == {("a", "b")}


def test_wire_copy_and_syndicated_twin_are_one_source(articles):
    groups = source_groups(list(articles.values()))
    assert groups["a1-aa"] == groups["a2-sabah"] == groups["a3-reprint"] == "a1-aa"
    others = {groups[key] for key in ("a4-reuters", "a5-hawar", "a6-ap", "a7-later", "a8-aleppo")}
    assert len(others) == 5
    assert groups["a1-aa"] not in others


@pytest.mark.parametrize("seed", range(5))
def test_source_groups_do_not_depend_on_order(articles, seed):
    shuffled = list(articles.values())
    random.Random(seed).shuffle(shuffled)
    assert source_groups(shuffled) == source_groups(list(articles.values()))


def test_pairwise_groups_equal_the_candidate_index_on_a_few_reports(articles):
    from sitroom.corroborate.credibility import load_outlets
    from sitroom.corroborate.shingles import article_text, pairwise_source_groups, shingle_array

    asked: list[str] = []

    def shingles(article):
        asked.append(article.id)
        return shingle_array(article_text(article))

    outlets = load_outlets()
    assert pairwise_source_groups(list(articles.values()), outlets, shingles) == source_groups(
        list(articles.values()), outlets
    )
    # two reports of one outlet need no text
    one_outlet = [articles["a1-aa"], articles["a2-sabah"]]
    asked.clear()
    assert set(pairwise_source_groups(one_outlet, outlets, shingles).values()) == {"a1-aa"}
    assert asked == []


@pytest.mark.parametrize("copies", [3, 55, 70])
def test_a_wire_story_printed_by_many_outlets_is_one_source(corpus, copies):
    """More copies than BOILERPLATE_ARTICLES make every shingle look like boilerplate to the
    candidate index; the pairwise comparison, and beyond PAIRWISE_PAIRS the index with
    stars (the copies here differ in one word each), still find them."""
    from sitroom.corroborate.credibility import load_outlets
    from sitroom.corroborate.shingles import article_text, pairwise_source_groups, shingle_array
    from tests.corroborate.conftest import make_article

    made = [
        make_article(
            f"c{i:03d}",
            corpus.WIRE.replace(" the ", f" the {i} ", 1) if copies > 64 else corpus.WIRE,
            None,
            f"https://outlet{i}.example/story",
            "2026-01-05T14:00:00+00:00",
        )
        for i in range(copies)
    ]
    made.append(
        make_article(
            "z-independent", corpus.REUTERS, None, "https://other.example/x", "2026-01-05T14:00:00+00:00"
        )
    )
    groups = pairwise_source_groups(made, load_outlets(), lambda a: shingle_array(article_text(a)))
    assert len(set(groups.values())) == 2
    assert groups["z-independent"] == "z-independent"


def test_a_story_one_outlet_filed_many_times_is_compared_pair_by_pair(corpus):
    """Eighty updates of one outlet's story and two other outlets' copies: few pairs cross
    outlets, so each is compared exactly (no shingle index), and asked only of those."""
    from sitroom.corroborate.credibility import load_outlets
    from sitroom.corroborate.shingles import article_text, pairwise_source_groups, shingle_array
    from tests.corroborate.conftest import make_article

    made = [
        make_article(
            f"a{i:03d}",
            corpus.WIRE.replace(" the ", f" the {i} ", 1),
            None,
            f"https://wire.example/{i}",
            "2026-01-05T14:00:00+00:00",
        )
        for i in range(80)
    ]
    made += [
        make_article("b-copy", corpus.WIRE, None, "https://paper.example/x", "2026-01-05T14:00:00+00:00"),
        make_article("c-own", corpus.REUTERS, None, "https://other.example/x", "2026-01-05T14:00:00+00:00"),
    ]
    asked: list[str] = []

    def shingles(article):
        asked.append(article.id)
        return shingle_array(article_text(article))

    groups = pairwise_source_groups(made, load_outlets(), shingles)
    assert groups["b-copy"] == groups["a000"] and groups["c-own"] == "c-own"
    assert len(set(groups.values())) == 2
    assert len(asked) <= 3 * 82  # each comparison asks for two arrays: a couple of hundred, not 82 * 81
