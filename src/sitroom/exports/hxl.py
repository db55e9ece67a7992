"""Event records as HXL-tagged CSV rows (Humanitarian Exchange Language: a hashtag row under the header).

The columns follow ACLED's names where ACLED has one (HDX's ACLED datasets are tagged the
same way), plus sitroom's own: status, independent sources, credibility, civilian protection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitroom.exports.acled import acled_row

# (header, HXL hashtag, how to read it from the ACLED row or the record)
HXL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "#event+code"),
    ("event_date", "#date+occurred"),
    ("event_type", "#event+type"),
    ("sub_event_type", "#event+type+sub"),
    ("plover_type", "#event+type+plover"),
    ("status", "#status+event"),
    ("actor1", "#group+name+first"),
    ("actor2", "#group+name+second"),
    ("country_code", "#country+code"),
    ("admin1", "#adm1+name"),
    ("location", "#loc+name"),
    ("latitude", "#geo+lat"),
    ("longitude", "#geo+lon"),
    ("geo_precision", "#geo+precision"),
    ("source", "#meta+source"),
    ("source_url", "#meta+url"),
    ("independent_sources", "#meta+sources+num"),
    ("credibility", "#meta+credibility"),
    ("civilian_protection", "#indicator+protection"),
    ("notes", "#description"),
    ("fatalities", "#affected+killed"),
    ("injured", "#affected+injured"),
    ("displaced", "#affected+displaced"),
    # an analyst's review (sitroom.review): the status and the fields corrected
    ("review", "#meta+review"),
    ("corrected", "#meta+corrected"),
)
HXL_HEADER: tuple[str, ...] = tuple(name for name, _ in HXL_COLUMNS)
HXL_TAGS: tuple[str, ...] = tuple(tag for _, tag in HXL_COLUMNS)
# Columns that hold numbers (see ``ACLED_NUMERIC``): a negative longitude stays a number.
HXL_NUMERIC: frozenset[str] = frozenset(
    {"latitude", "longitude", "independent_sources", "credibility", "fatalities", "injured", "displaced"}
)


def _low(record: Mapping[str, Any], field: str) -> Any:
    count = record["size"].get(field) or {}
    return "" if count.get("min") is None else count["min"]


def hxl_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One event record as a dict keyed by :data:`HXL_HEADER`."""
    acled = acled_row(record)
    place = record.get("location") or {}
    return {
        "event_id": record["id"],
        "event_date": acled["event_date"],
        "event_type": acled["event_type"],
        "sub_event_type": acled["sub_event_type"],
        "plover_type": record.get("event_type") or "",
        "status": record["status"],
        "actor1": acled["actor1"],
        "actor2": acled["actor2"],
        "country_code": place.get("country") or "",
        "admin1": acled["admin1"],
        "location": acled["location"],
        "latitude": acled["latitude"],
        "longitude": acled["longitude"],
        "geo_precision": place.get("precision") or "",
        "source": acled["source"],
        "source_url": record["evidence"].get("url") or "",
        "independent_sources": record.get("independent_sources") or 1,
        "credibility": "" if record.get("credibility") is None else record["credibility"],
        "civilian_protection": "; ".join(record.get("civilian_protection") or []),
        "notes": acled["notes"],
        "fatalities": _low(record, "dead"),
        "injured": _low(record, "injured"),
        "displaced": _low(record, "displaced"),
        "review": record.get("review_status") or "unreviewed",
        "corrected": "; ".join(record.get("corrected") or []),
    }
