"""Event records as GeoJSON Features (RFC 7946), written as one FeatureCollection stream."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO


def event_feature(record: Mapping[str, Any]) -> dict[str, Any]:
    """A Point Feature at the event's place (``geometry`` null when it has no coordinates).

    ``properties`` is the whole event record, plus flat ``place``, ``precision`` and
    ``fatalities`` for tools that cannot read nested properties.
    """
    place = record.get("location") or {}
    has_point = place.get("lat") is not None and place.get("lon") is not None
    dead = (record["size"].get("dead") or {}).get("min")
    return {
        "type": "Feature",
        "id": record["id"],
        "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]} if has_point else None,
        "properties": {
            **record,
            "place": place.get("name"),
            "precision": place.get("precision"),
            "fatalities": dead,
        },
    }


def write_feature_collection(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write a FeatureCollection a feature at a time (flat memory); return the number written."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for record in records:
        if count:
            out.write(",\n")
        out.write(json.dumps(event_feature(record), ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count
