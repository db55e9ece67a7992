"""Keep the stored clusters up to date as articles arrive (stage 5 against the store).

For a batch of new mentions (already stored):

1. candidates: up to ``REPRESENTATIVES`` members of each stored cluster dated within the
   widest tolerance of a new mention (by the coarser precision, see
   ``matching.DATE_TOLERANCE_DAYS``);
2. each new mention is scored (``clusters.link_strength``) against the candidates and the
   other new mentions that share a blocking key with it (its article, an actor or recipient,
   a precise place by name or grid cell: a link needs one of these) and have a compatible
   type and a date in its window;
3. the stored clusters of the linked candidates stand as they are; the new mentions join
   them, or each other, along the links strongest first, where ``clusters.may_merge``
   allows (a cluster stays compact, one report per article). Where a merge is refused, the
   groups involved are partitioned again from scratch with
   :func:`~sitroom.corroborate.clusters.cluster_mentions`: that is where joining in arrival
   order could depend on the order (daily shelling of one town, each day linked to the
   next). Only clusters that gained a mention or were partitioned again are summarised
   (their independent sources counted among their own reports) and rewritten.

So the clusters are those of clustering every mention at once, in any order, except where a
later report would split an earlier, conflict-free group differently; ``sitroom recluster``
recomputes every cluster from scratch. Cost grows with the clusters near the batch and the
size of those it joins, not with every report already stored of its events: comparing each
new mention with every stored one in its window made a stream that repeats its events
(5,000 reports of 92 stories) cost 40 s a batch of 32 by its 3,000th report; this costs
2.7 s there.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta

import numpy

from sitroom.corroborate.clusters import (
    Linker,
    cluster_mentions,
    event_date,
    merge_strongest_first,
    summarise_cluster,
)
from sitroom.corroborate.credibility import OutletTable
from sitroom.corroborate.matching import (
    DATE_TOLERANCE_DAYS,
    actor_keys,
    is_precise,
    types_compatible,
)
from sitroom.corroborate.shingles import article_text, pairwise_source_groups, shingle_array
from sitroom.models import Article, EventCluster, EventMention
from sitroom.records import mention_from_record
from sitroom.review import ClusterConstraints, apply_cluster_constraints
from sitroom.store import Store
from sitroom.store.filters import EventFilter

# Mentions dated to a month or a year, or not at all, are dated by their article's
# publication at week precision (clusters.event_date), so no tolerance exceeds this.
MAX_TOLERANCE_DAYS = max(DATE_TOLERANCE_DAYS.values())
# Members of each stored cluster a new mention is compared with (see _representatives).
REPRESENTATIVES = 4
# Grid cells of precise places: wider than a city's matching distance (25 km) up to
# POLAR_LATITUDE, where one cell spans the whole band.
CELL_DEGREES = 0.5
POLAR_LATITUDE = 60.0


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


class ReclusterCache:
    """What a writer's reclustering read lately, kept from one batch to the next, most
    recently used first and bounded: a stream that keeps reporting the same events reads the
    same clusters batch after batch, and decoding their records and shingling their texts
    again was half of reclustering.

    - event mentions by id (``mentions``, about 2.7 KB each): a mention id names one reading
      of one article (article id, offset, type); the writer puts the mentions it writes, so
      an article it analyses again replaces its entries;
    - the :func:`~sitroom.corroborate.shingles.shingle_array` of articles by id (``texts``,
      about 7 KB each): an article id is its content's hash.
    """

    def __init__(self, mentions: int = 20_000, texts: int = 4_000) -> None:
        self.sizes = (mentions, texts)
        self._mentions: OrderedDict[str, EventMention] = OrderedDict()
        self._shingles: OrderedDict[str, numpy.ndarray] = OrderedDict()

    def put(self, mentions: Iterable[EventMention]) -> None:
        for mention in mentions:
            self._mentions[mention.id] = mention
            self._mentions.move_to_end(mention.id)
        while len(self._mentions) > self.sizes[0]:
            self._mentions.popitem(last=False)

    def mentions(self, store: Store, ids: Iterable[str]) -> dict[str, EventMention]:
        """The mentions of ``ids`` that exist, read from the store where not kept."""
        wanted = sorted(set(ids))
        missing = [key for key in wanted if key not in self._mentions]
        found = {key: self._mentions[key] for key in wanted if key in self._mentions}
        read = (
            [mention_from_record(record) for record in store.mention_records_by_ids(missing)]
            if missing
            else []
        )
        found.update((m.id, m) for m in read)
        self.put(found[key] for key in sorted(found))
        return found

    def shingles(self, article: Article) -> numpy.ndarray:
        array = self._shingles.get(article.id)
        if array is None:
            array = self._shingles[article.id] = shingle_array(article_text(article))
            if len(self._shingles) > self.sizes[1]:
                self._shingles.popitem(last=False)
        self._shingles.move_to_end(article.id)
        return array


def update_clusters(
    store: Store,
    new: Sequence[EventMention],
    outlets: OutletTable,
    cache: ReclusterCache | None = None,
) -> int:
    """Cluster ``new`` (already stored) into the stored clusters; return how many clusters were
    written. A writer passes the same ``cache`` batch after batch (a fresh one otherwise)."""
    cache = cache if cache is not None else ReclusterCache()
    cache.put(new)
    articles: dict[str, Article] = {}
    _load_articles(store, (m.article_id for m in new), articles)
    windows: list[tuple[EventMention, date, date]] = []
    for mention in new:
        day, precision = event_date(mention, articles)
        if day is not None:
            slack = timedelta(days=DATE_TOLERANCE_DAYS.get(precision or "week", MAX_TOLERANCE_DAYS) + 7)
            windows.append((mention, day - slack, day + slack))
    new_ids = {m.id for m in new}
    stored_cluster: dict[str, str] = {}
    for lo, hi in _merged((w[1], w[2]) for w in windows):  # a batch may span years: query its islands
        stored_cluster.update(
            (key, cid or key) for key, cid in store.mention_ids_between(lo, hi) if key not in new_ids
        )
    candidates = list(cache.mentions(store, _representatives(stored_cluster)).values())
    _load_articles(store, (c.article_id for c in candidates), articles)
    links = _links(new, windows, candidates, articles)
    # the stored clusters of every linked candidate, whole: the blocks new mentions may join
    linked = {key for _, a, b in links for key in (a, b) if key not in new_ids}
    affected = sorted({stored_cluster.get(key, key) for key in linked})
    members = (
        [(key, cid) for key, cid in store.mention_ids_of_clusters(affected) if key not in new_ids]
        if affected
        else []
    )
    mentions: dict[str, EventMention] = {
        **cache.mentions(store, (key for key, _ in members)),
        **{m.id: m for m in new},
    }
    blocks: dict[str, list[str]] = {}
    for key, cid in sorted(members):
        if key in mentions:
            blocks.setdefault(cid or key, []).append(key)
    _load_articles(store, (m.article_id for m in mentions.values()), articles)
    # the stored clusters stand as blocks (new mentions are in none); each new mention starts alone
    groups, contested = merge_strongest_first(
        {**blocks, **{m.id: [m.id] for m in new}}, links, mentions, articles
    )
    written = [sorted(group) for group in groups if new_ids.intersection(group)]
    if contested:
        # where a merge was refused, joining in arrival order could depend on that order:
        # those groups are partitioned again from scratch, as clustering every mention would
        pool = [mentions[key] for group in groups if contested.intersection(group) for key in group]
        # (groups={}: only the partition is kept; sources are counted below, per cluster)
        redone = [sorted(c.mention_ids) for c in cluster_mentions(pool, articles, groups={}, outlets=outlets)]
        written = [g for g in written if not contested.intersection(g)] + redone
    # independent sources among each cluster's own reports: copies of one outlet need no
    # comparing, so a cluster reported by one outlet costs no text comparison at all
    clusters = [
        summarise_cluster(
            group,
            mentions,
            articles,
            pairwise_source_groups(
                [articles[a] for a in sorted({mentions[k].article_id for k in group}) if a in articles],
                outlets,
                cache.shingles,
            ),
            outlets,
        )
        for group in written
    ]
    clusters = honour_reviews(
        clusters, mentions, articles, outlets, store.cluster_constraints(), cache.shingles
    )
    kept, regrouped = {c.id for c in clusters}, {key for group in written for key in group}
    # a stored cluster merged into another one, whose smallest mention names the merged one
    dissolved = sorted(
        cid for cid, keys in blocks.items() if cid not in kept and regrouped.intersection(keys)
    )
    store.write_clusters(clusters, dissolved=dissolved)
    return len(clusters)


def _representatives(cluster_of: dict[str, str]) -> list[str]:
    """Up to REPRESENTATIVES mentions of each stored cluster (its smallest ids), which new
    mentions are compared with instead of every member: a cluster's members fit together in
    time and place (``may_merge``), and comparing with all of them made each batch cost as
    much as the reports already stored of its events."""
    members: dict[str, list[str]] = defaultdict(list)
    for key, cid in cluster_of.items():
        members[cid].append(key)
    return [key for keys in members.values() for key in sorted(keys)[:REPRESENTATIVES]]


def _block_keys(mention: EventMention) -> set[tuple[object, ...]]:
    """What any mention linked to ``mention`` shares with it (``link_strength``): its article,
    an actor or recipient key in the same role, or a precise place (by name; by grid cell of
    ``CELL_DEGREES``, its neighbours looked up too, see :func:`_cells`)."""
    keys: set[tuple[object, ...]] = {("article", mention.article_id)}
    keys.update(("actor", key) for actor in mention.actor for key in actor_keys(actor))
    keys.update(("recipient", key) for actor in mention.recipient for key in actor_keys(actor))
    place = mention.location
    if place is not None and is_precise(place):
        keys.add(("name", place.name.casefold()))
    return keys


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """A grid cell at least a city's matching distance wide; one band-wide cell near the poles."""
    row = math.floor(lat / CELL_DEGREES)
    return (row, 0) if _polar(row) else (row, math.floor(lon / CELL_DEGREES))


def _polar(row: int) -> bool:
    return abs((row + 0.5) * CELL_DEGREES) >= POLAR_LATITUDE


def _cells(lat: float, lon: float) -> list[tuple[object, ...]]:
    """The cell of a point and its neighbours: every cell a place within the tolerance lies in."""
    row, column = math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)
    return [
        ("cell", r, 0) if _polar(r) else ("cell", r, column + d)
        for r in (row - 1, row, row + 1)
        for d in ((0,) if _polar(r) else (-1, 0, 1))
    ]


def _point(mention: EventMention) -> tuple[float, float] | None:
    """The coordinates of a mention's precise place, if it has them."""
    place = mention.location
    if place is None or not is_precise(place) or place.lat is None or place.lon is None:
        return None
    return place.lat, place.lon


def _links(
    new: Sequence[EventMention],
    windows: Sequence[tuple[EventMention, date, date]],
    candidates: Sequence[EventMention],
    articles: dict[str, Article],
) -> list[tuple[int, str, str]]:
    """Links (-strength, id, id) of the new mentions to candidates in their windows and to each
    other: never between two stored mentions, whose clusters stand. Each new mention is
    scored only against mentions sharing one of its :func:`_block_keys` (exact: a link needs
    one), of a compatible type, dated in its window."""
    index: dict[tuple[object, ...], list[EventMention]] = defaultdict(list)
    for candidate in (*candidates, *new):
        for key in _block_keys(candidate):
            index[key].append(candidate)
        if (point := _point(candidate)) is not None:
            index[("cell", *_cell(*point))].append(candidate)
    found: dict[tuple[str, str], int] = {}
    linker = Linker(articles)
    for mention, lo, hi in windows:
        keys = list(_block_keys(mention))
        if (point := _point(mention)) is not None:
            keys += _cells(*point)
        near = {other.id: other for key in keys for other in index.get(key, ())}
        for other in near.values():
            pair = (min(mention.id, other.id), max(mention.id, other.id))
            if (
                other.id == mention.id
                or pair in found
                or not types_compatible(mention.event_type, other.event_type)
            ):
                continue
            day, _precision = event_date(other, articles)
            if day is not None and not lo <= day <= hi:
                continue
            if strength := linker.strength(mention, other):
                found[pair] = strength
    return sorted((-strength, a, b) for (a, b), strength in found.items())


def recluster_all(store: Store, outlets: OutletTable) -> int:
    """Recompute every cluster from every stored mention (``sitroom recluster``)."""
    records = list(store.iter_events(EventFilter(background="include")))
    mentions = [mention_from_record(r) for r in records]
    articles: dict[str, Article] = {}
    _load_articles(store, (m.article_id for m in mentions), articles)
    clusters = honour_reviews(
        cluster_mentions(mentions, articles, outlets=outlets),
        {m.id: m for m in mentions},
        articles,
        outlets,
        store.cluster_constraints(),
    )
    old = {r["cluster_id"] for r in records if r.get("cluster_id")}
    store.write_clusters(clusters, dissolved=sorted(old - {c.id for c in clusters}))
    return len(clusters)


def recluster_members(store: Store, outlets: OutletTable, cluster_ids: Sequence[str]) -> int:
    """Cluster again, from scratch, the reports of these stored clusters that are not
    dismissed (``sitroom review``: a report dismissed, corrected, merged or split changes
    its cluster); return how many clusters were written."""
    members = store.mention_ids_of_clusters(cluster_ids)
    records = store.mention_records_by_ids(sorted({key for key, _ in members}))
    mentions = [mention_from_record(r) for r in records if r.get("review_status") != "dismissed"]
    articles: dict[str, Article] = {}
    _load_articles(store, (m.article_id for m in mentions), articles)
    clusters = honour_reviews(
        cluster_mentions(mentions, articles, outlets=outlets) if mentions else (),
        {m.id: m for m in mentions},
        articles,
        outlets,
        store.cluster_constraints(),
    )
    old = {cid for _, cid in members if cid} | set(cluster_ids)
    store.write_clusters(clusters, dissolved=sorted(old - {c.id for c in clusters}))
    return len(clusters)


def honour_reviews(
    clusters: Sequence[EventCluster],
    mentions: Mapping[str, EventMention],
    articles: Mapping[str, Article],
    outlets: OutletTable,
    constraints: ClusterConstraints,
    shingles: Callable[[Article], numpy.ndarray] | None = None,
) -> list[EventCluster]:
    """``clusters`` with the analysts' merges and splits applied (``sitroom review``): the
    clusters they change are summarised again, the others kept as they are."""
    if not constraints:
        return list(clusters)
    by_members = {tuple(sorted(c.mention_ids)): c for c in clusters}
    shingles = shingles or ReclusterCache().shingles
    out = []
    for group in apply_cluster_constraints([c.mention_ids for c in clusters], constraints):
        found = by_members.get(tuple(group))
        if found is None:
            reports = [articles[a] for a in sorted({mentions[k].article_id for k in group}) if a in articles]
            found = summarise_cluster(
                group, mentions, articles, pairwise_source_groups(reports, outlets, shingles), outlets
            )
        out.append(found)
    return out
