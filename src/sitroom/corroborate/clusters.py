"""Event clusters: reports of one real event across articles.

How two event mentions are linked (:func:`link_strength`, rules in order):

1. Two mentions of one article are never linked unless identical (same type, date, place
   and actors: the article repeats itself); an article that reports two attacks reports two
   events. No cluster ever holds two different mentions of one article (step 4).
2. Types must be known and compatible (same PLOVER type or a pair in ``COMPATIBLE_TYPES``:
   an untyped mention corroborates nothing), and neither the places nor the dates may
   conflict (tolerances by precision, see :mod:`sitroom.corroborate.matching`). A mention
   without a date is dated by its article's publication, at week precision.
3. Then, when both mentions carry their own date, it takes a precise place match
   (site/city) on a matching date, or shared participants (an actor shared as actor, or a
   recipient as recipient, by canonical name) on a matching date: a country+sector in
   common, such as two US government bodies, is compatible but no evidence of one event.
   When either is dated only by its article's publication, it takes both a precise place
   and shared participants: every report of the week in one city is not one event.
   Different perpetrators alone do not keep two reports apart: they become a contradiction.
4. Links chain: daily shelling of one town links each day to the next. So a cluster must
   also stay compact: any two of its members must fit within ``EXTENT_SLACK`` times the
   tolerances (dates and places), and no two different mentions of one article may share it.
   Reports that disagree a little (a day apart, the next village) stay one event, and their
   disagreement beyond precision is listed as a contradiction.

Order independence: the links form a graph whose connected components do not depend on the
order mentions arrive in. Inside each component, links are merged strongest first (ties
broken by the mention ids), refusing any merge that breaks step 4: a function of the
component alone, so the clusters are too. A cluster is named after its smallest mention id.

:func:`cluster_mentions` clusters all mentions at once (``sitroom recluster``); new mentions
join the stored clusters through :mod:`sitroom.corroborate.update`, with the same links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sitroom.corroborate.contradictions import find_contradictions
from sitroom.corroborate.credibility import (
    IMPROBABLE,
    OutletTable,
    credibility_basis,
    grade_credibility,
    load_outlets,
)
from sitroom.corroborate.extents import Extent
from sitroom.corroborate.matching import (
    actor_keys,
    actors_relation,
    date_relation,
    describe_actors,
    is_precise,
    place_relation,
    types_compatible,
)
from sitroom.corroborate.shingles import source_groups
from sitroom.corroborate.tolls import event_toll
from sitroom.models import Article, EventCluster, EventMention

BUCKET_DAYS = 7
# Day- and week-precise mentions are compared with the neighbouring buckets only: dates at
# most 7 days apart (the widest tolerance between them) lie in the same or adjacent buckets.
NEAR_BUCKETS = 1
WIDE = -1  # bucket of mentions dated to a month or a year, or not at all: compared with all
# How far members of one cluster may spread, in multiples of the pairwise tolerances: twice
# lets two reports disagree by one tolerance beyond precision (shown as a contradiction)
# while a chain of daily incidents in one town cannot grow into one event.
EXTENT_SLACK = 2.0


def event_date(mention: EventMention, articles: Mapping[str, Article]) -> tuple[date | None, str | None]:
    """The mention's stated date and precision, else its article's publication date at week
    precision (a date inferred from the capture day is no evidence of when: none)."""
    if mention.stated_date is not None:
        return mention.stated_date, mention.date_precision
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
        return _strength_within(a, b)
    return _strength_across(a, b, articles)


def _strength_within(a: EventMention, b: EventMention) -> int:
    """:func:`link_strength` of two mentions of one article: linked only if identical (and typed:
    an untyped mention links to nothing, see :func:`~sitroom.corroborate.matching.types_compatible`)."""
    return 5 if a.event_type is not None and _signature(a) == _signature(b) else 0


def _strength_across(a: EventMention, b: EventMention, articles: Mapping[str, Article]) -> int:
    """:func:`link_strength` of mentions of two different articles: a function of their
    :func:`_traits` alone."""
    date_a, precision_a = event_date(a, articles)
    date_b, precision_b = event_date(b, articles)
    when = date_relation(date_a, precision_a, date_b, precision_b)
    if when == "conflict" or not types_compatible(a.event_type, b.event_type):
        return 0
    place = place_relation(a.location, b.location)
    if place == "conflict":
        return 0
    # participants in the same role: the victims of one report are not the perpetrators of another
    roles = (actors_relation(a.actor, b.actor), actors_relation(a.recipient, b.recipient))
    who = "match" if "match" in roles else "unknown"
    precise_place = place == "match" and is_precise(a.location) and is_precise(b.location)
    if a.stated_date is None or b.stated_date is None:
        # a publication week is weak evidence of when: both place and participants must agree
        linked = precise_place and who == "match" and when != "conflict"
    else:
        linked = (precise_place and when == "match") or (who == "match" and when == "match")
    if not linked:
        return 0
    return (
        (2 if precise_place else int(place == "match"))
        + (when == "match")
        + (precision_a == precision_b == "day")
        + (who == "match")
        + (a.event_type == b.event_type)
    )


def _traits(mention: EventMention, articles: Mapping[str, Article]) -> tuple[object, ...]:
    """All that :func:`_strength_across` reads of a mention: its type, own date or not, date
    and precision, place, and the keys of its actors and of its recipients (None: none named)."""
    place = mention.location
    return (
        mention.event_type,
        mention.stated_date is None,
        *event_date(mention, articles),
        None
        if place is None
        else (place.name.casefold(), place.country, place.precision, place.lat, place.lon),
        *(
            frozenset().union(*(actor_keys(actor) for actor in actors)) if actors else None
            for actors in (mention.actor, mention.recipient)
        ),
    )


class Linker:
    """:func:`link_strength` over many pairs of mentions: reports of one event mostly read
    alike (same type, date, place and actors, another article), so the strength across
    articles is computed once per pair of :func:`_traits` and looked up after that."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self.articles = articles
        self._kind: dict[str, int] = {}  # mention id -> index of its traits
        self._kinds: dict[tuple[object, ...], int] = {}
        self._models: list[EventMention] = []  # the first mention of each traits
        self._strengths: dict[tuple[int, int], int] = {}

    def kind(self, mention: EventMention) -> int:
        kind = self._kind.get(mention.id)
        if kind is None:
            traits = _traits(mention, self.articles)
            kind = self._kinds.get(traits)
            if kind is None:
                kind = self._kinds[traits] = len(self._models)
                self._models.append(mention)
            self._kind[mention.id] = kind
        return kind

    def strength(self, a: EventMention, b: EventMention) -> int:
        if a.article_id == b.article_id:
            return _strength_within(a, b)
        kind_a, kind_b = sorted((self.kind(a), self.kind(b)))
        strength = self._strengths.get((kind_a, kind_b))
        if strength is None:
            strength = _strength_across(self._models[kind_a], self._models[kind_b], self.articles)
            self._strengths[kind_a, kind_b] = strength
        return strength


def _components(ids: Iterable[str], links: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
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
            for other in links.get(node, {}):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        components.append(sorted(component))
    return components


def may_merge(
    first: Sequence[str],
    second: Sequence[str],
    mentions: Mapping[str, EventMention],
    articles: Mapping[str, Article],
) -> bool:
    """Whether two clusters may merge: no two mentions of one article, compact in time and
    place (any two members within ``EXTENT_SLACK`` times the tolerances; see
    :mod:`sitroom.corroborate.extents`)."""
    return _extent(first, mentions, articles).fits(_extent(second, mentions, articles), EXTENT_SLACK)


def _extent(
    keys: Iterable[str], mentions: Mapping[str, EventMention], articles: Mapping[str, Article]
) -> Extent:
    return Extent.of((mentions[key] for key in keys), articles, _signature, event_date)


def merge_strongest_first(
    groups: Mapping[str, Sequence[str]],
    edges: Iterable[tuple[int, str, str]],
    mentions: Mapping[str, EventMention],
    articles: Mapping[str, Article],
) -> tuple[list[list[str]], set[str]]:
    """``groups`` (id -> member ids) merged along ``edges`` ((-strength, a, b), in the order
    given: strongest first), refusing merges that :func:`may_merge` forbids (asked of the
    groups' :class:`~sitroom.corroborate.extents.Extent`, which answers the same); the groups,
    and the members of both sides of every refused merge. Edges to unknown ids are skipped."""
    root = {key: gid for gid, keys in groups.items() for key in keys}
    members = {gid: list(keys) for gid, keys in groups.items()}
    extents = {gid: _extent(keys, mentions, articles) for gid, keys in groups.items()}
    refused: set[str] = set()
    for _, a, b in edges:
        root_a, root_b = root.get(a), root.get(b)
        if root_a is None or root_b is None or root_a == root_b:
            continue
        if not extents[root_a].fits(extents[root_b], EXTENT_SLACK):
            refused.update(members[root_a], members[root_b])
            continue
        keep, drop = min(root_a, root_b), max(root_a, root_b)
        for key in members[drop]:
            root[key] = keep
        members[keep] += members.pop(drop)
        extents[keep].join(extents.pop(drop))
    return list(members.values()), refused


def _partition(
    component: Sequence[str],
    links: Mapping[str, Mapping[str, int]],
    mentions: Mapping[str, EventMention],
    articles: Mapping[str, Article],
) -> list[list[str]]:
    """Merge a component's links strongest first, refusing merges that :func:`may_merge` forbids."""
    edges = sorted((-strength, a, b) for a in component for b, strength in links[a].items() if a < b)
    merged, _refused = merge_strongest_first({key: [key] for key in component}, edges, mentions, articles)
    return sorted(sorted(group) for group in merged)


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
    names_by_group: dict[str, set[str]] = defaultdict(set)
    for mention in members:
        group = groups.get(mention.article_id, mention.article_id)
        article = articles.get(mention.article_id)
        letter = outlets.reliability(article) if article else "F"
        best_by_group[group] = min(letter, best_by_group.get(group, "F"))
        name = outlets.display_name(article) if article else None
        names_by_group[group].update([name] if name else [])
    contradictions = find_contradictions(members)
    all_hedged = all(mention.attribution.hedge for mention in members)
    denied = any(mention.status == "denied" for mention in members)
    credibility = grade_credibility(
        independent_sources=len(best_by_group),
        reliabilities=tuple(best_by_group.values()),
        all_hedged=all_hedged,
        contradictions=contradictions,
        denied=denied,
        all_hypothetical=all(mention.status == "hypothetical" for mention in members),
    )
    sources = sorted(sorted(names_by_group[group]) for group in best_by_group)
    published = {
        m.article_id: a.published_date if (a := articles.get(m.article_id)) else None for m in members
    }
    dead, not_counted = event_toll(members, published, improbable=credibility == IMPROBABLE)
    return EventCluster(
        id="ev-" + members[0].id,
        mention_ids=tuple(mention.id for mention in members),
        independent_sources=len(best_by_group),
        outlets=tuple(sorted({name for names in names_by_group.values() for name in names})),
        speakers=tuple(sorted({m.attribution.speaker for m in members if m.attribution.speaker})),
        contradictions=contradictions,
        credibility=credibility,
        credibility_basis=credibility_basis(
            sources, all_hedged=all_hedged, denied=denied, contradictions=contradictions
        ),
        dead=dead,
        not_counted=not_counted,
    )


def cluster_mentions(
    mentions: Sequence[EventMention],
    articles: Mapping[str, Article],
    *,
    groups: Mapping[str, str] | None = None,
    outlets: OutletTable | None = None,
) -> tuple[EventCluster, ...]:
    """Cluster event mentions into events (sorted by cluster id); see the module docstring.

    ``groups`` (article id -> independent-source group) is :func:`source_groups` over
    ``articles`` when omitted."""
    table = outlets if outlets is not None else load_outlets()
    all_groups = dict(groups) if groups is not None else source_groups(list(articles.values()), table)
    by_id = {mention.id: mention for mention in mentions}
    buckets: dict[int, list[str]] = defaultdict(list)
    for key in sorted(by_id):
        buckets[_bucket(by_id[key], articles)].append(key)
    links: dict[str, dict[str, int]] = {key: {} for key in by_id}
    linker = Linker(articles)
    for bucket, keys in buckets.items():
        nearby = (
            sorted(by_id)
            if bucket == WIDE
            else [k for b in range(bucket, bucket + NEAR_BUCKETS + 1) for k in buckets.get(b, ())]
        )
        for a in keys:
            for b in nearby:
                if a != b and b not in links[a] and (strength := linker.strength(by_id[a], by_id[b])):
                    links[a][b] = links[b][a] = strength
    clusters = [
        summarise_cluster(part, by_id, articles, all_groups, table)
        for component in _components(by_id, links)
        for part in _partition(component, links, by_id, articles)
    ]
    return tuple(sorted(clusters, key=lambda cluster: cluster.id))
