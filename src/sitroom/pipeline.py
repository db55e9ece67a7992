"""The composition root: one :class:`Sitroom` object that the CLI, the API and the tests build.

Stages, in order (DESIGN.md):

1. acquire   ``ingest.sources.iter_sources``: source arguments -> RawDocument | Rejection
2. extract   ``ingest.extract.extract_article``: RawDocument -> Article (text, title, outlet, date)
3. read      ``read``: Article -> Reading (actors, places, dates)
4. events    ``events``: Article + Reading -> EventMention[] with evidence and claims
5. corroborate / 6. monitor: across articles, where the store is.

Stages 1-4 are pure functions of one input plus the shipped resources; every batch of
their results is written to the store in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import IO, TypeVar

from sitroom.config import Settings
from sitroom.errors import InputError
from sitroom.ingest.extract import extract_article
from sitroom.ingest.fetch import FetchPolicy
from sitroom.ingest.sources import Item, SourceOptions, iter_sources, reject
from sitroom.models import Article, RawDocument, Rejection, Sighting
from sitroom.store import IngestOutcome, Store, open_store

T = TypeVar("T")


@dataclass
class IngestReport:
    """What one ingest run did; ``errors`` holds one line per rejected item."""

    stored: int = 0
    sightings: int = 0
    known: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.stored + self.sightings + self.known + self.rejected

    def summary(self) -> str:
        return (
            f"stored {self.stored} new article(s), {self.known + self.sightings} already known "
            f"({self.sightings} new sighting(s) of known articles), rejected {self.rejected}"
        )


ProgressHook = Callable[[int], None]


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def sighting_for(raw: RawDocument, article: Article) -> Sighting:
    return Sighting(
        article_id=article.id,
        origin=raw.origin,
        url=article.url or article.canonical_url or raw.hints.url,
        outlet=article.outlet,
        raw_sha256=raw.sha256,
        captured_at=raw.captured_at,
        published=article.published,
    )


def extract_item(item: Item) -> tuple[Article, Sighting] | Rejection:
    """Stage 2 for one acquired item: a rejection passes through, a bad page becomes one."""
    if isinstance(item, Rejection):
        return item
    try:
        article = extract_article(item)
    except InputError as exc:
        return reject(item.origin, exc, item.data)
    return article, sighting_for(item, article)


class Sitroom:
    """Settings, the store and the heavy resources, built once and shared by every edge."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        return open_store(self.settings.db)

    def fetch_policy(self) -> FetchPolicy:
        s = self.settings
        return FetchPolicy(
            user_agent=s.user_agent,
            timeout=s.fetch_timeout,
            max_bytes=s.max_bytes,
            max_redirects=s.max_redirects,
            allow_private=s.allow_private,
        )

    def ingest(
        self,
        sources: Sequence[str],
        *,
        stdin: IO[bytes] | None = None,
        progress: ProgressHook | None = None,
    ) -> IngestReport:
        """Acquire, extract and store everything the sources hold, a batch per transaction."""
        report = IngestReport()
        items = iter_sources(sources, SourceOptions(policy=self.fetch_policy()), stdin=stdin)
        for batch in batched(items, self.settings.batch_size):
            results = [extract_item(item) for item in batch]
            outcomes = self.store.write_articles(results)
            for result, outcome in zip(results, outcomes, strict=True):
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
                progress(len(batch))
        return report
