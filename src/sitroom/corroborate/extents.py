"""What a group of event mentions spans, for deciding whether two groups may merge.

:func:`~sitroom.corroborate.clusters.may_merge` asks of every pair of members, one of each
group: two mentions of one article that differ, dates or places beyond ``EXTENT_SLACK``
times their tolerances. Merging strongest link first asks it again at every link between two
groups, so a pool of a few hundred reports of one event (a story repeated all day) cost
hundreds of thousands of pairs a batch. An :class:`Extent` answers the same question from
what decides it, kept per group and joined as groups merge:

- per article, the signatures of its mentions (two different ones conflict);
- per date precision, the earliest and latest date (the widest gap between two groups is
  between the extremes, and the tolerance depends on the two precisions alone);
- the countries (two different ones conflict);
- the distinct coordinates, with their precision, of places finer than a country (reports
  of one event mostly share a geocoded point: a few distinct points a group).

:meth:`Extent.fits` equals ``may_merge`` over the members (tested on random groups).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sitroom.corroborate.matching import (
    COUNTRY_LEVEL,
    DATE_PRECISIONS,
    DATE_TOLERANCE_DAYS,
    PLACE_PRECISIONS,
    PLACE_TOLERANCE_KM,
    date_rank,
    distance_km,
    place_rank,
)
from sitroom.models import Article, EventMention

# How clusters.py reads a mention's signature and its (date, precision): passed in, as that
# module builds on this one.
SignatureFn = Callable[[EventMention], Hashable]
DayFn = Callable[[EventMention, Mapping[str, Article]], tuple[date | None, str | None]]
# Places of these ranks and coarser are compared by country alone.
_COUNTRY_RANK = min(PLACE_PRECISIONS.index(p) for p in COUNTRY_LEVEL)


@dataclass
class Extent:
    """The span of a group of mentions (see the module docstring); mutable, owned by one merge."""

    signatures: dict[str, set[Hashable]] = field(default_factory=dict)  # article id -> signatures
    days: dict[int, tuple[int, int]] = field(default_factory=dict)  # date rank -> (first, last) ordinal
    countries: set[str] = field(default_factory=set)
    points: set[tuple[int, float, float]] = field(default_factory=set)  # (place rank, lat, lon)

    @classmethod
    def of(
        cls,
        members: Iterable[EventMention],
        articles: Mapping[str, Article],
        signature: SignatureFn,
        day: DayFn,
    ) -> Extent:
        extent = cls()
        for mention in members:
            extent.signatures.setdefault(mention.article_id, set()).add(signature(mention))
            when, precision = day(mention, articles)
            if when is not None:
                rank, ordinal = date_rank(precision), when.toordinal()
                first, last = extent.days.get(rank, (ordinal, ordinal))
                extent.days[rank] = (min(first, ordinal), max(last, ordinal))
            place = mention.location
            if place is None:
                continue
            if place.country:
                extent.countries.add(place.country)
            rank = place_rank(place)
            if rank < _COUNTRY_RANK and place.lat is not None and place.lon is not None:
                extent.points.add((rank, place.lat, place.lon))
        return extent

    def fits(self, other: Extent, slack: float) -> bool:
        """Whether no member of this group conflicts with one of ``other`` (``may_merge``)."""
        small, large = sorted((self.signatures, other.signatures), key=len)
        for article, signatures in small.items():
            theirs = large.get(article)
            if theirs is not None and len(signatures | theirs) > 1:
                return False
        for rank_a, (first_a, last_a) in self.days.items():
            for rank_b, (first_b, last_b) in other.days.items():
                tolerance = DATE_TOLERANCE_DAYS[DATE_PRECISIONS[max(rank_a, rank_b)]] * slack
                if max(last_a - first_b, last_b - first_a) > tolerance:
                    return False
        if self.countries and other.countries and len(self.countries | other.countries) > 1:
            return False
        for rank_a, lat_a, lon_a in self.points:
            for rank_b, lat_b, lon_b in other.points:
                tolerance = PLACE_TOLERANCE_KM[PLACE_PRECISIONS[max(rank_a, rank_b)]] * slack
                if distance_km(lat_a, lon_a, lat_b, lon_b) > tolerance:
                    return False
        return True

    def join(self, other: Extent) -> None:
        """Take in ``other``'s members (this extent becomes their union)."""
        for article, signatures in other.signatures.items():
            self.signatures.setdefault(article, set()).update(signatures)
        for rank, (first, last) in other.days.items():
            mine = self.days.get(rank, (first, last))
            self.days[rank] = (min(mine[0], first), max(mine[1], last))
        self.countries |= other.countries
        self.points |= other.points
