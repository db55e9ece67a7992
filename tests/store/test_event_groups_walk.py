"""The per-event listing read by walking the reports (issue 22) lists what the window query
it replaced listed, page by page, on a store with clusters, denials, tolls, undated reports
and reviews, under filters; both backends."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import and_, bindparam, func, select

from sitroom.models import Count, EventCluster
from sitroom.review import ReviewRequest
from sitroom.store import Store
from sitroom.store import schema as t
from sitroom.store.events import _conditions, _dense_box, _group_key, _representative_first
from sitroom.store.filters import EventFilter, decode_cursor
from tests.factories import ALEPPO, ARIHA, analysis_of, make_article, make_mention

SENTENCES = (
    "Shelling hit a market in the town, killing civilians.",
    "The ministry denied that its forces shelled the town.",
    "A monitor said an airstrike struck the town at dawn.",
    "Residents said a drone attack hit a bakery in the town.",
)


def fill(store: Store) -> None:
    """40 articles of four reports: dates over a month or none, some denials, some tolls,
    two places; clusters of two to five reports; three reports dismissed, two confirmed."""
    rng = random.Random(22)
    ids = []
    for index in range(40):
        article, sighting = make_article(
            " ".join(SENTENCES) + f" Report {index}.", f"https://walk.example/{index}"
        )
        mentions = [
            make_mention(
                article,
                sentence,
                when=None if rng.random() < 0.15 else date(2026, 1, 1) + timedelta(days=rng.randrange(30)),
                status="denied" if k == 1 and rng.random() < 0.6 else "occurred",
                dead=Count(n, n, str(n)) if (n := rng.randrange(12)) > 6 else None,
                where=ARIHA if rng.random() < 0.5 else ALEPPO,
                event_type=rng.choice(("ASSAULT", "ASSAULT", "COERCE")),
            )
            for k, sentence in enumerate(SENTENCES)
        ]
        store.write_articles([(article, sighting)], {article.id: analysis_of(article, *mentions)})
        ids += [m.id for m in mentions]
    rng.shuffle(ids)
    clustered, clusters = ids[: len(ids) // 2], []
    while clustered:
        size = rng.randint(2, 5)
        members, clustered = tuple(clustered[:size]), clustered[size:]
        clusters.append(EventCluster(f"e{len(clusters):03d}", members, len(members), credibility=2))
    store.write_clusters(clusters)
    for event_id in ids[:3]:
        store.append_correction(event_id, ReviewRequest("dismiss", "a copy", dismiss_kind="duplicate"), "ana")
    for event_id in ids[-2:]:
        store.append_correction(event_id, ReviewRequest("confirm", "seen"), "ana")


def window_page(store: Store, flt: EventFilter) -> tuple[list[tuple[str, ...]], str | None]:
    """The page as the window query before the walk listed it: every matching report ranked
    within its event, the events' first reports sorted; then each event's other matching
    reports, newest first."""
    c = t.event_mentions.c
    params: dict[str, Any] = {}

    def value(name: str, given: Any) -> Any:
        params[name] = given
        return bindparam(name)

    with store.reader.connect() as conn:
        conditions = _conditions(flt, conn.dialect.name, _dense_box(conn, flt), value)
        key = _group_key()
        ranked = (
            select(
                c.id,
                c.sort_key,
                key.label("grp"),
                func.row_number().over(partition_by=key, order_by=_representative_first()).label("rank"),
            )
            .where(and_(*conditions))
            .subquery()
        )
        outer = [ranked.c.rank == 1]
        if flt.cursor:
            outer.append(ranked.c.sort_key < decode_cursor(flt.cursor))
        rows = conn.execute(
            select(ranked.c.id, ranked.c.sort_key, ranked.c.grp)
            .where(and_(*outer))
            .order_by(ranked.c.sort_key.desc())
            .limit(flt.limit + 1),
            params,
        ).all()
        members = conn.execute(
            select(c.id, key.label("grp")).where(and_(*conditions)).order_by(c.sort_key.desc()), params
        ).all()
    more = len(rows) > flt.limit
    rows = rows[: flt.limit]
    page = [(r.id, *(m.id for m in members if m.grp == r.grp and m.id != r.id)) for r in rows]
    return page, rows[-1].sort_key if more and rows else None


FILTERS = [
    {},
    {"event_type": "COERCE"},
    {"status": "denied"},
    {"place": "Aleppo"},
    {"q": "bakery"},
    {"since": date(2026, 1, 10), "until": date(2026, 1, 20)},
    {"min_sources": 3},
    {"review": "confirmed"},
    {"review": "dismissed"},
]


@pytest.mark.parametrize("limit", [1, 3, 7, 100])
def test_the_walk_lists_what_the_window_listed(store: Store, limit: int) -> None:
    fill(store)
    assert store.clusters()  # the store holds clusters, and reviews below
    for values in FILTERS:
        cursor = None
        pages = 0
        while True:
            flt = EventFilter(**values, limit=limit, cursor=cursor)
            page = store.events(flt, group="event")
            expected, last_key = window_page(store, flt)
            assert [tuple(r["report_ids"]) for r in page.records] == expected, (values, pages)
            assert [r["id"] for r in page.records] == [ids[0] for ids in expected]
            assert (decode_cursor(page.next_cursor) if page.next_cursor else None) == last_key
            pages += 1
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        listed = pages * limit
        assert listed >= store.count_events(EventFilter(**values), group="event")
