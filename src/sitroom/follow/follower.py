"""The follower: polls the followed sources when they are due and ingests what is new.

One round (:meth:`Follower.poll_due`):

1. claim   lease the due sources (``state.claim_due``; shared safely between followers)
2. fetch   a conditional GET of each (ETag / Last-Modified): a 304 costs no body
3. select  a feed's entries not given before (by GUID, else link, else content); a page's body if new
4. ingest  those items through the normal path (``Sitroom.ingest_items``: extract, read,
           events, store, recluster), a batch at a time; each batch's item keys are
           recorded after it is stored, so a stop between items loses nothing and a
           restart takes nothing twice
5. finish  the source's state: next poll after its interval, or backing off after an error
6. watch   when the round stored something, evaluate the watches (alerts stored, so in
           the Atom feed, and posted to the webhook)

A stop (:attr:`Follower.stop`, set by SIGTERM/Ctrl-C or the server's shutdown) is looked
at between items: the item in hand is finished and stored, the rest waits for next time.
"""

from __future__ import annotations

import math
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from socket import gethostname

from sitroom.errors import InputError, ServerBusy
from sitroom.follow import state
from sitroom.follow.polite import PoliteFetcher, backoff_delay
from sitroom.follow.state import FollowedSource, item_key
from sitroom.ingest.feeds import FeedEntry, looks_like_feed, parse_feed
from sitroom.ingest.fetch import Fetched
from sitroom.ingest.sources import Item, SourceOptions, iter_entry
from sitroom.models import RawDocument, SourceHints
from sitroom.pipeline import IngestReport, Sitroom
from sitroom.store import Store

Now = Callable[[], datetime]


@dataclass(frozen=True)
class FollowOptions:
    """How the follower works (settings ``follow_*``, docs/configuration.md)."""

    host_spacing_s: float = 1.0
    """Least seconds between two requests to one host."""
    lease_s: float = 600.0
    """A claimed source is this follower's for this long (extended as its items are stored)."""
    claim: int = 8
    """Sources claimed at a time."""
    max_wait_s: float = 5.0
    """Longest sleep between two looks for due sources (a source added meanwhile waits no longer)."""


@dataclass
class RoundReport:
    """What one round of polling did."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    alerts: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)
    errors: list[str] = field(default_factory=list)

    def add(self, other: IngestReport) -> None:
        for name in ("stored", "sightings", "known", "rejected", "events"):
            setattr(self.ingest, name, getattr(self.ingest, name) + getattr(other, name))
        self.ingest.errors.extend(other.errors)

    def summary(self) -> str:
        return (
            f"polled {self.polled} source(s) ({self.not_modified} unchanged, {self.failed} failed), "
            f"{self.new_items} new item(s): {self.ingest.summary()}; {self.alerts} new alert(s)"
        )


def entry_key(entry: FeedEntry) -> str:
    """What a feed entry is remembered by: its GUID, else its link, else its content."""
    return item_key(entry.guid or entry.link or entry.inline_html or repr(entry.hints))


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Follower:
    """Polls the store's followed sources for one :class:`~sitroom.pipeline.Sitroom`."""

    def __init__(
        self,
        sitroom: Sitroom,
        options: FollowOptions | None = None,
        *,
        owner: str | None = None,
        now: Now = _utc_now,
        fetcher: PoliteFetcher | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.sitroom = sitroom
        self.options = options or FollowOptions()
        # the lease owner: unique per follower, readable in the table
        self.owner = owner or f"{gethostname()}:{uuid.uuid4().hex[:8]}"
        self.now = now
        self.fetcher = fetcher or PoliteFetcher(sitroom.fetch_policy(), self.options.host_spacing_s)
        self.rng = rng or random.Random()
        self.stop = threading.Event()

    @property
    def store(self) -> Store:
        """The Sitroom's store (opened on first use)."""
        return self.sitroom.store

    def run(self, on_round: Callable[[RoundReport], None] | None = None) -> None:
        """Poll due sources until :attr:`stop` is set; ``on_round`` hears of each round that polled."""
        while not self.stop.is_set():
            report = self.poll_due()
            if on_round and (report.polled or report.failed):
                on_round(report)
            self.stop.wait(self._seconds_to_next_due())

    def _seconds_to_next_due(self) -> float:
        due = state.next_due(self.store)
        if due is None:
            return self.options.max_wait_s
        wait = (datetime.fromisoformat(due) - self.now()).total_seconds()
        return min(max(wait, 0.5), self.options.max_wait_s)

    def poll_due(self) -> RoundReport:
        """Poll every source due now, claimed a few at a time; after each few that stored
        something, evaluate the watches."""
        report = RoundReport()
        while not self.stop.is_set():
            claimed = state.claim_due(
                self.store, self.owner, self.now(), self.options.lease_s, self.options.claim
            )
            if not claimed:
                break
            stored = report.ingest.stored
            for index, source in enumerate(claimed):
                if self.stop.is_set():
                    for left in claimed[index:]:
                        state.release(self.store, left.id, self.owner)
                    break
                self.poll_source(source, report)
            if report.ingest.stored > stored:
                self._evaluate_watches(report)
        return report

    def poll_source(self, source: FollowedSource, report: RoundReport) -> None:
        """One conditional GET of a claimed source, its new items ingested, its state kept."""
        started = self.now()
        headers = {}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        try:
            got = self.fetcher.get(source.url, headers)
            if got.not_modified:
                report.polled += 1
                report.not_modified += 1
                self._finish(source, started)
                return
            complete = self._take_items(source, got, report)
        except InputError as exc:
            self._failed(source, started, exc, report)
            return
        report.polled += 1
        if complete:
            self._finish(source, started, validators=(got.etag, got.last_modified))
        else:  # stopped between items: due again at once, the items left then
            state.release(self.store, source.id, self.owner)

    def _finish(
        self,
        source: FollowedSource,
        started: datetime,
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        due = started + timedelta(seconds=source.interval_s)
        state.finish_poll(self.store, source.id, self.owner, self.now(), due, validators=validators)

    def _failed(
        self, source: FollowedSource, started: datetime, exc: InputError, report: RoundReport
    ) -> None:
        retry_after = exc.retry_after if isinstance(exc, ServerBusy) else None
        delay = backoff_delay(source.errors + 1, source.interval_s, retry_after, self.rng)
        due = started + timedelta(seconds=math.ceil(delay))
        report.failed += 1
        where = "" if exc.message.startswith(source.url) else f"{source.url}: "
        report.errors.append(f"{where}{exc.message} [{exc.code}]; next try {due.isoformat()}")
        state.finish_poll(self.store, source.id, self.owner, self.now(), due, error=exc.message)

    def _take_items(self, source: FollowedSource, got: Fetched, report: RoundReport) -> bool:
        """Ingest what the answer holds that the source did not give before; False when
        stopped before the end."""
        if looks_like_feed(got.data, got.content_type):
            _title, entries = parse_feed(got.data, source.url)
            keyed: dict[str, FeedEntry | None] = {entry_key(e): e for e in reversed(entries)}  # oldest first
        else:
            keyed = {item_key(got.data): None}
        fresh = state.unseen(self.store, source.id, list(keyed))
        todo = [(key, entry) for key, entry in keyed.items() if key in fresh]
        report.new_items += len(todo)
        batch: list[tuple[str, list[Item]]] = []
        for key, entry in todo:
            if self.stop.is_set():
                self._ingest(source, batch, report)
                return False
            items: list[Item] = list(self._items(source, got, entry)) if entry else [self._page(source, got)]
            batch.append((key, items))
            if sum(len(i) for _, i in batch) >= self.sitroom.settings.batch_size:
                self._ingest(source, batch, report)
                batch = []
        self._ingest(source, batch, report)
        return True

    def _items(self, source: FollowedSource, got: Fetched, entry: FeedEntry) -> Iterator[Item]:
        options = SourceOptions(policy=self.fetcher.policy, fetcher=self.fetcher)
        for item in iter_entry(entry, f"{got.url}#{entry_key(entry)[:12]}", options):
            if source.outlet and isinstance(item, RawDocument):
                item = replace(item, hints=replace(item.hints, outlet=source.outlet))
            yield item

    def _page(self, source: FollowedSource, got: Fetched) -> RawDocument:
        return RawDocument(
            origin=source.url,
            data=got.data,
            captured_at=self.now(),
            kind="text" if got.content_type == "text/plain" else "html",
            content_type=got.content_type,
            hints=SourceHints(url=got.url, outlet=source.outlet),
        )

    def _ingest(
        self, source: FollowedSource, batch: list[tuple[str, list[Item]]], report: RoundReport
    ) -> None:
        if not batch:
            return
        items = [item for _, entry_items in batch for item in entry_items]
        done = self.sitroom.ingest_items(items) if items else IngestReport()
        report.add(done)
        keys = [key for key, _ in batch]
        state.record_items(
            self.store, source.id, self.owner, keys, done.stored, self.now(), self.options.lease_s
        )

    def _evaluate_watches(self, report: RoundReport) -> None:
        from sitroom.monitor.alerts import raise_alerts
        from sitroom.monitor.webhook import deliver_alerts

        now = self.now()
        report.alerts += len(raise_alerts(self.store, now.date(), now))
        url = self.sitroom.settings.webhook_url
        if url:
            for failed in (
                d
                for d in deliver_alerts(self.store, url, now, timeout=self.sitroom.settings.fetch_timeout)
                if not d.ok
            ):
                report.errors.append(
                    f"webhook: alert {failed.key} not delivered ({failed.error}); tried again later"
                )
