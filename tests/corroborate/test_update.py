"""Clusters kept up to date in the store equal clustering everything at once, in any order."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from sitroom.corroborate.clusters import cluster_mentions
from sitroom.corroborate.credibility import load_outlets
from sitroom.corroborate.update import recluster_all, update_clusters
from sitroom.models import Count, EventMention
from sitroom.store import Store
from tests.factories import ALEPPO, HTS, analysis_of, make_article, make_mention

REPORTS = [
    ("Shelling hit a market in Ariha on Thursday, killing seven civilians.", "https://demowire.example/1", "Demo Wire"),
    ("Shells struck Ariha market on Thursday and nine civilians died, a monitor said.", "https://monitor.example/2", "Frontline Monitor"),
    ("The ministry blamed HTS for the blast in Ariha on Thursday.", "https://levant.example/3", "Levant Daily"),
    ("About 400 civilians were evacuated from Sheikh Maksoud in Aleppo on Friday.", "https://aid.example/4", "Aid Bulletin"),
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
            mention = make_mention(article, text, event_type="RETREAT", mode="access", actor=(), when=date(2026, 1, 9), where=ALEPPO, protection=("evacuation",))
        items.append((article, sighting, mention))
    return items


def shape(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for record in store.iter_events():
        groups.setdefault(record["cluster_id"] or record["id"], set()).add(record["id"])
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("order", list(itertools.permutations(range(4)))[::5])
def test_incremental_equals_batch_in_any_order(store: Store, order: tuple[int, ...]) -> None:
    items = corpus()
    outlets = load_outlets()
    for i in order:
        article, sighting, mention = items[i]
        store.write_articles([(article, sighting)], {article.id: analysis_of(article, mention)})
        update_clusters(store, [mention], outlets)
    mentions: list[EventMention] = [m for _, _, m in items]
    batch = cluster_mentions(mentions, {a.id: a for a, _, _ in items}, outlets=outlets)
    assert shape(store) == {frozenset(c.mention_ids) for c in batch}
    ariha = next(c for c in batch if len(c.mention_ids) == 3)
    record = store.event(ariha.mention_ids[0])
    assert record is not None and record["independent_sources"] == 3
    assert {c["field"] for c in record["contradictions"]} >= {"dead", "perpetrator"}
    before = shape(store)
    assert recluster_all(store, outlets) == len(batch)
    assert shape(store) == before
