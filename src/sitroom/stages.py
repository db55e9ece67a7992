"""Stages 2-4 of a batch of acquired items, as plain functions: extract each item, then read
the new articles and extract their event mentions (DESIGN.md). The composition root
(:class:`sitroom.pipeline.Sitroom`) runs them in this process; :mod:`sitroom.parallel` runs
them on worker processes. Neither of those is imported here, so the import runs one way.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from sitroom.corroborate.credibility import OutletTable
from sitroom.errors import InputError, describe_failure
from sitroom.events.extract import extract_events
from sitroom.ingest.extract import extract_article
from sitroom.ingest.sources import Item, now_utc, reject
from sitroom.models import Analysis, Article, RawDocument, Rejection, Sighting
from sitroom.read.reader import Resources, read_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc

T = TypeVar("T")


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


Extracted = tuple[Article, Sighting] | Rejection


@dataclass(frozen=True)
class AnalysedBatch:
    """One batch of input after stages 2-4, to be written in one transaction."""

    items: int
    results: list[Extracted]
    analyses: dict[str, Analysis]
    failures: list[Rejection]


def new_articles(results: Sequence[Extracted], known: Callable[[Sequence[str]], set[str]]) -> list[Article]:
    """The articles of a batch that the store does not hold yet (``known`` says which it
    does), each once, in id order: the order they are analysed in."""
    candidates: dict[str, Article] = {}
    for result in results:
        if not isinstance(result, Rejection):
            candidates.setdefault(result[0].id, result[0])
    stored = known(sorted(candidates))
    return [article for key, article in sorted(candidates.items()) if key not in stored]


def extract_item(item: Item) -> Extracted:
    """Stage 2 for one acquired item: a rejection passes through, a bad page becomes one.

    An unexpected exception (a bug in sitroom or a library on some unusual page) rejects
    the item with code ``extract-failed`` instead of taking the batch down with it.
    """
    if isinstance(item, Rejection):
        return item
    try:
        article = extract_article(item)
    except InputError as exc:
        return reject(item.origin, exc, item.data)
    except Exception as exc:
        reason = f"{item.origin}: extraction failed ({describe_failure(exc)}); please report it with the page"
        return Rejection(item.origin, reason, "extract-failed", now_utc(), item.sha256)
    return article, sighting_for(item, article)


@lru_cache(maxsize=1)
def _c_library() -> ctypes.CDLL:
    # the symbols the interpreter is linked with, libc's among them (no search, no subprocess)
    return ctypes.CDLL(None)


def release_freed_memory() -> None:
    """Give the pages the C allocator holds free back to the system (glibc's ``malloc_trim``;
    elsewhere nothing). Loading the resources frees more than it keeps (the model's and the
    gazetteer's sources), and a long article's parse frees large buffers: without this the
    process keeps them resident, and forked workers copy them page by page as they reuse them."""
    libc = _c_library()
    if hasattr(libc, "malloc_trim"):  # glibc only (not musl, macOS)
        libc.malloc_trim(0)


# Articles handed to the spaCy components at once.
PIPE_BATCH = 16


def analyze_article(doc: Doc, article: Article, resources: Resources, outlets: OutletTable) -> Analysis:
    """Stages 3-4 for one parsed article: read it and extract its event mentions."""
    outlet = outlets.find(article.outlet, article.url or article.canonical_url)
    reading = read_doc(doc, article, resources, outlet_country=outlet.country if outlet else None)
    return Analysis(
        reading=reading, events=extract_events(doc, article, reading, resources.lexicon, resources.rules)
    )


def analyze_articles(
    articles: Sequence[Article],
    resources: Resources,
    outlets: OutletTable,
    on_article: Callable[[], None] | None = None,
) -> tuple[dict[str, Analysis], list[Rejection]]:
    """Stages 3-4 for a batch of articles, parsed together (``read.selective``: entities
    everywhere, a dependency parse only where an event or a claim can be).

    An article whose parse or analysis fails (a bug on some unusual text) is still stored,
    without events; the failure comes back as a rejection of its analysis, to be stored and
    reported, and the other articles of the batch are analysed as usual. ``on_article`` is
    called as each article is done (a progress bar's step).
    """
    analyses: dict[str, Analysis] = {}
    failures: list[Rejection] = []
    for article, parsed in _parse_each(articles, resources):
        try:
            if isinstance(parsed, Exception):
                raise parsed
            analyses[article.id] = analyze_article(parsed, article, resources, outlets)
        except Exception as exc:
            reason = (
                f"{article.origin}: analysis of article {article.id} failed ({describe_failure(exc)}); "
                "stored without events"
            )
            failures.append(Rejection(article.origin, reason, "analysis", now_utc(), article.raw_sha256))
        if on_article:
            on_article()
    return analyses, failures


def _parse_each(
    articles: Sequence[Article], resources: Resources
) -> Iterator[tuple[Article, Doc | Exception]]:
    """Each article with its parse, or with the exception its parse raised. The articles are
    parsed together; once that fails, the rest one by one, so that a text spaCy cannot read
    fails alone."""
    done = 0
    try:
        for doc in resources.parser.parse((a.text for a in articles), batch_size=PIPE_BATCH):
            yield articles[done], doc
            done += 1
    except Exception:
        for article in articles[done:]:
            try:
                (doc,) = resources.parser.parse([article.text], batch_size=1)
            except Exception as exc:
                yield article, exc
            else:
                yield article, doc
