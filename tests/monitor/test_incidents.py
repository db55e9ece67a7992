"""Folding stored mentions into incidents: one real event counted once, conservatively."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from sitroom.models import Count
from sitroom.monitor.incidents import fold_mentions, load_incidents, mention_day, record_start
from sitroom.store import Store
from tests.factories import ALEPPO, HTS
from tests.monitor.builders import cluster, store_mentions


def test_mentions_of_one_cluster_are_one_incident_with_the_lowest_toll(store: Store) -> None:
    wire, rival, other = store_mentions(
        store,
        [
            {"dead": Count(7, None, "seven"), "status": "occurred"},
            {"dead": Count(9, 9, "nine"), "status": "denied", "actor": (HTS,), "outlet": "Frontline Monitor"},
            {"when": date(2026, 1, 9), "where": ALEPPO},
        ],
    )
    store.write_clusters([cluster("c-ariha", [wire, rival])])
    incidents = {i.id: i for i in load_incidents(store)}
    assert set(incidents) == {"c-ariha", other.id}
    ariha = incidents["c-ariha"]
    assert ariha.dead == 7 and ariha.status == "occurred" and ariha.sources == 2
    assert ariha.actors == ("Hayat Tahrir al-Sham", "Syrian Arab Army")
    assert ariha.admin1 == "Idlib" and ariha.city == "Ariha" and ariha.day == date(2026, 1, 8)
    assert ariha.mention_ids == tuple(sorted((wire.id, rival.id))) and ariha.report_id == min(
        wire.id, rival.id
    )
    assert incidents[other.id].admin1 == "Aleppo"


def test_folding_does_not_depend_on_the_order_of_reports(store: Store) -> None:
    mentions = store_mentions(store, [{"dead": Count(n, None, str(n))} for n in (3, 5, 4)])
    store.write_clusters([cluster("c1", mentions[:2])])
    records = list(store.iter_events())
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert fold_mentions(records) == fold_mentions(shuffled) == fold_mentions(reversed(records))


def _record(day: str | None, precision: str | None, published: str | None) -> dict[str, object]:
    return {"id": "m", "date": day, "date_precision": precision, "evidence": {"published": published}}


def test_mention_day_falls_back_to_the_publication_day_only_when_it_fits() -> None:
    assert mention_day(_record("2026-01-05", "day", "2026-01-08T10:00:00+00:00")) == (
        date(2026, 1, 5),
        "event",
    )
    assert mention_day(_record(None, None, "2026-01-08T10:00:00+00:00")) == (date(2026, 1, 8), "published")
    assert mention_day(_record("2026-01-01", "month", "2026-01-20")) == (date(2026, 1, 20), "published")
    # "in December", read in a January report: no day to give
    assert mention_day(_record("2025-12-01", "month", "2026-01-20")) == (None, None)
    assert mention_day(_record(None, None, None)) == (None, None)


def test_the_record_begins_with_the_first_report_not_an_old_event_it_recalls(store: Store) -> None:
    store_mentions(
        store,
        [
            {"when": date(2011, 3, 15), "published": "2026-01-02T08:00:00+00:00"},  # the war began in 2011
            {"when": date(2026, 1, 8), "published": "2026-01-08T08:00:00+00:00"},
        ],
    )
    incidents = load_incidents(store, background=True)
    assert record_start(incidents) == date(2026, 1, 2)
    # by default the recalled war (background, sitroom.background) is not in the monitor at all
    assert [i.day for i in load_incidents(store)] == [date(2026, 1, 8)]
    assert record_start([replace(i, reported=None) for i in incidents]) == date(2011, 3, 15)
    assert record_start([]) is None


def test_a_date_inferred_from_the_report_dates_the_incident_as_published() -> None:
    inferred = {**_record("2026-01-08", "week", "2026-01-08T10:00:00+00:00"), "date_source": "report"}
    assert mention_day(inferred) == (date(2026, 1, 8), "published")
    # without a publication date the capture day stays out of the series, as an undated mention
    captured = {**_record("2026-03-01", "week", None), "date_source": "capture"}
    assert mention_day(captured) == (None, None)
