"""Death tolls: one conservative figure per real event, and totals that count each event once.

As ACLED does, an event (a cluster of reports, :mod:`sitroom.corroborate.clusters`) counts
once, with the lowest credible figure its reports give: "at least seven" in one report and
"nine" in another make 7, shown with the range across reports (7-9). A report's figure is
used when the report says the event happened (status in ``COUNTED_STATUSES``), is not
background (:func:`is_background`) and is credible for one event (at most
``MAX_CREDIBLE_DEAD``, and not a year's tally: ``TALLY_PRECISIONS``).

An event is left out of totals, with the reason in :attr:`EventCluster.not_counted`, when no
report says it happened ("planned", "denied", "hypothetical" ...), when every such report
is background ("background"), or when a denial outweighs its sources (credibility 5,
"denied"). Its reports are still listed; only the totals leave it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sitroom.background import is_background as background_date
from sitroom.corroborate.contradictions import format_count
from sitroom.models import Count, EventCluster, EventMention

# Statuses of a report that says the event took place.
COUNTED_STATUSES = frozenset({"occurred", "ongoing"})
# The most dead one event's report is taken to give. The deadliest single events of the
# Syrian war (the 2013 Ghouta chemical attack: 1,400 by the highest estimates) stay well
# under it; bigger figures in the dev pages were history or a misread number ("plague has
# killed millions" read as 1,000,000; a year's tally of 2,500 is a tally, TALLY_PRECISIONS).
MAX_CREDIBLE_DEAD = 5_000
# A figure its report dates only to a year is a period's tally, not one event's toll: "more
# than 2,500 civilians have been killed so far this year" (a 2019 dev page). Such an event is
# news (sitroom.background: not more than a year back) and is counted, its figure is not.
TALLY_PRECISIONS = frozenset({"year"})


def is_background(mention: EventMention, published: date | None) -> bool:
    """Whether a report tells background rather than the event of the day: the one definition
    of :func:`sitroom.background.is_background`, for a mention and its article's publication."""
    return background_date(mention.date, mention.date_precision, mention.date_source, published)


def credible_dead(count: Count | None, precision: str | None = None) -> bool:
    """Whether a report's count of dead is a figure one event can have (1 to ``MAX_CREDIBLE_DEAD``),
    and not a period's tally (a report dating it only to a year, ``TALLY_PRECISIONS``)."""
    if precision in TALLY_PRECISIONS:
        return False
    return count is not None and count.min is not None and 0 < count.min <= MAX_CREDIBLE_DEAD


def event_toll(
    members: Sequence[EventMention], published: Mapping[str, date | None], *, improbable: bool = False
) -> tuple[Count | None, str]:
    """The conservative dead count of one event and why it is left out of totals ("" when
    counted); rules in the module docstring. ``published``: article id -> publication date;
    ``improbable``: credibility 5 (a denial outweighs the sources).

    The count's ``min`` is the conservative figure, its ``max`` the highest figure a report
    gives ("at least 7" gives 7), its ``text`` each distinct figure ("7+ / 9")."""
    happened = [m for m in members if m.status in COUNTED_STATUSES]
    if not happened:
        return None, sorted({m.status for m in members})[0] if members else "no report"
    news = [m for m in happened if not is_background(m, published.get(m.article_id))]
    if not news:
        return None, "background"
    if improbable:
        return None, "denied"
    counts = [
        dead
        for m in news
        if (dead := m.size.dead) is not None
        and credible_dead(dead, m.date_precision if m.stated_date else None)
    ]
    if not counts:
        return None, ""
    low = min(count.min or 0 for count in counts)
    high = max(count.max if count.max is not None else count.min or 0 for count in counts)
    texts = sorted({(count.min or 0, format_count(count)) for count in counts})
    return Count(low, high, " / ".join(dict.fromkeys(text for _low, text in texts))), ""


@dataclass(frozen=True)
class DeadTotal:
    """Dead over many events: each counted once at its conservative figure (``dead``), and
    the sum of the highest figures their reports give (``high``)."""

    dead: int
    high: int
    events: int  # events counted in the totals
    with_figures: int  # of them, events whose reports give a credible figure
    left_out: dict[str, int]  # reason -> events left out of the totals


def total_dead(clusters: Iterable[EventCluster]) -> DeadTotal:
    """The dead of distinct events (each cluster once), leaving out those marked ``not_counted``."""
    dead, high, events, with_figures = 0, 0, 0, 0
    left_out: dict[str, int] = {}
    for cluster in {c.id: c for c in clusters}.values():
        if cluster.not_counted:
            left_out[cluster.not_counted] = left_out.get(cluster.not_counted, 0) + 1
            continue
        events += 1
        if cluster.dead is None:
            continue
        with_figures += 1
        dead += cluster.dead.min or 0
        high += cluster.dead.max if cluster.dead.max is not None else cluster.dead.min or 0
    return DeadTotal(dead, high, events, with_figures, dict(sorted(left_out.items())))
