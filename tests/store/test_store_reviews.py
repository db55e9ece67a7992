"""Review and correction in the store, on both backends: the log, the review status filter,
and corrections that survive a recluster and the article written again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete

from sitroom.config import Settings
from sitroom.corroborate.update import recluster_all
from sitroom.errors import EventNotFound
from sitroom.pipeline import Sitroom
from sitroom.review import ReviewRequest, read_values
from sitroom.store import Store
from sitroom.store import schema as t
from sitroom.store.filters import EventFilter
from tests.api.sample import Sample, populate
from tests.factories import analysis_of, make_article, make_mention


def reviewing(store: Store) -> Sitroom:
    """A composition root over the fixture's store (so its backend is the one reviewed)."""
    app = Sitroom(Settings())
    app.__dict__["store"] = store  # cached_property: the fixture's store, not the setting's
    return app


def ids(store: Store, **filters: str) -> set[str]:
    return {r["id"] for r in store.iter_events(EventFilter(**filters))}


def test_a_dismissed_event_leaves_lists_counts_and_its_cluster(store: Store) -> None:
    sample = populate(store)
    app = reviewing(store)
    app.review(sample.wire, ReviewRequest("dismiss", "a copy", dismiss_kind="duplicate"), "ana")
    assert ids(store) == sample.all - {sample.wire}
    assert ids(store, review="dismissed") == {sample.wire}
    assert sample.wire not in store.unclustered_mention_ids()  # never clustered again
    # its cluster now holds the monitor's report alone
    monitor = store.event(sample.monitor)
    assert monitor is not None and monitor["independent_sources"] == 1
    assert store.cluster(sample.cluster) is None


def test_corrections_survive_a_recluster(store: Store) -> None:
    sample = populate(store)
    app = reviewing(store)
    values = read_values({"event_type": "coerce", "size.dead": "2"}, None)
    app.review(sample.hostile, ReviewRequest("correct", "a raid", values), "ana")
    app.review(sample.wire, ReviewRequest("dismiss", "not an event", dismiss_kind="not_event"), "ana")
    recluster_all(store, app.outlets)
    record = store.event(sample.hostile)
    assert record is not None
    assert (record["event_type"], record["size"]["dead"]["min"], record["corrected"]) == (
        "COERCE",
        2,
        ["event_type", "size.dead"],
    )
    assert ids(store, event_type="COERCE") == {sample.hostile}
    assert ids(store, review="dismissed") == {sample.wire}
    assert sample.wire not in ids(store)


def test_corrections_are_replayed_when_the_article_is_written_again(store: Store) -> None:
    """The log is keyed by the mention's id, which the same article text gives again."""
    sample = populate(store)
    app = reviewing(store)
    values = read_values({"event_type": "protest", "actor": "Farmers' union"}, None)
    app.review(sample.hostile, ReviewRequest("correct", "a sit-in", values), "ana")
    app.review(sample.evac, ReviewRequest("dismiss", "wrong story", dismiss_kind="wrong"), "ana")
    hostile, evac = store.event(sample.hostile), store.event(sample.evac)
    assert hostile is not None and evac is not None
    _forget(store, [sample.hostile, sample.evac])  # the articles gone, then ingested again
    assert store.event(sample.hostile) is None
    again = _populate_again(store)
    assert again.hostile == sample.hostile  # the same id from the same text
    record = store.event(sample.hostile)
    assert record is not None
    assert (record["event_type"], [a["name"] for a in record["actor"]]) == ("PROTEST", ["Farmers' union"])
    assert record["review_status"] == "corrected"
    assert ids(store, review="dismissed") == {sample.evac}
    assert len(store.corrections(sample.hostile)) == 1


def _populate_again(store: Store) -> Sample:
    """The hostile and evacuation articles of the sample written again."""
    results, analyses, again = _again()
    store.write_articles(results, analyses)
    return again


def _again() -> tuple[list[Any], dict[str, Any], Sample]:
    from tests.api import sample as s

    hostile, s5 = make_article(
        s.HOSTILE, "https://hostile.example/5", outlet="Hostile Page", published="2026-01-05T08:00:00+00:00"
    )
    evac, s3 = make_article(
        s.EVAC, "https://aid.example/3", outlet="Aid Bulletin", published="2026-01-09T14:00:00+00:00"
    )
    m5 = make_mention(
        hostile, "Gunmen attacked a checkpoint near Ariha.", actor=(s.GUNMEN,), recipient=(), when=date(2026, 1, 5),
        where=None, speaker=None,
    )  # fmt: skip
    m3 = make_mention(
        evac, s.EVAC, event_type="RETREAT", mode="access", actor=(), when=date(2026, 1, 9), where=s.RAZI,
        protection=("evacuation", "corridor", "protected_site"), speaker=None,
    )  # fmt: skip
    analyses = {hostile.id: analysis_of(hostile, m5), evac.id: analysis_of(evac, m3)}
    return [(hostile, s5), (evac, s3)], analyses, Sample("", "", m3.id, "", m5.id, "", "")


def test_the_log_is_append_only_and_names_the_reviewer(store: Store) -> None:
    sample = populate(store)
    app = reviewing(store)
    app.review(sample.protest, ReviewRequest("confirm", "on video"), "ana")
    values = read_values({"size.dead": "1"}, None)
    app.review(sample.protest, ReviewRequest("correct", "a death reported later", values), "bo")
    log = store.corrections(sample.protest)
    assert [(e.action, e.reviewer, e.reason) for e in log] == [
        ("confirm", "ana", "on video"),
        ("correct", "bo", "a death reported later"),
    ]
    assert log[1].changes == {"size.dead": {"before": None, "after": {"min": 1, "max": 1, "text": "1"}}}
    assert ids(store, review="corrected") == {sample.protest}


def test_an_unknown_event_and_a_correction_that_changes_nothing_are_refused(store: Store) -> None:
    sample = populate(store)
    app = reviewing(store)
    with pytest.raises(EventNotFound, match="no event with id 'm-none'"):
        app.review("m-none", ReviewRequest("confirm", "r"), "ana")
    record = store.event(sample.protest)
    assert record is not None
    with pytest.raises(Exception, match="every value given is the event's already"):
        app.review(sample.protest, ReviewRequest("correct", "r", {"event_type": record["event_type"]}), "ana")
    assert store.corrections(sample.protest) == []


def test_a_merge_and_a_split_survive_a_recluster(store: Store) -> None:
    sample = populate(store)
    app = reviewing(store)
    recluster_all(store, app.outlets)
    joined = store.event(sample.wire)
    assert joined is not None and joined["cluster_id"] == store.event(sample.monitor)["cluster_id"]  # type: ignore[index]
    # two reports clustering keeps apart, merged; one it joins, split out
    app.review(sample.protest, ReviewRequest("merge", "the same day's rally", other=sample.evac), "ana")
    app.review(sample.wire, ReviewRequest("split", "an earlier strike"), "ana")
    for _ in range(2):  # as reviewed, then after a recluster from scratch
        protest, evac = store.event(sample.protest), store.event(sample.evac)
        wire, monitor = store.event(sample.wire), store.event(sample.monitor)
        assert protest is not None and evac is not None and wire is not None and monitor is not None
        assert protest["cluster_id"] == evac["cluster_id"] and protest["independent_sources"] == 2
        assert wire["cluster_id"] != monitor["cluster_id"] and wire["independent_sources"] == 1
        assert protest["corrected"] == ["cluster_id"] and wire["review_status"] == "corrected"
        recluster_all(store, app.outlets)


def test_a_split_after_a_merge_undoes_it(store: Store) -> None:
    sample = populate(store)
    app = reviewing(store)
    app.review(sample.protest, ReviewRequest("merge", "same rally", other=sample.evac), "ana")
    app.review(sample.evac, ReviewRequest("split", "no: an evacuation"), "bo")
    recluster_all(store, app.outlets)
    protest, evac = store.event(sample.protest), store.event(sample.evac)
    assert protest is not None and evac is not None and protest["cluster_id"] != evac["cluster_id"]
    with pytest.raises(EventNotFound, match="no event with id 'm-none' to merge with"):
        app.review(sample.protest, ReviewRequest("merge", "r", other="m-none"), "ana")


def test_an_ingest_writing_reviewed_reports_again_clusters_them_as_reviewed(store: Store) -> None:
    """The pipeline clusters what the store holds: the corrected report, never the dismissed one."""
    from sitroom.pipeline import IngestReport
    from sitroom.stages import AnalysedBatch

    sample = populate(store)
    app = reviewing(store)
    app.review(sample.evac, ReviewRequest("dismiss", "wrong story", dismiss_kind="wrong"), "ana")
    values = read_values({"event_type": "protest"}, None)
    app.review(sample.hostile, ReviewRequest("correct", "a sit-in", values), "ana")
    _forget(store, [sample.hostile, sample.evac])
    results, analyses, _ = _again()
    app._store_batch(AnalysedBatch(2, results, analyses, []), IngestReport(), None)
    evac, hostile = store.event(sample.evac), store.event(sample.hostile)
    assert evac is not None and hostile is not None
    assert (evac["review_status"], evac["cluster_id"]) == ("dismissed", None)
    assert hostile["cluster_id"] is not None and hostile["event_type"] == "PROTEST"
    cluster = store.cluster(hostile["cluster_id"])
    assert cluster is not None and sample.evac not in cluster.mention_ids
    assert sample.evac not in store.unclustered_mention_ids()


def _forget(store: Store, event_ids: list[str]) -> None:
    """The articles of these events gone from the store (their events with them)."""
    records = [store.event(key) for key in event_ids]
    article_ids = [r["evidence"]["article_id"] for r in records if r]
    with store.engine.begin() as conn:
        conn.execute(delete(t.event_mentions).where(t.event_mentions.c.article_id.in_(article_ids)))
        conn.execute(delete(t.sightings).where(t.sightings.c.article_id.in_(article_ids)))
        conn.execute(delete(t.articles).where(t.articles.c.id.in_(article_ids)))
