"""Event clusters: reports of one real event across articles.

How two event mentions are linked (:func:`link_strength`, rules in order):

1. Two mentions of one article are never linked unless identical (same type, date, place
   and actors: the article repeats itself); an article that reports two attacks reports two
   events. No cluster ever holds two different mentions of one article (step 3).
2. Types must be compatible (same PLOVER type or a pair in ``COMPATIBLE_TYPES``), and
   neither the places nor the dates may conflict (tolerances by precision, see
   :mod:`sitroom.corroborate.matching`). A mention without a date is dated by its article's
   publication, at week precision.
3. Then it takes a precise place match (site/city) on a matching date; or shared
   participants (actor or recipient, by canonical name or country+sector) on a matching
   date; or a precise place and shared participants when a date is missing. Different
   perpetrators alone do not keep two reports apart: they become a contradiction.

Order independence: clusters are the connected components of that pairwise relation, which
do not depend on the order mentions arrive in. A component that would hold two different
mentions of one article is split by merging its links strongest first (ties broken by the
mention ids), refusing any merge that joins two mentions of one article: a function of the
component alone. A cluster is named after its smallest mention id.

Incremental: :func:`assign_mention` compares the new mention only with mentions in nearby
date buckets, joins the components it links to and recomputes those alone. The result is
equal to :func:`cluster_mentions` over all mentions (tested).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from sitroom.corroborate.contradictions import find_contradictions
from sitroom.corroborate.credibility import OutletTable, grade_credibility, load_outlets
from sitroom.corroborate.matching import (
    actors_relation,
    date_relation,
    describe_actors,
    is_precise,
    place_relation,
    types_compatible,
)
from sitroom.corroborate.shingles import source_groups
from sitroom.models import Article, EventCluster, EventMention

BUCKET_DAYS = 7
# Day- and week-precise mentions are compared with the neighbouring buckets only: two
# buckets either side cover the widest tolerance between them (week: 7 days).
NEAR_BUCKETS = 2
WIDE = -1  # bucket of mentions dated to a month or a year, or not at all: compared with all


@dataclass(frozen=True)
class Clustering:
    """Clusters with what is needed to add one more mention without starting over."""

    mentions: Mapping[str, EventMention]
    links: Mapping[str, frozenset[str]]  # the pairwise relation, both directions
    buckets: Mapping[int, tuple[str, ...]]
    groups: Mapping[str, str]  # article id -> independent-source group
    clusters: tuple[EventCluster, ...]  # sorted by id


def event_date(mention: EventMention, articles: Mapping[str, Article]) -> tuple[date | None, str | None]:
    """The mention's date and precision, else its article's publication date at week precision."""
    if mention.date is not None:
        return mention.date, mention.date_precision
    article = articles.get(mention.article_id)
    published = article.published_date if article else None
    return (published, "week") if published else (None, None)


def _bucket(mention: EventMention, articles: Mapping[str, Article]) -> int:
    when, precision = event_date(mention, articles)
    if when is None or precision in ("month", "year"):
        return WIDE
    return when.toordinal() // BUCKET_DAYS


def _signature(mention: EventMention) -> tuple[object, ...]:
    place = mention.location.name.casefold() if mention.location else None
    return (
        mention.event_type,
        mention.date,
        place,
        describe_actors(mention.actor),
        describe_actors(mention.recipient),
    )


def link_strength(a: EventMention, b: EventMention, articles: Mapping[str, Article]) -> int:
    """How strongly two mentions look like one event (0: not linked); rules in the module docstring."""
    if a.article_id == b.article_id:
        return 5 if _signature(a) == _signature(b) else 0
    if not types_compatible(a.event_type, b.event_type):
        return 0
    place = place_relation(a.location, b.location)
    date_a, precision_a = event_date(a, articles)
    date_b, precision_b = event_date(b, articles)
    when = date_relation(date_a, precision_a, date_b, precision_b)
    if "conflict" in (place, when):
        return 0
    who = actors_relation(a.actor + a.recipient, b.actor + b.recipient)
    precise_place = place == "match" and is_precise(a.location) and is_precise(b.location)
    linked = (
        (precise_place and when == "match")
        or (who == "match" and when == "match")
        or (precise_place and who == "match" and when == "unknown")
    )
    if not linked:
        return 0
    return (
        (2 if precise_place else int(place == "match"))
        + (when == "match")
        + (precision_a == precision_b == "day")
        + (who == "match")
        + (a.event_type == b.event_type)
    )


def _components(ids: Iterable[str], links: Mapping[str, frozenset[str]]) -> list[list[str]]:
    seen: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(ids):
        if start in seen:
            continue
        stack, component = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            component.append(node)
            for other in links.get(node, frozenset()):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        components.append(sorted(component))
    return components


def _split(
    component: list[str], mentions: Mapping[str, EventMention], articles: Mapping[str, Article]
) -> list[list[str]]:
    """Partition a component so that no part holds two different mentions of one article."""
    by_article: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for key in component:
        by_article[mentions[key].article_id].add(_signature(mentions[key]))
    if all(len(signatures) == 1 for signatures in by_article.values()):
        return [component]
    edges = sorted(
        (-link_strength(mentions[a], mentions[b], articles), a, b)
        for i, a in enumerate(component)
        for b in component[i + 1 :]
        if link_strength(mentions[a], mentions[b], articles) > 0
    )
    part = {key: key for key in component}
    members: dict[str, list[str]] = {key: [key] for key in component}
    for _, a, b in edges:
        root_a, root_b = part[a], part[b]
        if root_a == root_b:
            continue
        joined = members[root_a] + members[root_b]
        seen: dict[str, tuple[object, ...]] = {}
        if any(
            seen.setdefault(mentions[k].article_id, _signature(mentions[k])) != _signature(mentions[k])
            for k in joined
        ):
            continue
        keep, drop = min(root_a, root_b), max(root_a, root_b)
        members[keep] = joined
        for key in members.pop(drop):
            part[key] = keep
    return sorted(sorted(group) for group in members.values())


def summarise_cluster(
    member_ids: Sequence[str],
    mentions: Mapping[str, EventMention],
    articles: Mapping[str, Article],
    groups: Mapping[str, str],
    outlets: OutletTable,
) -> EventCluster:
    """An :class:`EventCluster` with sources, outlets, speakers, contradictions and credibility."""
    members = [mentions[key] for key in sorted(member_ids)]
    best_by_group: dict[str, str] = {}
    names: set[str] = set()
    for mention in members:
        group = groups.get(mention.article_id, mention.article_id)
        article = articles.get(mention.article_id)
        letter = outlets.reliability(article) if article else "F"
        best_by_group[group] = min(letter, best_by_group.get(group, "F"))
        name = outlets.display_name(article) if article else None
        if name:
            names.add(name)
    contradictions = find_contradictions(members)
    credibility = grade_credibility(
        independent_sources=len(best_by_group),
        reliabilities=tuple(best_by_group.values()),
        all_hedged=all(mention.attribution.hedge for mention in members),
        contradictions=contradictions,
        denied=any(mention.status == "denied" for mention in members),
        all_hypothetical=all(mention.status == "hypothetical" for mention in members),
    )
    return EventCluster(
        id="ev-" + members[0].id,
        mention_ids=tuple(mention.id for mention in members),
        independent_sources=len(best_by_group),
        outlets=tuple(sorted(names)),
        speakers=tuple(sorted({m.attribution.speaker for m in members if m.attribution.speaker})),
        contradictions=contradictions,
        credibility=credibility,
    )


def empty_clustering() -> Clustering:
    """A clustering with no mentions, to start incremental assignment from."""
    return Clustering(
        MappingProxyType({}), MappingProxyType({}), MappingProxyType({}), MappingProxyType({}), ()
    )


def _candidates(mention: EventMention, clustering: Clustering, articles: Mapping[str, Article]) -> set[str]:
    bucket = _bucket(mention, articles)
    if bucket == WIDE:
        return {key for keys in clustering.buckets.values() for key in keys}
    near = range(bucket - NEAR_BUCKETS, bucket + NEAR_BUCKETS + 1)
    return {key for b in (*near, WIDE) for key in clustering.buckets.get(b, ())}


def assign_mention(
    new: EventMention,
    existing: Clustering,
    articles: Mapping[str, Article],
    *,
    groups: Mapping[str, str] | None = None,
    outlets: OutletTable | None = None,
) -> Clustering:
    """Add one mention: link it to nearby mentions and recompute only the clusters it touches.

    ``groups`` (article id -> source group, from :func:`source_groups` over all articles) is
    recomputed from ``articles`` when omitted; clusters whose source groups changed are
    summarised again too.
    """
    table = outlets if outlets is not None else load_outlets()
    new_groups = dict(groups) if groups is not None else source_groups(list(articles.values()), table)
    mentions = {**existing.mentions, new.id: new}
    links = dict(existing.links)
    linked = {
        key
        for key in sorted(_candidates(new, existing, articles))
        if link_strength(new, mentions[key], articles) > 0
    }
    links[new.id] = frozenset(linked)
    for key in linked:
        links[key] = links.get(key, frozenset()) | {new.id}
    buckets = dict(existing.buckets)
    bucket = _bucket(new, articles)
    buckets[bucket] = (*buckets.get(bucket, ()), new.id)
    affected = {new.id}
    stack = [new.id]
    while stack:
        for other in links.get(stack.pop(), frozenset()):
            if other not in affected:
                affected.add(other)
                stack.append(other)
    changed_groups = {key for key, group in new_groups.items() if existing.groups.get(key, group) != group}
    kept: list[EventCluster] = []
    for cluster in existing.clusters:
        if affected.intersection(cluster.mention_ids):
            continue
        if any(mentions[key].article_id in changed_groups for key in cluster.mention_ids):
            cluster = summarise_cluster(cluster.mention_ids, mentions, articles, new_groups, table)
        kept.append(cluster)
    fresh = [
        summarise_cluster(part, mentions, articles, new_groups, table)
        for part in _split(sorted(affected), mentions, articles)
    ]
    return Clustering(
        mentions=MappingProxyType(mentions),
        links=MappingProxyType(links),
        buckets=MappingProxyType(buckets),
        groups=MappingProxyType(new_groups),
        clusters=tuple(sorted((*kept, *fresh), key=lambda cluster: cluster.id)),
    )


def build_clustering(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    groups: Mapping[str, str] | None = None,
    outlets: OutletTable | None = None,
) -> Clustering:
    """Cluster all mentions at once (the state :func:`assign_mention` can continue from)."""
    table = outlets if outlets is not None else load_outlets()
    all_groups = dict(groups) if groups is not None else source_groups(list(articles.values()), table)
    by_id = {mention.id: mention for mention in mentions}
    buckets: dict[int, list[str]] = defaultdict(list)
    for key in sorted(by_id):
        buckets[_bucket(by_id[key], articles)].append(key)
    links: dict[str, set[str]] = {key: set() for key in by_id}
    for bucket, keys in buckets.items():
        nearby = (
            sorted(by_id)
            if bucket == WIDE
            else [k for b in range(bucket, bucket + NEAR_BUCKETS + 1) for k in buckets.get(b, ())]
        )
        for a in keys:
            for b in nearby:
                if a != b and b not in links[a] and link_strength(by_id[a], by_id[b], articles) > 0:
                    links[a].add(b)
                    links[b].add(a)
    frozen_links = {key: frozenset(value) for key, value in links.items()}
    clusters = [
        summarise_cluster(part, by_id, articles, all_groups, table)
        for component in _components(by_id, frozen_links)
        for part in _split(component, by_id, articles)
    ]
    return Clustering(
        mentions=MappingProxyType(by_id),
        links=MappingProxyType(frozen_links),
        buckets=MappingProxyType({key: tuple(value) for key, value in buckets.items()}),
        groups=MappingProxyType(all_groups),
        clusters=tuple(sorted(clusters, key=lambda cluster: cluster.id)),
    )


def cluster_mentions(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    groups: Mapping[str, str] | None = None,
    outlets: OutletTable | None = None,
) -> tuple[EventCluster, ...]:
    """Cluster event mentions into events (sorted by cluster id); see the module docstring."""
    return build_clustering(mentions, articles, groups=groups, outlets=outlets).clusters
