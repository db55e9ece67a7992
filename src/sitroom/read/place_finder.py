"""Gazetteer places by name or by the start of a name, for an analyst picking the place of an
event (``GET /api/places``, the dashboard's review form).

The names are the gazetteer's index keys (accents and case folded, :func:`normalise_name`),
its entries' names and aliases and, after them, their GeoNames alternate names (Halab for
Aleppo). Whole names come first (names and aliases, then alternate names: "Ariha" is Arīḩā
in Idlib before Jericho), then names that start with what was typed; within each, the more
populous place first.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from sitroom.read.gazetteer import Gazetteer, GazetteerEntry, normalise_name

# Index keys read past the first match when looking for names that start with the query: the
# sort by population happens on these only, so a very short prefix stays fast.
PREFIX_SCAN = 2000


class PlaceFinder:
    """Looks places up in one gazetteer; built once per process (the sorted names)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._names = sorted(gazetteer.index)
        self._alternates = sorted(gazetteer.alternate_index)

    def find(self, query: str, limit: int = 10) -> list[GazetteerEntry]:
        """Up to ``limit`` entries named ``query`` or a name starting with it; ``Name, ISO3``
        keeps one country's; an entry id (``geonames:170063``) gives that entry."""
        if (entry := self.gazetteer.by_id.get(query.strip())) is not None:
            return [entry]
        name, _, country = (part.strip() for part in query.partition(","))
        key = normalise_name(name)
        if not key:
            return []
        found: dict[str, GazetteerEntry] = {}
        for group in (
            self.gazetteer.lookup(name),
            self.gazetteer.lookup_alternate(name),
            [*self._starting(self._names, self.gazetteer.index, key)],
            [*self._starting(self._alternates, self.gazetteer.alternate_index, key)],
        ):
            kept = [e for e in group if not country or e.country == country.upper()]
            for entry in sorted(kept, key=lambda e: (-e.population, e.id)):
                found.setdefault(entry.id, entry)
            if len(found) >= limit:
                break
        return list(found.values())[:limit]

    @staticmethod
    def _starting(
        names: list[str], index: dict[str, list[GazetteerEntry]], key: str
    ) -> Iterator[GazetteerEntry]:
        start = bisect_left(names, key)
        for name in names[start : start + PREFIX_SCAN]:
            if not name.startswith(key):
                break
            yield from index[name]
