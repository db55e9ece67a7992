"""Stages 2-4 on other processes: N local workers or an existing Dask distributed cluster.

Extraction and analysis are pure functions of one input plus the shipped resources
(DESIGN.md), so they run wherever there is a free core; the store stays with the caller.
:func:`iter_analysed` turns a stream of input batches into analysed batches, **in input
order**, and the caller (:meth:`sitroom.pipeline.Sitroom.ingest`) writes each one in one
transaction and reclusters around it, exactly as the single-process path does:

1. each batch is cut into chunks of :data:`TASK_SIZE` items, extracted on the workers;
2. once a batch and every batch before it are extracted, the caller asks the store which
   articles are already known, and the new ones (not known, not being analysed for an
   earlier batch) go to the workers in chunks of :data:`TASK_SIZE`, the same groups that
   one process parses together, so the parse and the events are the same;
3. the oldest batch is handed back once its analyses are in.

Back-pressure: at most :data:`BATCHES_PER_WORKER` batches per worker are in flight, so a
JSONL stream or feed of any length is read only as fast as it is analysed.

Each worker process holds the resources once (:func:`load_worker_resources`): local
workers inherit them from this process where processes fork, else load them in the pool's
initializer; a Dask worker loads them on its first analysis task.
"""

from __future__ import annotations

import concurrent.futures
import gc
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import Any, Protocol, TypeVar

from sitroom import stages
from sitroom.config import Settings
from sitroom.corroborate.credibility import OutletTable
from sitroom.errors import ConfigError, SitroomError
from sitroom.ingest.sources import Item
from sitroom.models import Analysis, Article, Rejection
from sitroom.read.reader import Resources, load_resources
from sitroom.rules import load_rules
from sitroom.stages import AnalysedBatch, Extracted, batched, new_articles

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# Items (stage 2) or articles (stages 3-4) per task: spaCy's pipe batch, so that a worker
# parses the same groups of texts as one process does (and the same results come out).
TASK_SIZE = stages.PIPE_BATCH
# Batches in flight per worker: one being analysed, one extracted and waiting; more only
# holds memory (each batch is up to ``batch_size`` pages).
BATCHES_PER_WORKER = 2
# Seconds to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = 10


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to build its resources: the settings' extra resource files."""

    lexicon: tuple[str, ...] = ()
    gazetteer: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerSpec:
        return cls(settings.lexicon, settings.gazetteer, settings.rules)


# One process keeps one set of resources; Dask's in-process workers share them, so their
# analyses take turns (spaCy's pipeline is not made for concurrent calls).
_ANALYSIS_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def load_worker_resources(spec: WorkerSpec) -> Resources:
    """The NLP pipeline, gazetteer, lexicon and rule tables of this worker process (once)."""
    resources = load_resources(load_rules(spec.rules), spec.lexicon, spec.gazetteer)
    stages.release_freed_memory()
    return resources


def warm_up(spec: WorkerSpec) -> None:
    """Pool initializer: load the resources before the first task asks for them."""
    # a failure here is raised again, with its message, by the first task that needs them
    with _ANALYSIS_LOCK, suppress(SitroomError):
        load_worker_resources(spec)


def extract_chunk(items: Sequence[Item]) -> list[Extracted]:
    """Stage 2 for a chunk of acquired items (a worker task)."""
    return [stages.extract_item(item) for item in items]


def analyze_chunk(
    spec: WorkerSpec, outlets: OutletTable, articles: Sequence[Article]
) -> tuple[dict[str, Analysis], list[Rejection]]:
    """Stages 3-4 for a chunk of new articles (a worker task). ``outlets`` comes with the
    task: it holds the grades users keep in the store, which workers cannot reach."""
    with _ANALYSIS_LOCK:
        try:
            return stages.analyze_articles(articles, load_worker_resources(spec), outlets)
        finally:
            # a long article's parse frees large buffers; hand them back before the next task
            stages.release_freed_memory()


class Pending(Protocol[T_co]):
    """A task's future: ``concurrent.futures.Future`` and ``distributed.Future`` both fit."""

    def done(self) -> bool: ...

    def result(self) -> T_co: ...


class Runner(Protocol):
    """Where tasks run: a local process pool or a Dask cluster."""

    spec: WorkerSpec
    slots: int

    def submit(self, fn: Callable[..., T], *args: Any) -> Pending[T]: ...

    def wait_any(self, futures: Sequence[Pending[Any]]) -> None: ...


class LocalRunner:
    """``workers`` processes on this machine.

    Where processes can be forked (Linux, macOS) and this is the main thread, this process
    loads the resources once and the workers inherit them: the gazetteer and the model
    (~0.7 GB) stay in memory pages the workers share instead of one copy each. Elsewhere
    (a server's request thread: forking there could copy locks other threads hold, and
    their sockets) each worker starts afresh and loads its own.
    """

    def __init__(self, spec: WorkerSpec, workers: int) -> None:
        self.spec = spec
        self.slots = workers
        context: BaseContext
        if "fork" in get_all_start_methods() and threading.current_thread() is threading.main_thread():
            load_worker_resources(spec)
            # keep the collector off the inherited objects: it would copy their pages
            gc.freeze()
            context = get_context("fork")
        else:
            context = get_context("spawn")
        self.pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=warm_up, initargs=(spec,)
        )

    def submit(self, fn: Callable[..., T], *args: Any) -> Pending[T]:
        return self.pool.submit(fn, *args)

    def wait_any(self, futures: Sequence[Pending[Any]]) -> None:
        concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)  # type: ignore[arg-type]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


class DaskRunner:
    """The workers of an existing Dask distributed scheduler (``tcp://host:port``)."""

    def __init__(self, spec: WorkerSpec, address: str) -> None:
        from distributed import Client

        self.spec = spec
        try:
            # results come straight from the worker that holds them, not relayed by the scheduler
            self.client = Client(
                address, timeout=CONNECT_TIMEOUT, set_as_default=False, direct_to_workers=True
            )
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {address!r} ({exc}); start one with "
                "'dask scheduler' and 'dask worker', or leave out --scheduler"
            ) from exc
        self.slots = max(1, len(self.client.scheduler_info()["workers"]))

    def submit(self, fn: Callable[..., T], *args: Any) -> Pending[T]:
        # pure=False: every chunk is its own task, never merged with an equal-looking one
        return self.client.submit(fn, *args, pure=False)

    def wait_any(self, futures: Sequence[Pending[Any]]) -> None:
        from distributed import wait

        with self.client.as_current():
            wait(list(futures), return_when="FIRST_COMPLETED")

    def close(self) -> None:
        self.client.close()


@contextmanager
def open_runner(settings: Settings) -> Iterator[Runner]:
    """The runner the settings ask for: the Dask scheduler when set, else ``workers`` processes."""
    spec = WorkerSpec.from_settings(settings)
    runner = (
        DaskRunner(spec, settings.scheduler) if settings.scheduler else LocalRunner(spec, settings.workers)
    )
    try:
        yield runner
    finally:
        runner.close()


KnownArticles = Callable[[Sequence[str]], set[str]]
Outlets = Callable[[], OutletTable]


@dataclass
class _InFlight:
    """One input batch on its way through the workers."""

    items: int
    extracting: list[Pending[list[Extracted]]]
    results: list[Extracted] | None = None
    fresh: list[Article] = field(default_factory=list)
    # new to the store but being analysed for an earlier batch still in flight
    deferred: list[Article] = field(default_factory=list)
    analysing: list[Pending[tuple[dict[str, Analysis], list[Rejection]]]] = field(default_factory=list)

    def outstanding(self) -> list[Pending[Any]]:
        return [f for f in (*self.extracting, *self.analysing) if not f.done()]


def _analyses(
    chunks: Iterable[Pending[tuple[dict[str, Analysis], list[Rejection]]]],
) -> tuple[dict[str, Analysis], list[Rejection]]:
    analyses: dict[str, Analysis] = {}
    failures: list[Rejection] = []
    for chunk in chunks:
        got, failed = chunk.result()
        analyses.update(got)
        failures.extend(failed)
    return analyses, failures


def _start_analyses(
    runner: Runner, pending: deque[_InFlight], known: KnownArticles, outlets: Outlets
) -> None:
    """Send the new articles of every extracted batch to the workers, oldest batch first."""
    claimed: set[str] = set()
    for batch in pending:
        if batch.results is None:
            if batch.outstanding():
                return  # a later batch waits, so that 'claimed' covers every earlier one
            batch.results = [r for chunk in batch.extracting for r in chunk.result()]
            batch.extracting = []
            new = new_articles(batch.results, known)
            batch.fresh = [a for a in new if a.id not in claimed]
            batch.deferred = [a for a in new if a.id in claimed]
            table = outlets()
            batch.analysing = [
                runner.submit(analyze_chunk, runner.spec, table, c) for c in batched(batch.fresh, TASK_SIZE)
            ]
        claimed.update(a.id for a in batch.fresh)


def _finish(runner: Runner, batch: _InFlight, known: KnownArticles, outlets: Outlets) -> AnalysedBatch:
    analyses, failures = _analyses(batch.analysing)
    # an earlier batch that was to store these failed to; analyse them here instead
    stored = known([a.id for a in batch.deferred]) if batch.deferred else set()
    missing = [a for a in batch.deferred if a.id not in stored]
    more, more_failures = _analyses(
        [runner.submit(analyze_chunk, runner.spec, outlets(), c) for c in batched(missing, TASK_SIZE)]
    )
    assert batch.results is not None
    return AnalysedBatch(batch.items, batch.results, {**analyses, **more}, [*failures, *more_failures])


def iter_analysed(
    runner: Runner, batches: Iterable[list[Item]], known: KnownArticles, outlets: Outlets
) -> Iterator[AnalysedBatch]:
    """Extract and analyse ``batches`` on the runner's workers; yield them in input order.

    ``known`` says which article ids the store holds; the caller writes each yielded batch
    before asking for the next, so later batches see it stored. ``outlets`` gives the outlet
    table as it stands (read once a batch, as one process does).
    """
    limit = BATCHES_PER_WORKER * runner.slots
    pending: deque[_InFlight] = deque()

    def drain(keep: int) -> Iterator[AnalysedBatch]:
        """Move every batch on that can move; block while more than ``keep`` are in flight."""
        while pending:
            _start_analyses(runner, pending, known, outlets)
            head = pending[0]
            if head.results is not None and not head.outstanding():
                pending.popleft()
                yield _finish(runner, head, known, outlets)
            elif len(pending) > keep:
                runner.wait_any([f for batch in pending for f in batch.outstanding()])
            else:
                return

    for batch in batches:
        pending.append(
            _InFlight(len(batch), [runner.submit(extract_chunk, c) for c in batched(batch, TASK_SIZE)])
        )
        yield from drain(keep=limit - 1)
    yield from drain(keep=0)
