"""Coarsening of civilian-protection events before they leave sitroom.

Evacuations, corridors, shelters and hospitals are places where people are exposed; an
export handed on to others should not pin them to the metre. With ``coarsen=True`` every
event that has a civilian-protection kind gets:

- its coordinates rounded to :data:`COARSE_DEGREES` (0.1 degree, about 11 km of latitude);
- a precision no finer than ``admin2``;
- a place name no finer than its first-level division (``admin1``) when the place was a
  site or a neighbourhood, and no gazetteer id (which would locate it again).

Other events pass unchanged. The record given is never modified; a coarsened copy is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# 0.1 degree: the grid humanitarian access maps commonly use for sensitive sites (about 11 km
# north-south); coarse enough to hide a building, fine enough to keep the district.
COARSE_DEGREES = 0.1
FINE_PRECISIONS = frozenset({"site", "neighbourhood", "city"})
HIDDEN_NAME_PRECISIONS = frozenset({"site", "neighbourhood"})


def round_to_grid(value: float, step: float = COARSE_DEGREES) -> float:
    """``value`` rounded to the nearest multiple of ``step`` (kept short: 36.2, not 36.20000001)."""
    return round(round(value / step) * step, 6)


def coarsen_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an event record with its location coarsened when it is a civilian-protection event."""
    location = record.get("location")
    if not record.get("civilian_protection") or not location:
        return dict(record)
    place = dict(location)
    if place.get("lat") is not None and place.get("lon") is not None:
        place["lat"] = round_to_grid(place["lat"])
        place["lon"] = round_to_grid(place["lon"])
    if place.get("precision") in HIDDEN_NAME_PRECISIONS:
        place["name"] = place.get("admin1") or place.get("country") or "(withheld)"
        place["text"] = place["name"]
    if place.get("precision") in FINE_PRECISIONS or place.get("precision") is None:
        place["precision"] = "admin2"
    place["geonameid"] = None
    return {**record, "location": place, "coarsened": True}
