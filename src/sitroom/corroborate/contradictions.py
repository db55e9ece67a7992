"""Contradictions between reports of one event, side by side.

A field is contradicted when two reports of the event cannot both be right:

- ``dead``, ``injured``, ``displaced``, ``arrested``: two count ranges that do not overlap
  ("at least 7" and "9" overlap; "7" and "9" do not; "dozens" (12+) and "5" do not);
- ``perpetrator``: two reports name actors with neither a canonical name nor a
  country+sector in common;
- ``date``: two dates further apart than the coarser precision allows;
- ``place``: two places further apart than the coarser precision allows, or in different
  countries.

``values`` lists every distinct value the reports give for that field, sorted, so the
reader sees all versions, not only the two that clash. A death toll that rose in a later
report is listed too: the reader decides whether it is an update or a dispute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import TypeVar

from sitroom.corroborate.matching import actors_relation, date_relation, describe_actors, place_relation
from sitroom.models import Contradiction, Count, EventMention

COUNT_FIELDS: tuple[str, ...] = ("dead", "injured", "displaced", "arrested")
_T = TypeVar("_T")


def format_count(count: Count) -> str:
    """A count range as a short stable string: "7", "7-9", "12+"."""
    low = count.min if count.min is not None else 0
    if count.max is None:
        return f"{low}+"
    return str(low) if low == count.max else f"{low}-{count.max}"


def counts_overlap(a: Count, b: Count) -> bool:
    """Whether two count ranges can both be right (an open end is unbounded)."""
    low_a, low_b = a.min or 0, b.min or 0
    high_a = a.max if a.max is not None else float("inf")
    high_b = b.max if b.max is not None else float("inf")
    return low_a <= high_b and low_b <= high_a


def _any_clash(items: Sequence[_T], clash: Callable[[_T, _T], bool]) -> bool:
    """Whether two of ``items`` clash; equal items are compared once (copies of one report)."""
    return any(clash(a, b) for a, b in combinations(dict.fromkeys(items), 2))


def find_contradictions(mentions: Sequence[EventMention]) -> tuple[Contradiction, ...]:
    """The contradicted fields among reports of one event, in a fixed field order."""
    found: list[Contradiction] = []
    for name in COUNT_FIELDS:
        counts = [c for m in mentions if (c := getattr(m.size, name)) is not None and (c.min or c.max)]
        if _any_clash(counts, lambda a, b: not counts_overlap(a, b)):
            values = sorted(
                {(c.min or 0, c.max if c.max is not None else float("inf"), format_count(c)) for c in counts}
            )
            found.append(Contradiction(name, tuple(dict.fromkeys(value[2] for value in values))))
    blamed = [m.actor for m in mentions if m.actor]
    if _any_clash(blamed, lambda a, b: actors_relation(a, b) == "conflict"):
        found.append(Contradiction("perpetrator", tuple(sorted({describe_actors(a) for a in blamed}))))
    dated = [(m.date, m.date_precision) for m in mentions if m.date is not None]
    if _any_clash(dated, lambda a, b: date_relation(a[0], a[1], b[0], b[1]) == "conflict"):
        found.append(
            Contradiction("date", tuple(sorted({day.isoformat() for day, _precision in dated if day})))
        )
    placed = [m.location for m in mentions if m.location is not None]
    if _any_clash(placed, lambda a, b: place_relation(a, b) == "conflict"):
        found.append(Contradiction("place", tuple(sorted({place.name for place in placed}))))
    return tuple(found)
