"""Event records in plain words for people reading a list: the type with what it means, the
place with its country, the date with its precision, a count as a number, the evidence's start.

The CLI's ``sitroom events`` and ``show`` use these; the dashboard's list says the same in
``web/static/js/words.js`` (``TYPE_WORDS``, kept equal to :data:`TYPE_WORDS` by a test).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What each PLOVER root means in everyday words (after the PLOVER manual's definitions).
TYPE_WORDS: dict[str, str] = {
    "AGREE": "agreement",
    "CONSULT": "talks",
    "SUPPORT": "support",
    "CONCEDE": "concession",
    "COOPERATE": "cooperation",
    "AID": "aid",
    "RETREAT": "withdrawal",
    "REQUEST": "appeal",
    "ACCUSE": "accusation",
    "REJECT": "refusal",
    "THREATEN": "threat",
    "PROTEST": "protest",
    "SANCTION": "sanction",
    "MOBILIZE": "mobilisation",
    "COERCE": "coercion",
    "ASSAULT": "attack",
}


def type_label(event_type: str | None) -> str:
    """'ASSAULT (attack)'; 'no type' for an event without one."""
    if not event_type:
        return "no type"
    words = TYPE_WORDS.get(event_type)
    return f"{event_type} ({words})" if words else event_type


def date_label(record: Mapping[str, Any]) -> str:
    """The event's date as precise as it is known: '2026-01-14', '2026-01-12 (week)',
    '2026-01 (month)', '2026 (year)', '1990s (decade)', '1300s (century)', 'undated'."""
    day = record.get("date")
    if not day:
        return "undated"
    precision = record.get("date_precision") or "day"
    if precision == "month":
        return f"{day[:7]} (month)"
    if precision == "year":
        return f"{day[:4]} (year)"
    if precision in ("decade", "century"):
        return f"{int(day[:4])}s ({precision})"
    return day if precision == "day" else f"{day} ({precision})"


def status_label(record: Mapping[str, Any]) -> str:
    """The event's status, with "background" after it for history recalled in a report
    (:mod:`sitroom.background`): 'occurred', 'occurred, background'."""
    return f"{record['status']}, background" if record.get("background") else record["status"]


def count_label(count: Mapping[str, Any] | None) -> str:
    """A reported count as a number: '7', '7-9', '3+' (at least), '?' (words without a
    number, as 'dozens'), '' (none reported)."""
    if not count:
        return ""
    low, high = count.get("min"), count.get("max")
    if low is None and high is None:
        return "?"
    if high is None:
        return f"{low}+"
    if low is None or low == high:
        return str(high)
    return f"{low}-{high}"


def parties_label(record: Mapping[str, Any]) -> str:
    """'actor -> recipient' by name; '?' where the report names nobody."""
    actor = ", ".join(a.get("name") or a["text"] for a in record.get("actor") or []) or "?"
    recipient = ", ".join(a.get("name") or a["text"] for a in record.get("recipient") or [])
    return f"{actor} -> {recipient}" if recipient else actor


def evidence_start(record: Mapping[str, Any]) -> str:
    """The evidence sentence on one line (its whitespace collapsed); callers cut it to fit."""
    return " ".join(str(record["evidence"].get("sentence") or "").split())
