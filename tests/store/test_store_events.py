"""Event mentions and clusters in the store: filters, pagination, cluster stamping (both backends)."""

from __future__ import annotations

import json
from datetime import date

from sitroom.models import Actor, Contradiction, Count, EventCluster
from sitroom.store import IngestOutcome, Store
from sitroom.store.filters import EventFilter
from tests.factories import ALEPPO, HTS, analysis_of, make_article, make_mention

WIRE = "Shelling hit a market in Ariha on Thursday, killing seven civilians. Officials said the army fired."
MONITOR = "Nine civilians were killed in Ariha, a monitor said. The ministry blamed HTS for the blast."
EVAC = "About 400 civilians were evacuated from Sheikh Maksoud through a corridor."


def populate(store: Store) -> dict[str, str]:
    wire, s1 = make_article(WIRE, "https://demowire.example/1")
    monitor, s2 = make_article(MONITOR, "https://monitor.example/2", outlet="Frontline Monitor")
    evac, s3 = make_article(
        EVAC, "https://aid.example/3", outlet="Aid Bulletin", published="2026-01-09T14:00:00+00:00"
    )
    m1 = make_mention(
        wire,
        "Shelling hit a market in Ariha on Thursday, killing seven civilians.",
        dead=Count(7, None, "seven"),
    )
    m2 = make_mention(
        monitor,
        "The ministry blamed HTS for the blast.",
        actor=(HTS,),
        dead=Count(9, 9, "Nine"),
        speaker="the ministry",
    )
    m3 = make_mention(
        evac,
        EVAC,
        event_type="RETREAT",
        mode="access",
        actor=(),
        when=date(2026, 1, 9),
        where=ALEPPO,
        protection=("evacuation", "corridor"),
    )
    store.write_articles(
        [(wire, s1), (monitor, s2), (evac, s3)],
        {
            wire.id: analysis_of(wire, m1),
            monitor.id: analysis_of(monitor, m2),
            evac.id: analysis_of(evac, m3),
        },
    )
    return {"wire": m1.id, "monitor": m2.id, "evac": m3.id}


def test_event_records_round_trip_with_evidence(store: Store) -> None:
    ids = populate(store)
    record = store.event(ids["wire"])
    assert record is not None
    assert (
        record["evidence"]["outlet"] == "Demo Wire"
        and record["evidence"]["url"] == "https://demowire.example/1"
    )
    assert WIRE[record["evidence"]["start"] : record["evidence"]["end"]] == record["evidence"]["sentence"]
    assert record["size"]["dead"] == {"min": 7, "max": None, "text": "seven"}
    assert record["independent_sources"] == 1 and record["credibility"] is None


def test_filters(store: Store) -> None:
    ids = populate(store)

    def found(**kw: object) -> set[str]:
        return {r["id"] for r in store.events(EventFilter(**kw)).records}  # type: ignore[arg-type]

    assert found() == set(ids.values())
    assert found(event_type="retreat") == {ids["evac"]}
    assert found(civilian_protection="corridor") == {ids["evac"]}
    assert found(actor="hayat tahrir") == {ids["monitor"]}
    assert found(place="Idlib") == {ids["wire"], ids["monitor"]}
    assert found(place="SYR") == set(ids.values())
    assert found(bbox=(37.0, 36.0, 37.5, 36.5)) == {ids["evac"]}
    assert found(since=date(2026, 1, 9)) == {ids["evac"]}
    assert found(until=date(2026, 1, 8)) == {ids["wire"], ids["monitor"]}
    assert found(since=date(2026, 1, 8), until=date(2026, 1, 8)) == {ids["wire"], ids["monitor"]}
    assert found(until=date(2026, 1, 7)) == set()
    assert found(min_sources=2) == set()


def test_date_filters_leave_out_undated_events(store: Store) -> None:
    """The date bounds are bounds on sort_key, where an undated event sorts as 0000-00-00."""
    article, sighting = make_article(EVAC, "https://aid.example/undated", outlet="Aid Bulletin")
    undated = make_mention(article, EVAC, when=None)
    store.write_articles([(article, sighting)], {article.id: analysis_of(article, undated)})
    assert store.events(EventFilter()).records[-1]["id"] == undated.id
    for flt in (
        EventFilter(until=date(2026, 1, 9)),
        EventFilter(since=date(1, 1, 1)),
        EventFilter(until=date(9999, 12, 31)),
    ):
        assert store.events(flt).records == []


def test_cursor_pagination_visits_every_event_once_newest_first(store: Store) -> None:
    populate(store)
    seen: list[dict] = []
    cursor = None
    while True:
        page = store.events(EventFilter(limit=1, cursor=cursor))
        seen.extend(page.records)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 3 and len({r["id"] for r in seen}) == 3
    assert seen[0]["date"] == "2026-01-09"
    assert [r["id"] for r in store.iter_events(batch=2)] == [r["id"] for r in seen]


def test_clusters_stamp_their_figures_on_mentions(store: Store) -> None:
    ids = populate(store)
    cluster = EventCluster(
        id="c1",
        mention_ids=(ids["wire"], ids["monitor"]),
        independent_sources=2,
        outlets=("Demo Wire", "Frontline Monitor"),
        contradictions=(Contradiction("dead", ("7", "9")),),
        credibility=3,
    )
    store.write_clusters([cluster])
    record = store.event(ids["monitor"])
    assert record is not None and record["cluster_id"] == "c1" and record["independent_sources"] == 2
    assert record["contradictions"] == [
        {"field": "dead", "values": ["7", "9"], "disputed": True, "reports": []}
    ]
    assert {r["id"] for r in store.events(EventFilter(min_sources=2)).records} == {
        ids["wire"],
        ids["monitor"],
    }
    first = store.events(EventFilter(min_sources=2, limit=1))  # newest first, off the corroborated index
    second = store.events(EventFilter(min_sources=2, limit=1, cursor=first.next_cursor))
    assert [r["id"] for r in first.records + second.records] == [
        r["id"] for r in store.events(EventFilter(min_sources=2)).records
    ]
    assert second.next_cursor is None and store.events(EventFilter(min_sources=3)).records == []
    assert store.cluster("c1") == cluster
    store.write_clusters([cluster])  # idempotent
    assert [c.id for c in store.clusters()] == ["c1"]


def test_an_article_ingested_again_keeps_its_mentions(store: Store) -> None:
    """An analysis is written with its new article only: the same article again, with
    another analysis, changes none of the stored mentions."""
    ids = populate(store)
    wire, sighting = make_article(WIRE, "https://demowire.example/1")
    before = store.event(ids["wire"])
    assert before is not None and before["evidence"]["article_id"] == wire.id
    assert store.write_articles([(wire, sighting)], {wire.id: analysis_of(wire)}) == [IngestOutcome.KNOWN]
    assert store.event(ids["wire"]) == before
    assert store.count("event_mentions") == 3


def test_a_page_as_stored_json_is_the_page_of_records(store: Store) -> None:
    """What the API sends as stored (both backends: PostgreSQL casts its json column to text)."""
    ids = populate(store)
    store.write_clusters([EventCluster("c1", (ids["wire"], ids["monitor"]), 2)])
    every = [
        EventFilter(limit=2),
        EventFilter(place="Aleppo"),
        EventFilter(place="syr", limit=1),
        EventFilter(limit=1, cursor=store.events(EventFilter(limit=1)).next_cursor),
        EventFilter(event_type="ASSAULT", status="occurred"),
        EventFilter(actor="hayat tahrir"),
        EventFilter(bbox=(30.0, 30.0, 40.0, 40.0), limit=1),
        EventFilter(since=date(2026, 1, 8), until=date(2026, 1, 8)),
        EventFilter(until=date(2026, 1, 9)),
        EventFilter(min_sources=2),
        EventFilter(civilian_protection="corridor"),
        EventFilter(article_id=store.event(ids["evac"])["evidence"]["article_id"]),  # type: ignore[index]
        EventFilter(cluster_id="c1", limit=1),
        EventFilter(status="denied"),
    ]
    for _ in range(2):  # the second time off the compiled statements
        for flt in every:
            texts, cursor = store.event_json_page(flt)
            page = store.events(flt)
            assert [json.loads(text) for text in texts] == page.records and cursor == page.next_cursor, flt
    assert all(store.events(flt).records for flt in every[:-1])  # each filter finds something here


def test_a_dense_box_is_read_off_another_index_with_the_same_pages(store: Store, monkeypatch) -> None:
    from sitroom.store import events

    populate(store)
    box = (30.0, 30.0, 40.0, 40.0)

    def pages() -> list[list[str]]:
        out, cursor = [], None
        while True:
            page = store.events(EventFilter(bbox=box, limit=1, cursor=cursor))
            out.append([r["id"] for r in page.records])
            if not (cursor := page.next_cursor):
                return out

    sparse = pages()
    monkeypatch.setattr(events, "DENSE_BBOX_EVENTS", 2)  # three events inside: dense now
    with store.engine.connect() as conn:
        assert events._dense(conn, box) and not events._dense(conn, (0.0, 0.0, 1.0, 1.0))
    assert pages() == sparse and len(sparse) == 3


def test_a_reading_process_reads_the_same_events(store: Store) -> None:
    """read_mostly (the API's processes): SQLite maps the file; PostgreSQL reads the event
    endpoints' data in autocommit, statements never prepared (generic plans ignored the
    (lat, lon) statistics). The same records either way, and writes made after show."""
    ids = populate(store)
    box = EventFilter(bbox=(30.0, 30.0, 40.0, 40.0))
    before = [store.events(flt).records for flt in (EventFilter(), box, EventFilter(actor="hayat tahrir"))]
    store.read_mostly()
    with store.reader.connect() as conn:
        if store.engine.dialect.name == "postgresql":
            assert store.reader is not store.engine
            assert conn.connection.driver_connection.autocommit is True  # type: ignore[union-attr]
            assert conn.connection.driver_connection.prepare_threshold is None  # type: ignore[union-attr]
        else:
            assert store.reader is store.engine
    for _ in range(7):  # past psycopg's threshold of 5, had it been left on
        assert [
            store.events(flt).records for flt in (EventFilter(), box, EventFilter(actor="hayat tahrir"))
        ] == before
    store.write_clusters([EventCluster("c9", (ids["wire"], ids["monitor"]), 2)])
    assert {r["id"] for r in store.events(EventFilter(min_sources=2)).records} == {
        ids["wire"],
        ids["monitor"],
    }
    assert store.event(ids["wire"])["cluster_id"] == "c9"  # type: ignore[index]


def test_percent_and_underscore_in_a_filter_match_themselves(store: Store) -> None:
    """LIKE wildcards in an actor filter are escaped (they matched any text: actor=% listed
    every event), on both backends, in the decoded and the raw JSON pages alike."""
    ids = populate(store)
    text = "Fighters of Brigade_50% stormed the checkpoint."
    article, sighting = make_article(text, "https://demowire.example/brigade")
    brigade = Actor("Brigade_50%", "Brigade_50%", country="SYR", sector="REB", acled_inter=2)
    mention = make_mention(article, text, actor=(brigade,))
    store.write_articles([(article, sighting)], {article.id: analysis_of(article, mention)})

    def found(flt: EventFilter) -> set[str]:
        decoded = {r["id"] for r in store.events(flt).records}
        raw = {json.loads(r)["id"] for r in store.event_json_page(flt)[0]}
        assert decoded == raw
        return decoded

    cases = {  # filter -> events found; before the fix "%", "_" matched all, "r_g", "h%t" some
        "%": {mention.id},
        "_": {mention.id},
        "50%": {mention.id},
        "brigade_50%": {mention.id},
        "r_g": set(),
        "h%t": set(),
        "brigade/": {mention.id},  # punctuation is folded (store.search): "brigade"
        "hayat": {ids["monitor"]},
    }
    for actor, expected in cases.items():
        assert found(EventFilter(actor=actor)) == expected, actor
    assert found(EventFilter(civilian_protection="corridor")) == {ids["evac"]}
