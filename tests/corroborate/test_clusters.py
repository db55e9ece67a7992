"""Event clusters over the team's corpus: membership, sources, contradictions, credibility, order."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from sitroom.corroborate.clusters import cluster_mentions, link_strength
from sitroom.models import Actor, Contradiction, Place

ORDERS = [*range(8), "reversed"]


def _shuffled(mentions, order):
    items = list(mentions)
    if order == "reversed":
        return items[::-1]
    random.Random(order).shuffle(items)
    return items


def _by_members(clusters):
    return {cluster.mention_ids: cluster for cluster in clusters}


@pytest.fixture(scope="module")
def clusters(mentions, articles):
    return _by_members(cluster_mentions(mentions, articles))


def test_clusters_are_the_real_incidents(clusters, corpus):
    assert set(clusters) == corpus.EXPECTED_CLUSTERS


def test_cluster_ids_come_from_the_smallest_member(clusters):
    assert {cluster.id for cluster in clusters.values()} == {"ev-m1", "ev-m5", "ev-m8", "ev-m9"}


def test_wire_copies_count_once(clusters):
    bombing = clusters[("m1", "m2", "m3", "m4", "m6")]
    # AA, its Daily Sabah twin and the reprint are one source; Reuters and Hawar two more
    assert bombing.independent_sources == 3
    assert bombing.outlets == (
        "Anadolu Agency",
        "Daily Sabah",
        "Hawar News Agency",
        "Reuters",
        "news.example.org",
    )
    assert bombing.speakers == ("Autonomous Administration", "local health official", "security sources")


def test_contradictions_side_by_side(clusters):
    bombing = clusters[("m1", "m2", "m3", "m4", "m6")]
    assert bombing.contradictions == (
        Contradiction(
            "dead",
            ("7", "7+", "9"),
            reports=(("m1", "7"), ("m2", "7"), ("m3", "7+"), ("m4", "9"), ("m6", "7")),
        ),
        Contradiction(
            "perpetrator",
            ("Syrian National Army", "unidentified armed group"),
            reports=(
                ("m1", "unidentified armed group"),
                ("m2", "unidentified armed group"),
                ("m3", "unidentified armed group"),
                ("m6", "Syrian National Army"),
            ),
        ),
    )
    assert clusters[("m5", "m7")].contradictions == ()


@pytest.mark.parametrize(
    ("members", "basis"),
    [
        (
            ("m1", "m2", "m3", "m4", "m6"),
            "3 independent sources: Anadolu Agency / Daily Sabah / news.example.org, "
            "Hawar News Agency, Reuters; disputed: dead, perpetrator",
        ),
        (("m5", "m7"), "2 independent sources: Associated Press, Reuters"),
        (("m8",), "single source: Syria Live Blog; every report hedged"),
        (("m9",), "single source: Aleppo Today Desk"),
    ],
)
def test_credibility_says_what_it_rests_on(clusters, members, basis):
    assert clusters[members].credibility_basis == basis


@pytest.mark.parametrize(
    ("members", "sources", "credibility"),
    [
        (("m1", "m2", "m3", "m4", "m6"), 3, 3),  # corroborated, but toll and perpetrator disputed
        (("m5", "m7"), 2, 1),  # Reuters and AP agree: confirmed
        (("m8",), 1, 4),  # one hedged report
        (("m9",), 1, 3),  # one report from an outlet that cannot be judged
    ],
)
def test_sources_and_credibility(clusters, members, sources, credibility):
    assert clusters[members].independent_sources == sources
    assert clusters[members].credibility == credibility


def test_single_source_is_never_confirmed(clusters):
    assert all(c.credibility != 1 for c in clusters.values() if c.independent_sources < 2)


def test_syndicated_copies_alone_are_not_corroboration(mentions, articles):
    wire_only = [m for m in mentions if m.id in ("m1", "m2", "m3")]
    (cluster,) = cluster_mentions(wire_only, articles)
    assert cluster.independent_sources == 1
    assert cluster.credibility != 1


def test_two_events_of_one_article_stay_apart(mentions, articles, corpus):
    reuters = articles["a4-reuters"]
    # a second Qamishli mention in the Reuters article: compatible with the bombing, yet a different event
    second = corpus.make_mention("m4b", reuters, event_type="COERCE", start=60)
    clusters = cluster_mentions([*mentions, second], articles)
    for cluster in clusters:
        article_ids = [
            next(m for m in [*mentions, second] if m.id == key).article_id for key in cluster.mention_ids
        ]
        assert len(article_ids) == len(set(article_ids))
    assert link_strength(mentions[3], second, articles) == 0


def test_identical_mentions_of_one_article_merge(mentions, articles):
    repeat = replace(mentions[0], id="m1-repeat")
    assert link_strength(mentions[0], repeat, articles) > 0
    clusters = _by_members(cluster_mentions([*mentions, repeat], articles))
    assert ("m1", "m1-repeat", "m2", "m3", "m4", "m6") in clusters


@pytest.mark.parametrize(
    ("change", "linked"),
    [
        ({}, True),
        ({"date": date(2026, 1, 8)}, False),  # day precision: three days is beyond +-2
        ({"date": date(2026, 1, 8), "date_precision": "week"}, True),
        ({"event_type": "PROTEST"}, False),
        ({"event_type": "COERCE"}, True),
    ],
)
def test_link_tolerances(mentions, articles, change, linked):
    assert (link_strength(mentions[0], replace(mentions[3], **change), articles) > 0) is linked


@pytest.mark.parametrize("order", ORDERS)
def test_input_order_does_not_matter(mentions, articles, clusters, order):
    shuffled = _shuffled(mentions, order)
    articles_shuffled = dict(sorted(articles.items(), key=lambda _: random.random()))
    assert _by_members(cluster_mentions(shuffled, articles_shuffled)) == clusters


def test_a_later_copy_of_two_reports_makes_them_one_source(mentions, articles, corpus):
    """An article that copies both Reuters and AP makes them one source, for the clusters of
    other events too: source groups are those of every article clustered."""
    merged_text = articles["a4-reuters"].text + " " + articles["a6-ap"].text
    digest = articles["a4-reuters"].sha256
    copy = replace(
        articles["a4-reuters"], id="a9-copy", text=merged_text, sha256=digest, outlet=None, url=None
    )
    everything = {**articles, copy.id: copy}
    other_event = corpus.make_mention("m10", copy, place=corpus.ALEPPO, when=date(2026, 3, 1))
    assert _by_members(cluster_mentions(mentions, articles))[("m5", "m7")].independent_sources == 2
    merged = _by_members(cluster_mentions([*mentions, other_event], everything))
    assert merged[("m5", "m7")].independent_sources == 1
    assert merged[("m10",)].independent_sources == 1


def test_daily_incidents_in_one_town_do_not_chain_into_one_event(articles, corpus):
    """Each day links to the next (+-2 days), yet a cluster spans at most twice the tolerance."""
    days = [
        corpus.make_mention(f"d{day:02d}", articles[key], when=date(2026, 1, day), dead=None)
        for day, key in zip(
            range(1, 11), ["a1-aa", "a4-reuters", "a5-hawar", "a6-ap", "a7-later"] * 2, strict=True
        )
    ]
    clusters = cluster_mentions(days, articles)
    assert len(clusters) >= 2
    for cluster in clusters:
        dates = [m.date for m in days if m.id in cluster.mention_ids]
        assert (max(dates) - min(dates)).days <= 4


WASHINGTON_PENSIONS = Place(
    "Washington", "Washington", lat=38.8951, lon=-77.0364, country="USA", precision="city"
)
PENTAGON = Place("Pentagon", "Pentagon", lat=38.871, lon=-77.056, country="USA", precision="site")
WHITE_HOUSE = Place("White House", "White House", lat=38.8977, lon=-77.0365, country="USA", precision="site")
LABOR_DEPARTMENT = Actor("the Labor Department", "Department of Labor", country="USA", sector="GOV")
DEFENSE = Actor("The Pentagon", "Department of Defense", country="USA", sector="GOV")
PRESIDENT = Actor("Trump", "President of the United States", country="USA", sector="GOV")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a pension story (untyped) and a White House meeting the same day: nothing in common
        # but the country and the sector of their actors
        (
            {"event_type": None, "actor": (LABOR_DEPARTMENT,), "place": WASHINGTON_PENSIONS},
            {"event_type": "CONSULT", "actor": (PRESIDENT,), "place": WHITE_HOUSE},
        ),
        # an untyped sentence in a city and a typed event there the same day
        ({"event_type": None, "actor": ()}, {"event_type": "ASSAULT", "actor": ()}),
        # two rejections by two US government bodies, 3 km apart, one dated by its article only
        (
            {"event_type": "REJECT", "actor": (DEFENSE,), "place": PENTAGON, "when": None},
            {"event_type": "REJECT", "actor": (PRESIDENT,), "place": WHITE_HOUSE},
        ),
    ],
)
def test_unrelated_stories_are_never_one_event(articles, corpus, first, second):
    """False corroboration: a pension story and a White House meeting were one cluster shown
    as "2 independent sources · Probably true"."""
    one = corpus.make_mention("p1", articles["a4-reuters"], recipient=(), **first)
    other = corpus.make_mention("p2", articles["a6-ap"], recipient=(), **second)
    assert link_strength(one, other, articles) == 0
    assert len(cluster_mentions([one, other], articles)) == 2


def test_a_country_and_sector_in_common_is_no_perpetrator_dispute(articles, corpus):
    """Two US government bodies are compatible actors: listed as a dispute neither."""
    one = corpus.make_mention("p1", articles["a4-reuters"], actor=(DEFENSE,))
    other = corpus.make_mention("p2", articles["a6-ap"], actor=(PRESIDENT,))
    (cluster,) = cluster_mentions([one, other], articles)  # same place and day: one event
    assert [c.field for c in cluster.contradictions] == []


def test_a_date_inferred_from_the_report_is_as_weak_as_no_date(articles, corpus):
    """An event dated only by its report's day (``date_source`` "report", ACLED's week before
    it) links only where place and participants agree, as an undated one did: two rejections
    by two US government bodies 3 km apart stay two events."""
    published = articles["a4-reuters"].published_date
    one = corpus.make_mention(
        "p1", articles["a4-reuters"], recipient=(), event_type="REJECT", actor=(DEFENSE,), place=PENTAGON
    )
    one = replace(one, date=published, date_precision="week", date_source="report")
    other = corpus.make_mention(
        "p2", articles["a6-ap"], recipient=(), event_type="REJECT", actor=(PRESIDENT,), place=WHITE_HOUSE
    )
    other = replace(other, date=published)
    assert link_strength(one, other, articles) == 0
