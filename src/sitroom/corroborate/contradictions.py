"""Contradictions between reports of one event, side by side.

A field is contradicted (``disputed``) when two reports of the event cannot both be right:

- ``dead``, ``injured``, ``displaced``, ``arrested``: two count ranges that do not overlap
  ("at least 7" and "9" overlap; "7" and "9" do not; "dozens" (12+) and "5" do not);
- ``perpetrator``: two reports name actors with neither a canonical name nor a
  country+sector in common;
- ``date``: two dates further apart than the coarser precision allows;
- ``place``: two places further apart than the coarser precision allows, or in different
  countries.

Counts that differ but can all be right ("at least seven" in one report, "nine" in another)
are listed too, with ``disputed`` false: the reader sees the spread of the figures, while
the credibility grade (:mod:`sitroom.corroborate.credibility`) counts disputed fields only.

``values`` lists every distinct value the reports give for that field, sorted, so the
reader sees all versions, not only the two that clash; ``reports`` gives each report's
value (mention id, value). A death toll that rose in a later report is listed too: the
reader decides whether it is an update or a dispute.
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
    """The contradicted fields among reports of one event, and the counts that differ, in a
    fixed field order."""
    found: list[Contradiction] = []
    for name in COUNT_FIELDS:
        given = [(m.id, c) for m in mentions if (c := getattr(m.size, name)) is not None and (c.min or c.max)]
        counts = [count for _id, count in given]
        values = sorted(
            {(c.min or 0, c.max if c.max is not None else float("inf"), format_count(c)) for c in counts}
        )
        if len(values) > 1:
            found.append(
                Contradiction(
                    name,
                    tuple(dict.fromkeys(value[2] for value in values)),
                    disputed=_any_clash(counts, lambda a, b: not counts_overlap(a, b)),
                    reports=tuple((key, format_count(count)) for key, count in given),
                )
            )
    blamed = [m for m in mentions if m.actor]
    if _any_clash([m.actor for m in blamed], lambda a, b: actors_relation(a, b) == "conflict"):
        found.append(_disputed("perpetrator", [(m.id, describe_actors(m.actor)) for m in blamed]))
    # a date inferred from the report states nothing: it contradicts no report
    dated = [m for m in mentions if m.stated_date is not None]
    if _any_clash(
        [(m.date, m.date_precision) for m in dated],
        lambda a, b: date_relation(a[0], a[1], b[0], b[1]) == "conflict",
    ):
        found.append(_disputed("date", [(m.id, m.date.isoformat()) for m in dated if m.date]))
    placed = [m for m in mentions if m.location is not None]
    if _any_clash([m.location for m in placed], lambda a, b: place_relation(a, b) == "conflict"):
        found.append(_disputed("place", [(m.id, m.location.name) for m in placed if m.location]))
    return tuple(found)


def _disputed(field: str, reports: Sequence[tuple[str, str]]) -> Contradiction:
    """A disputed field with each report's value (the distinct values sorted)."""
    return Contradiction(field, tuple(sorted({value for _id, value in reports})), reports=tuple(reports))
