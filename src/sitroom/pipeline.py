"""The composition root: one :class:`Sitroom` object that the CLI, the API and the tests build.

Stages, in order (DESIGN.md):

1. acquire   ``ingest.sources.iter_sources``: source arguments -> RawDocument | Rejection
2. extract   ``ingest.extract.extract_article``: RawDocument -> Article (text, title, outlet, date)
3. read      ``read``: Article -> Reading (actors, places, dates)
4. events    ``events``: Article + Reading -> EventMention[] with evidence and claims
5. corroborate / 6. monitor: across articles, where the store is.

Stages 1-4 are pure functions of one input plus the shipped resources; every batch of
their results is written to the store in one transaction. Stages 2-4 (:mod:`sitroom.stages`)
run in this process, or (settings ``workers`` > 1 or ``scheduler``) on worker processes via
:mod:`sitroom.parallel`; either way this process alone writes the batches, in input order,
and reclusters (stage 5), so the store ends up the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import text

from sitroom.config import Settings
from sitroom.corroborate.credibility import OutletTable, load_outlets, merge_outlets
from sitroom.corroborate.update import ReclusterCache, recluster_members, update_clusters
from sitroom.errors import EventNotFound, StoreError, describe_failure
from sitroom.ingest.fetch import FetchPolicy
from sitroom.ingest.sources import Item, SourceOptions, iter_sources, now_utc
from sitroom.models import Analysis, EventMention, Rejection
from sitroom.read.reader import Resources, load_resources
from sitroom.records import mention_from_record
from sitroom.review import Correction, ReviewRequest, read_values
from sitroom.rules import load_rules
from sitroom.stages import (
    AnalysedBatch,
    Extracted,
    analyze_articles,
    batched,
    extract_item,
    new_articles,
    release_freed_memory,
)
from sitroom.store import IngestOutcome, Store, open_store

if TYPE_CHECKING:
    from sitroom.read.gazetteer import Gazetteer
    from sitroom.read.place_finder import PlaceFinder


@dataclass
class IngestReport:
    """What one ingest run did; ``errors`` holds one line per rejected item."""

    stored: int = 0
    sightings: int = 0
    known: int = 0
    rejected: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.stored + self.sightings + self.known + self.rejected

    def summary(self) -> str:
        return (
            f"stored {self.stored} new article(s), {self.known + self.sightings} already known "
            f"({self.sightings} new sighting(s) of known articles), rejected {self.rejected}; "
            f"{self.events} event mention(s) extracted"
        )


ProgressHook = Callable[[int], None]


# Mentions clustered at once when an ingest finishes a killed one's clustering (cluster_pending).
PENDING_BATCH = 500
# Key of the PostgreSQL advisory lock that serialises reclustering across ingest processes.
CLUSTER_LOCK_KEY = 0x5175_7200


@contextmanager
def exclusive_clustering(store: Store) -> Iterator[None]:
    """Hold a store-wide lock while reclustering, so that several ingest processes sharing
    one PostgreSQL never recluster the same window at once (each reads the mentions, then
    rewrites the clusters: interleaved, one would overwrite the other's).

    A transaction-level advisory lock, released when the block ends. SQLite takes one
    writer at a time anyway (run one ingest process per SQLite file).
    """
    if store.engine.dialect.name != "postgresql":
        yield
        return
    with store.engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLUSTER_LOCK_KEY})
        yield


class Sitroom:
    """Settings, the store and the heavy resources, built once and shared by every edge."""

    def __init__(self, settings: Settings, *, create_store: bool = True) -> None:
        self.settings = settings
        self.create_store = create_store

    @cached_property
    def store(self) -> Store:
        """The store of setting ``db``, migrated; made where there is none if ``create_store``
        (else :class:`~sitroom.errors.StoreOpenError`)."""
        return open_store(self.settings.db, create=self.create_store)

    @cached_property
    def resources(self) -> Resources:
        """The NLP pipeline, gazetteer, lexicon and rule tables: loaded on first use, once per process."""
        rules = load_rules(self.settings.rules)
        resources = load_resources(rules, self.settings.lexicon, self.settings.gazetteer)
        release_freed_memory()
        return resources

    @cached_property
    def recluster_cache(self) -> ReclusterCache:
        """What this process's reclustering read lately (bounded), kept between batches."""
        return ReclusterCache()

    @property
    def outlets(self) -> OutletTable:
        """The outlet table (the ``outlets`` setting, else the shipped one) with the grades kept
        in the store over it; read afresh each time, so a new grade counts at once."""
        table = load_outlets(Path(self.settings.outlets) if self.settings.outlets else None)
        return merge_outlets(table, self.store.outlet_grades())

    def gazetteer(self) -> Gazetteer:
        """The gazetteer alone (no NLP model): loaded on first use, once per process."""
        from sitroom.read.gazetteer import load_gazetteer

        return load_gazetteer(load_rules(self.settings.rules).gazetteer_names, self.settings.gazetteer)

    @cached_property
    def place_finder(self) -> PlaceFinder:
        """Gazetteer places by name or the start of one, for an analyst picking a place."""
        from sitroom.read.place_finder import PlaceFinder

        return PlaceFinder(self.gazetteer())

    def review_values(self, given: Mapping[str, str | None]) -> dict[str, Any]:
        """Correction values given as text, in the record's shapes (``review.read_values``),
        with the gazetteer loaded where a place is given and the actor lexicon where actors are."""
        from sitroom.read.lexicon import load_lexicon

        gazetteer = self.gazetteer() if given.get("location") else None
        lexicon = (
            load_lexicon(load_rules(self.settings.rules).actor_words, self.settings.lexicon)
            if given.get("actor") or given.get("recipient")
            else None
        )
        return read_values(given, gazetteer, lexicon)

    def review(
        self, event_id: str, request: ReviewRequest, reviewer: str
    ) -> tuple[dict[str, Any], Correction]:
        """Apply a review action to one event on behalf of ``reviewer`` (a token's name): log
        it, rewrite the event's record, and cluster again the reports of the cluster it was in
        (a dismissed report leaves it; a corrected one may no longer belong there; a merge
        clusters the other event's cluster with it). Returns the event's record as it now is
        and the log entry."""
        clusters = []
        if request.other is not None:
            other = self.store.event(request.other)
            if other is None:
                raise EventNotFound(f"merge: no event with id {request.other!r} to merge with")
            clusters.append(other.get("cluster_id") or request.other)
        before, entry = self.store.append_correction(event_id, request, reviewer)
        with exclusive_clustering(self.store):
            recluster_members(self.store, self.outlets, [before.get("cluster_id") or event_id, *clusters])
        record = self.store.event(event_id)
        assert record is not None  # a review never deletes
        return record, entry

    def fetch_policy(self) -> FetchPolicy:
        s = self.settings
        return FetchPolicy(
            user_agent=s.user_agent,
            timeout=s.fetch_timeout,
            deadline=s.fetch_deadline,
            max_bytes=s.max_bytes,
            max_redirects=s.max_redirects,
            allow_private=s.allow_private,
        )

    def _analyze_here(self, batch: Sequence[Item], progress: ProgressHook | None = None) -> AnalysedBatch:
        """Stages 2-4 for one batch in this process; ``progress`` hears of each item done
        (read already or rejected: at once; new: when its analysis is)."""
        results = [extract_item(item) for item in batch]
        fresh = new_articles(results, self.store.known_articles)
        if progress:
            progress(len(batch) - len(fresh))
        analyses, failures = (
            analyze_articles(
                fresh, self.resources, self.outlets, on_article=(lambda: progress(1)) if progress else None
            )
            if fresh
            else ({}, [])
        )
        return AnalysedBatch(len(batch), results, analyses, failures)

    def _write(
        self, results: Sequence[Extracted], analyses: dict[str, Analysis]
    ) -> list[tuple[Extracted, IngestOutcome]]:
        """Write a batch in one transaction; if it fails, item by item, so that one item the
        store refuses (or that breaks the writing code: the store wraps only database errors)
        becomes a rejection instead of taking the batch down with it."""
        try:
            return list(zip(results, self.store.write_articles(results, analyses), strict=True))
        except Exception:
            if len(results) == 1 and isinstance(results[0], Rejection):
                raise
        written: list[tuple[Extracted, IngestOutcome]] = []
        for result in results:
            try:
                written.extend(zip([result], self.store.write_articles([result], analyses), strict=True))
            except Exception as exc:
                origin = result.origin if isinstance(result, Rejection) else result[1].origin
                why = exc.message if isinstance(exc, StoreError) else describe_failure(exc)
                rejection = Rejection(origin, f"{origin}: could not be stored ({why})", "store", now_utc())
                self.store.write_articles([rejection])
                written.append((rejection, IngestOutcome.REJECTED))
        return written

    def cluster_pending(self) -> int:
        """Cluster the stored mentions that are in no cluster; return how many there were.

        A batch's articles and mentions are committed, then clustered in a transaction of
        its own (clustering reads what is stored around them). A process killed between
        the two leaves mentions in no cluster, which ingesting the same input again would
        not see (their articles are known): every ingest clusters them first, so a killed
        ingest, run again, leaves every mention clustered. One indexed query when there
        are none."""
        if not self.store.unclustered_mention_ids():
            return 0
        with exclusive_clustering(self.store):
            pending = self.store.unclustered_mention_ids()  # another process may have clustered them
            for chunk in batched(pending, PENDING_BATCH):
                mentions = [mention_from_record(r) for r in self.store.mention_records_by_ids(chunk)]
                update_clusters(self.store, mentions, self.outlets, self.recluster_cache)
        return len(pending)

    def ingest(
        self,
        sources: Sequence[str],
        *,
        stdin: IO[bytes] | None = None,
        progress: ProgressHook | None = None,
    ) -> IngestReport:
        """Acquire, extract and store everything the sources hold, a batch per transaction.

        With ``workers`` > 1 or a ``scheduler`` set, stages 2-4 run on worker processes (a
        bounded number of batches in flight); this process still writes every batch, in
        input order, so the result is the same as in one process.
        """
        items = iter_sources(sources, SourceOptions(policy=self.fetch_policy()), stdin=stdin)
        return self.ingest_items(items, progress=progress)

    def ingest_items(self, items: Iterable[Item], *, progress: ProgressHook | None = None) -> IngestReport:
        """Stages 2-5 for items already acquired (``sitroom follow`` acquires its own), as
        :meth:`ingest` runs them."""
        report = IngestReport()
        self.cluster_pending()
        batches = batched(items, self.settings.batch_size)
        if self.settings.workers == 1 and not self.settings.scheduler:
            for batch in batches:
                self._store_batch(self._analyze_here(batch, progress), report, None)
            return report
        # imported here: one process never pays for pools or Dask
        from sitroom.parallel import iter_analysed, open_runner

        with open_runner(self.settings) as runner:
            for analysed in iter_analysed(runner, batches, self.store.known_articles, lambda: self.outlets):
                self._store_batch(analysed, report, progress)
        return report

    def _as_reviewed(self, mentions: list[EventMention]) -> list[EventMention]:
        """The mentions just written as the store holds them where analysts reviewed them
        before (an article written again): corrected, and the dismissed ones left out of
        clustering. One indexed query on the corrections log when none was."""
        reviewed = self.store.reviewed_ids([m.id for m in mentions])
        if not reviewed:
            return mentions
        records = {r["id"]: r for r in self.store.mention_records_by_ids(sorted(reviewed))}
        return [
            mention_from_record(records[m.id]) if m.id in records else m
            for m in mentions
            if (records.get(m.id) or {}).get("review_status") != "dismissed"
        ]

    def _store_batch(self, batch: AnalysedBatch, report: IngestReport, progress: ProgressHook | None) -> None:
        """Write one analysed batch, recluster around its new event mentions, count it."""
        written = self._write([*batch.results, *batch.failures], batch.analyses)
        stored = sorted(
            r[0].id for r, o in written if o is IngestOutcome.STORED and not isinstance(r, Rejection)
        )
        new_mentions = [m for key in stored if key in batch.analyses for m in batch.analyses[key].events]
        if new_mentions:
            with exclusive_clustering(self.store):
                update_clusters(
                    self.store, self._as_reviewed(new_mentions), self.outlets, self.recluster_cache
                )
        report.events += len(new_mentions)
        for result, outcome in written:
            if outcome is IngestOutcome.REJECTED:
                assert isinstance(result, Rejection)
                report.rejected += 1
                where = "" if result.reason.startswith(result.origin) else f"{result.origin}: "
                report.errors.append(f"rejected {where}{result.reason} [{result.code}]")
            elif outcome is IngestOutcome.STORED:
                report.stored += 1
            elif outcome is IngestOutcome.SIGHTING:
                report.sightings += 1
            else:
                report.known += 1
        if progress:
            progress(batch.items)
