"""The shortcuts of clustering answer what the pairwise rules answer: a group's Extent for
"may these groups merge", the Linker's memo for link strengths."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sitroom.corroborate.clusters import (
    EXTENT_SLACK,
    Linker,
    _signature,
    event_date,
    link_strength,
    may_merge,
)
from sitroom.corroborate.matching import date_relation, place_relation
from sitroom.models import Place
from tests.factories import ALEPPO, ARIHA, CIVILIANS, HTS, SAA, make_article, make_mention

PLACES = [
    ALEPPO,
    ARIHA,
    replace(ALEPPO, name="Sheikh Maksoud", lat=36.23, lon=37.15, precision="neighbourhood"),
    replace(ALEPPO, name="Al-Razi Hospital", lat=36.21, lon=37.13, precision="site"),
    replace(ALEPPO, name="Anadan", lat=36.29, lon=37.05, precision="city"),  # ~14 km from Aleppo
    replace(ALEPPO, name="Aleppo Governorate", lat=36.3, lon=37.5, precision="admin1"),
    Place("Syria", "Syria", lat=35.0, lon=38.0, country="SYR", precision="country"),
    Place("Gaziantep", "Gaziantep", lat=37.07, lon=37.38, country="TUR", precision="city"),
    Place("the old city", "the old city"),  # unresolved: no coordinates, no country
    None,
]
PRECISIONS = ["day", "day", "week", "month", "year", None]


def random_mentions(seed: int, n: int = 40) -> tuple[list, dict]:
    rng = random.Random(seed)
    articles = {}
    mentions = []
    for i in range(n):
        if not articles or rng.random() < 0.6:  # some articles report several events
            published = rng.choice([None, f"2026-01-{rng.randint(1, 28):02d}T10:00:00+00:00"])
            article, _ = make_article(
                f"Report {seed}-{i}. Shelling hit the town.",
                f"https://w.example/{seed}/{i}",
                published=published,
            )
            articles[article.id] = article
        article = articles[rng.choice(sorted(articles))]
        when = rng.choice([None, date(2026, 1, 1) + timedelta(days=rng.randint(0, 40))])
        if article.published_date and rng.random() < 0.2:
            when = article.published_date  # as the publication dates an undated one: still weaker
        mention = make_mention(
            article,
            "Shelling hit the town.",
            event_type=rng.choice(["ASSAULT", "ASSAULT", "COERCE", "PROTEST"]),
            actor=tuple(rng.sample([SAA, HTS], rng.randint(0, 2))),
            recipient=tuple(rng.sample([CIVILIANS, HTS], rng.randint(0, 1))),
            when=when,
            where=rng.choice(PLACES),
        )
        precision = (rng.choice(PRECISIONS) if rng.random() < 0.5 else "week") if when else None
        mention = replace(mention, id=f"m{seed:03d}{i:03d}", date_precision=precision)
        if mentions and rng.random() < 0.5:
            # another report of an earlier event, alike but for one detail (where shortcuts
            # that treat alike mentions as one could go wrong)
            earlier = rng.choice(mentions)
            detail = rng.choice(
                [
                    {},
                    {"date": None, "date_precision": None},
                    {"date_precision": "week"},
                    {"location": rng.choice(PLACES)},
                    {"actor": ()},
                    {"recipient": ()},
                    {"event_type": "COERCE"},
                ]
            )
            mention = replace(
                earlier, id=mention.id, article_id=article.id, evidence=mention.evidence, **detail
            )
        mentions.append(mention)
    return mentions, articles


def pairwise_may_merge(first, second, articles) -> bool:
    """The rule as first written: every pair of members, one of each group."""
    for a in first:
        date_a, precision_a = event_date(a, articles)
        for b in second:
            if a.article_id == b.article_id and _signature(a) != _signature(b):
                return False
            date_b, precision_b = event_date(b, articles)
            if date_relation(date_a, precision_a, date_b, precision_b, EXTENT_SLACK) == "conflict":
                return False
            if place_relation(a.location, b.location, EXTENT_SLACK) == "conflict":
                return False
    return True


@pytest.mark.parametrize("seed", range(12))
def test_extents_answer_as_every_pair_does(seed: int) -> None:
    mentions, articles = random_mentions(seed)
    by_id = {m.id: m for m in mentions}
    rng = random.Random(seed)
    outcomes = set()
    for _ in range(300):
        picked = rng.sample(mentions, rng.randint(2, 8))
        cut = rng.randint(1, len(picked) - 1)
        first, second = picked[:cut], picked[cut:]
        expected = pairwise_may_merge(first, second, articles)
        assert may_merge([m.id for m in first], [m.id for m in second], by_id, articles) is expected
        outcomes.add(expected)
    assert outcomes == {True, False}  # the random groups exercise both answers


@pytest.mark.parametrize("seed", range(6))
def test_linker_strengths_equal_link_strength(seed: int) -> None:
    mentions, articles = random_mentions(seed)
    linker = Linker(articles)
    strengths = set()
    for a in mentions:
        for b in mentions:
            expected = link_strength(a, b, articles)
            assert linker.strength(a, b) == expected, (a.id, b.id)
            strengths.add(expected)
    assert 0 in strengths and len(strengths) > 2


def test_linker_keeps_a_publication_date_apart_from_an_own_date() -> None:
    """An undated report (dated by its publication, at week precision) and one dated to that
    week by its own words read alike but link differently: the first needs shared actors."""
    first, _ = make_article(
        "Shelling hit the town.", "https://w.example/a", published="2026-01-08T10:00:00+00:00"
    )
    second, _ = make_article(
        "Shelling hit the town!", "https://w.example/b", published="2026-01-08T10:00:00+00:00"
    )
    third, _ = make_article("Shelling hit the town?", "https://w.example/c")
    articles = {a.id: a for a in (first, second, third)}
    undated = make_mention(first, "Shelling hit the town.", when=None)
    weekly = replace(
        make_mention(second, "Shelling hit the town!", when=date(2026, 1, 8)), date_precision="week"
    )
    other = make_mention(third, "Shelling hit the town?", actor=(HTS,), recipient=())
    assert link_strength(undated, other, articles) == 0 < link_strength(weekly, other, articles)
    for order in ([undated, weekly], [weekly, undated]):
        linker = Linker(articles)
        assert [linker.strength(m, other) for m in order] == [
            link_strength(m, other, articles) for m in order
        ]
