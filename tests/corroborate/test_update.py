"""Clusters kept up to date in the store equal clustering everything at once, in any order."""

from __future__ import annotations

import itertools
import math
from datetime import date

import pytest

from sitroom.corroborate.clusters import cluster_mentions, link_strength
from sitroom.corroborate.credibility import load_outlets
from sitroom.corroborate.update import ReclusterCache, _cell, _cells, _links, recluster_all, update_clusters
from sitroom.models import Count, EventMention, Place
from sitroom.store import Store
from tests.factories import ALEPPO, ARIHA, CIVILIANS, HTS, SAA, analysis_of, make_article, make_mention

REPORTS = [
    (
        "Shelling hit a market in Ariha on Thursday, killing seven civilians.",
        "https://demowire.example/1",
        "Demo Wire",
    ),
    (
        "Shells struck Ariha market on Thursday and nine civilians died, a monitor said.",
        "https://monitor.example/2",
        "Frontline Monitor",
    ),
    (
        "The ministry blamed HTS for the blast in Ariha on Thursday.",
        "https://levant.example/3",
        "Levant Daily",
    ),
    (
        "About 400 civilians were evacuated from Sheikh Maksoud in Aleppo on Friday.",
        "https://aid.example/4",
        "Aid Bulletin",
    ),
]


def corpus() -> list[tuple]:
    items = []
    for i, (text, url, outlet) in enumerate(REPORTS):
        article, sighting = make_article(text, url, outlet=outlet)
        if i < 2:
            mention = make_mention(article, text, dead=Count(7 + 2 * i, 7 + 2 * i, "n"))
        elif i == 2:
            mention = make_mention(article, text, actor=(HTS,), speaker="the ministry")
        else:
            mention = make_mention(
                article,
                text,
                event_type="RETREAT",
                mode="access",
                actor=(),
                when=date(2026, 1, 9),
                where=ALEPPO,
                protection=("evacuation",),
            )
        items.append((article, sighting, mention))
    return items


def shape(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for record in store.iter_events():
        groups.setdefault(record["cluster_id"] or record["id"], set()).add(record["id"])
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("cache", ["none", "tiny", "shared"])
@pytest.mark.parametrize("order", list(itertools.permutations(range(4)))[::5])
def test_incremental_equals_batch_in_any_order(store: Store, order: tuple[int, ...], cache: str) -> None:
    """Whether the writer keeps what it read between batches (a cache that keeps one
    mention and one text evicts all the time) changes nothing."""
    items = corpus()
    outlets = load_outlets()
    kept = {"none": None, "tiny": ReclusterCache(mentions=1, texts=1), "shared": ReclusterCache()}[cache]
    for i in order:
        article, sighting, mention = items[i]
        store.write_articles([(article, sighting)], {article.id: analysis_of(article, mention)})
        update_clusters(store, [mention], outlets, kept)
    mentions: list[EventMention] = [m for _, _, m in items]
    batch = cluster_mentions(mentions, {a.id: a for a, _, _ in items}, outlets=outlets)
    assert shape(store) == {frozenset(c.mention_ids) for c in batch}
    ariha = next(c for c in batch if len(c.mention_ids) == 3)
    record = store.event(ariha.mention_ids[0])
    assert record is not None and record["independent_sources"] == 3
    assert {c["field"] for c in record["contradictions"]} >= {"dead", "perpetrator"}
    before = shape(store)
    assert_stamps_match_clusters(store)
    assert recluster_all(store, outlets) == len(batch)
    assert shape(store) == before


def test_new_reports_join_the_clusters_of_a_recluster(store: Store) -> None:
    """After 'sitroom recluster', reports that arrive join its clusters as clustering every
    report at once would: a second outlet's report makes the event two sources; clustering
    a stored mention again changes nothing."""
    items = corpus()
    outlets = load_outlets()
    (wire, wire_sighting, first), *rest = items
    store.write_articles([(wire, wire_sighting)], {wire.id: analysis_of(wire, first)})
    assert recluster_all(store, outlets) == 1
    assert store.event(first.id)["independent_sources"] == 1  # type: ignore[index]
    for n, (article, sighting, mention) in enumerate(rest, start=2):
        store.write_articles([(article, sighting)], {article.id: analysis_of(article, mention)})
        update_clusters(store, [mention], outlets)
        if n == 2:  # the monitor's report of the market shelling
            assert store.event(first.id)["independent_sources"] == 2  # type: ignore[index]
    batch = cluster_mentions([m for _, _, m in items], {a.id: a for a, _, _ in items}, outlets=outlets)
    assert shape(store) == {frozenset(c.mention_ids) for c in batch}
    assert_stamps_match_clusters(store)
    before = list(store.iter_events())
    update_clusters(store, [rest[0][2]], outlets)
    assert list(store.iter_events()) == before


def assert_stamps_match_clusters(store: Store) -> None:
    """Every mention carries its stored cluster's figures (write_clusters stamps only those
    whose figures changed, so this is what keeps the list pages right)."""
    for record in store.iter_events():
        cluster = store.cluster(record["cluster_id"]) if record["cluster_id"] else None
        assert cluster is not None and record["id"] in cluster.mention_ids
        assert record["independent_sources"] == cluster.independent_sources
        assert record["credibility"] == cluster.credibility
        assert [(c["field"], tuple(c["values"])) for c in record["contradictions"]] == [
            (c.field, tuple(c.values)) for c in cluster.contradictions
        ]


def test_new_mentions_are_scored_against_every_mention_they_could_link_to() -> None:
    """The blocking in _links (shared article, actor, recipient, place name or grid cell)
    finds exactly the links that scoring every pair finds."""
    near_ariha = Place(
        "Ariha east", "Ariha east", lat=35.81, lon=36.85, country="SYR", precision="neighbourhood"
    )
    unnamed = Place("Ariha", "Ariha", country="SYR", precision="city")
    places = [ARIHA, ALEPPO, near_ariha, unnamed, None]
    sides = [((SAA,), (CIVILIANS,)), ((HTS,), ()), ((), (CIVILIANS,)), ((), ())]
    mentions, articles = [], {}
    for i in range(40):
        text = f"Report {i}: shelling hit the town on Thursday."
        article, _ = make_article(text, f"https://wire{i % 7}.example/{i}", outlet=f"Wire {i % 7}")
        articles[article.id] = article
        actor, recipient = sides[i % len(sides)]
        when = None if i % 9 == 0 else date(2026, 1, 8 + i % 3)
        mentions.append(
            make_mention(
                article,
                text,
                event_type=("ASSAULT", "COERCE", "AID")[i % 3],
                actor=actor,
                recipient=recipient,
                when=when,
                where=places[i % len(places)],
            )
        )
    new, stored = mentions[:12], mentions[12:]
    windows = [(m, date(2025, 12, 1), date(2026, 2, 1)) for m in new]
    found = {(a, b) for _, a, b in _links(new, windows, stored, articles)}
    brute = {
        (min(m.id, o.id), max(m.id, o.id))
        for m in new
        for o in (*stored, *new)
        if o.id != m.id and link_strength(m, o, articles)
    }
    assert found == brute and brute


def test_grid_cells_cover_a_city_apart_at_any_latitude() -> None:
    """Two precise places 25 km apart (the city tolerance) always share a looked-up cell."""
    for lat in (0.0, 35.8, 59.9, 60.1, 70.0, -45.0):
        for bearing_lon in (-1, 1):
            lon = 36.6
            other_lon = lon + bearing_lon * 25 / (111.3 * math.cos(math.radians(lat)))
            assert ("cell", *_cell(lat, other_lon)) in _cells(lat, lon)
        assert ("cell", *_cell(lat + 0.22, lon)) in _cells(lat, lon)


@pytest.mark.parametrize("order", list(itertools.permutations(range(4)))[::3])
def test_a_chain_that_cannot_be_one_event_splits_the_same_way_in_any_order(
    store: Store, order: tuple[int, ...]
) -> None:
    """Daily shelling of one town: each day links to the next, but the first and the last
    are too far apart to be one event; a refused merge is settled as clustering all at once."""
    items = []
    for i, day in enumerate((date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 5), date(2026, 1, 7))):
        text = f"Shelling hit Ariha, report {i}."
        article, sighting = make_article(text, f"https://wire{i}.example/{i}", outlet=f"Wire {i}")
        items.append((article, sighting, make_mention(article, text, when=day)))
    outlets = load_outlets()
    for i in order:
        article, sighting, mention = items[i]
        store.write_articles([(article, sighting)], {article.id: analysis_of(article, mention)})
        update_clusters(store, [mention], outlets)
    batch = cluster_mentions([m for _, _, m in items], {a.id: a for a, _, _ in items}, outlets=outlets)
    assert len(batch) == 2
    assert shape(store) == {frozenset(c.mention_ids) for c in batch}
