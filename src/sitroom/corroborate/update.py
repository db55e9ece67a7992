"""Keep the stored clusters up to date as articles arrive (stage 5 against the store).

For a batch of new mentions:

1. candidates: stored mentions dated within the widest tolerance of a new one (by the
   coarser precision, see ``matching.DATE_TOLERANCE_DAYS``) whose types are compatible;
2. the new mentions are linked (``clusters.link_strength``) to those candidates;
3. the clusters of every linked candidate, whole, plus the new mentions are clustered again
   with :func:`~sitroom.corroborate.clusters.cluster_mentions`, and only they are rewritten.

Clusters are built inside connected groups of links, so this gives what clustering every
mention would, except where an earlier split of one group into several clusters would now
come out differently (a new mention linked to one of them only); ``sitroom recluster``
recomputes every cluster from scratch. Cost grows with the candidates near the batch, not
with the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sitroom.corroborate.clusters import cluster_mentions, event_date, link_strength
from sitroom.corroborate.credibility import OutletTable
from sitroom.corroborate.matching import DATE_TOLERANCE_DAYS, types_compatible
from sitroom.models import Article, EventMention
from sitroom.records import mention_from_record
from sitroom.store import Store

# Mentions dated to a month or a year, or not at all, are dated by their article's
# publication at week precision (clusters.event_date), so no tolerance exceeds this.
MAX_TOLERANCE_DAYS = max(DATE_TOLERANCE_DAYS.values())


def _load_articles(store: Store, ids: Iterable[str], known: dict[str, Article]) -> None:
    missing = sorted(set(ids) - set(known))
    known.update((a.id, a) for a in store.articles_by_ids(missing))


def _merged(spans: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def update_clusters(store: Store, new: Sequence[EventMention], outlets: OutletTable) -> int:
    """Recluster around ``new`` (already stored); return how many clusters were written."""
    articles: dict[str, Article] = {}
    _load_articles(store, (m.article_id for m in new), articles)
    windows: list[tuple[EventMention, date, date]] = []
    for mention in new:
        day, precision = event_date(mention, articles)
        if day is not None:
            slack = timedelta(days=DATE_TOLERANCE_DAYS.get(precision or "week", MAX_TOLERANCE_DAYS) + 7)
            windows.append((mention, day - slack, day + slack))
    if not windows:
        return 0
    new_ids = {m.id for m in new}
    candidates: list[EventMention] = []
    for lo, hi in _merged((w[1], w[2]) for w in windows):  # a batch may span years: query its islands
        candidates.extend(mention_from_record(r) for r in store.mention_records_between(lo, hi) if r["id"] not in new_ids)
    _load_articles(store, (c.article_id for c in candidates), articles)
    stored_cluster = store.cluster_ids([c.id for c in candidates])
    # candidates by type and week, so each new mention meets only plausible partners
    index: dict[tuple[str | None, int], list[tuple[EventMention, date | None]]] = defaultdict(list)
    undated: list[EventMention] = []
    for candidate in candidates:
        day, _precision = event_date(candidate, articles)
        if day is None:
            undated.append(candidate)
        else:
            index[(candidate.event_type, day.toordinal() // 7)].append((candidate, day))
    types = sorted({c.event_type for c in candidates}, key=str)
    affected: set[str] = set()
    for mention, lo, hi in windows:
        weeks = range(lo.toordinal() // 7, hi.toordinal() // 7 + 1)
        near = [
            c for kind in types if types_compatible(mention.event_type, kind)
            for week in weeks for c, day in index.get((kind, week), ()) if day is not None and lo <= day <= hi
        ]
        for candidate in (*near, *undated):
            if link_strength(mention, candidate, articles):
                affected.add(stored_cluster.get(candidate.id) or candidate.id)
    members = {m.id: m for m in new}
    if affected:
        for record in store.mention_records_of_clusters(sorted(affected)):
            members.setdefault(record["id"], mention_from_record(record))
    _load_articles(store, (m.article_id for m in members.values()), articles)
    clusters = cluster_mentions(list(members.values()), articles, outlets=outlets)
    store.write_clusters(clusters, dissolved=sorted(affected - {c.id for c in clusters}))
    return len(clusters)


def recluster_all(store: Store, outlets: OutletTable) -> int:
    """Recompute every cluster from every stored mention (``sitroom recluster``)."""
    records = list(store.iter_events())
    mentions = [mention_from_record(r) for r in records]
    articles: dict[str, Article] = {}
    _load_articles(store, (m.article_id for m in mentions), articles)
    clusters = cluster_mentions(mentions, articles, outlets=outlets)
    old = {r["cluster_id"] for r in records if r.get("cluster_id")}
    store.write_clusters(clusters, dissolved=sorted(old - {c.id for c in clusters}))
    return len(clusters)
