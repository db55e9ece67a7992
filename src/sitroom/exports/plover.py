"""Event records in the PLOVER JSON layout (the field names of PLOVER's gold-standard records).

PLOVER's fields: ``id``, ``date``, ``event``, ``mode``, ``context`` (comma-separated),
``source``/``target`` (lists of ``actorText``, ``code``, ``sector``), ``eventLoc``, counts
(``dead``, ``injured``, ...), ``text``, ``publication``, ``version``. What PLOVER
has no field for (status, attribution, evidence offsets, corroboration) is kept under ``sitroom``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PLOVER_VERSION = "PLOVER 2021 (sitroom export)"
COUNT_FIELDS = ("dead", "injured", "displaced", "arrested")


def _actor(entity: Mapping[str, Any]) -> dict[str, Any]:
    actor = {"actorText": entity.get("text") or entity.get("name") or "", "code": entity.get("country") or ""}
    if entity.get("sector"):
        actor["sector"] = entity["sector"]
    if entity.get("name"):
        actor["name"] = entity["name"]
    return actor


def _event_loc(place: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not place:
        return None
    keys = ("name", "lat", "lon", "country", "admin1", "precision", "geonameid")
    return {key: place.get(key) for key in keys}


def plover_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """One event record in PLOVER's layout."""
    evidence, attribution = record["evidence"], record["attribution"]
    out: dict[str, Any] = {
        "id": record["id"],
        "date": record.get("date") or "",
        "event": record.get("event_type") or "",
        "mode": record.get("mode") or "",
        "context": ", ".join(record.get("context") or []),
        "source": [_actor(e) for e in record["actor"]],
        "target": [_actor(e) for e in record["recipient"]],
        "eventLoc": _event_loc(record.get("location")),
    }
    for field in COUNT_FIELDS:
        count = record["size"].get(field)
        if count and count.get("min") is not None:
            out[field] = str(count["min"])
    out.update(
        {
            "text": evidence["sentence"],
            "publication": evidence.get("outlet") or "",
            "url": evidence.get("url"),
            "version": PLOVER_VERSION,
            "sitroom": {
                "status": record["status"],
                "date_precision": record.get("date_precision"),
                "date_source": record.get("date_source"),
                "background": bool(record.get("background")),
                "acled_event_type": record.get("acled_event_type"),
                "acled_sub_event_type": record.get("acled_sub_event_type"),
                "civilian_protection": list(record.get("civilian_protection") or []),
                "attribution": attribution,
                "evidence": {k: evidence.get(k) for k in ("article_id", "published", "start", "end")},
                "cluster_id": record.get("cluster_id"),
                "independent_sources": record.get("independent_sources"),
                "credibility": record.get("credibility"),
                "confidence": record.get("confidence"),
            },
        }
    )
    return out
