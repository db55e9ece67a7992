"""Gazetteer places by name or by the start of a name, or near a point clicked on the map, for
an analyst picking the place of an event (``GET /api/places``, the dashboard's review form).

The names are the gazetteer's index keys (accents and case folded, :func:`normalise_name`),
its entries' names and aliases and, after them, their GeoNames alternate names (Halab for
Aleppo). Whole names come first (names and aliases, then alternate names: "Ariha" is Arīḩā
in Idlib before Jericho), then names that start with what was typed; within each, the more
populous place first.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterator
from functools import cached_property

from sitroom.read.gazetteer import Gazetteer, GazetteerEntry, distance_km, normalise_name

# The places a point on the map picks: towns, villages, sites (not provinces or countries,
# whose centres say little of where a click was).
POINT_PRECISIONS = frozenset({"site", "neighbourhood", "city"})
# Degrees of the cells of the point index, and how many cells out from a point's own are read
# at most (about 550 km at the equator) before giving up on finding a place near it.
CELL_DEGREES = 1.0
MAX_RINGS = 5
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

    def nearest(self, lat: float, lon: float, limit: int = 10) -> list[tuple[GazetteerEntry, float]]:
        """Up to ``limit`` towns, villages and sites nearest to ``lat``, ``lon`` (a point clicked
        on the map), each with its distance in km, nearest first."""
        row, col = self._cell(lat, lon)
        seen: list[GazetteerEntry] = []
        for ring in range(MAX_RINGS + 1):
            for r in range(row - ring, row + ring + 1):
                for c in range(col - ring, col + ring + 1):
                    if max(abs(r - row), abs(c - col)) == ring:  # this ring's cells only
                        seen.extend(self._cells.get((r, self._wrap(c)), ()))
            # one ring more than the first that found enough: a place in the next ring's cells
            # can be nearer than one found in a corner of this one
            if len(seen) >= limit and ring >= 1:
                break
        by_distance = sorted((distance_km(lat, lon, e.lat, e.lon), e.id, e) for e in seen)
        return [(e, km) for km, _, e in by_distance[:limit]]

    @cached_property
    def _cells(self) -> dict[tuple[int, int], list[GazetteerEntry]]:
        cells: dict[tuple[int, int], list[GazetteerEntry]] = {}
        for entry in self.gazetteer.entries:
            if entry.precision in POINT_PRECISIONS:
                cells.setdefault(self._cell(entry.lat, entry.lon), []).append(entry)
        return cells

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / CELL_DEGREES), PlaceFinder._wrap(math.floor(lon / CELL_DEGREES))

    @staticmethod
    def _wrap(col: int) -> int:
        """The column of a cell east or west of the antimeridian, as the index keeps it."""
        columns = round(360 / CELL_DEGREES)
        return (col + columns // 2) % columns - columns // 2

    @staticmethod
    def _starting(
        names: list[str], index: dict[str, list[GazetteerEntry]], key: str
    ) -> Iterator[GazetteerEntry]:
        start = bisect_left(names, key)
        for name in names[start : start + PREFIX_SCAN]:
            if not name.startswith(key):
                break
            yield from index[name]
