"""Stages 2-4 on workers: the same store as one process, input order kept, memory bounded."""

from __future__ import annotations

import concurrent.futures
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from sitroom import parallel, pipeline, stages
from sitroom.cli import DEMO_CORPUS, cli
from sitroom.config import load_settings
from sitroom.corroborate.credibility import Outlet, OutletTable, load_outlets
from sitroom.ingest.sources import Item
from sitroom.models import Analysis, Article, RawDocument, Reading, Rejection
from sitroom.parallel import Pending, WorkerSpec, iter_analysed
from sitroom.pipeline import CLUSTER_LOCK_KEY, Sitroom, exclusive_clustering
from sitroom.stages import AnalysedBatch
from sitroom.store import Store
from tests.factories import analysis_of, make_mention

GRADED = OutletTable((Outlet("Demo Wire", ("demowire.example",), "B", "SYR"),))
REPORT = "Shelling hit the market in Ariha on Thursday, killing seven civilians, local officials said. "


class ThreadRunner:
    """Tasks on threads of this process: the scheduling logic without processes or a model."""

    def __init__(self, slots: int = 2) -> None:
        self.spec = WorkerSpec()
        self.slots = slots
        self.pool = concurrent.futures.ThreadPoolExecutor(slots)
        self.analysed: list[list[str]] = []
        self.tables: list[OutletTable] = []

    def submit(self, fn: Callable[..., Any], *args: Any) -> Pending[Any]:
        if fn is parallel.analyze_chunk:
            self.tables.append(args[1])
            self.analysed.append([a.id for a in args[2]])
        return self.pool.submit(fn, *args)

    def wait_any(self, futures: Sequence[Pending[Any]]) -> None:
        concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)  # type: ignore[arg-type]


@pytest.fixture
def stub_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """No NLP model: every article gets an empty reading."""

    def analyze(
        articles: Sequence[Article], resources: Any, outlets: Any, on_article: Any = None
    ) -> tuple[dict[str, Analysis], list[Rejection]]:
        return {a.id: Analysis(Reading(a.id, ())) for a in articles}, []

    for module in (pipeline, stages):  # run here (pipeline) and on workers (parallel -> stages)
        monkeypatch.setattr(module, "analyze_articles", analyze)
    monkeypatch.setattr(parallel, "load_worker_resources", lambda spec: None)


def text_items(texts: Sequence[str]) -> list[Item]:
    from sitroom.ingest.sources import now_utc

    return [RawDocument(f"item{i}", t.encode(), now_utc(), "text") for i, t in enumerate(texts)]


def run_parallel(
    items: list[Item], size: int, *, held: set[str] | None = None, writes: bool = True
) -> tuple[list[AnalysedBatch], ThreadRunner]:
    """Run the batches on threads; the caller 'writes' each batch it gets (unless ``writes`` is false)."""
    stored = set(held or ())
    runner = ThreadRunner()
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    got = []
    for batch in iter_analysed(runner, batches, lambda ids: stored & set(ids), lambda: GRADED):
        got.append(batch)
        if writes:
            stored.update(r[0].id for r in batch.results if not isinstance(r, Rejection))
    return got, runner


@pytest.mark.usefixtures("stub_analysis")
def test_batches_come_back_in_input_order_and_an_article_is_analysed_once() -> None:
    texts = [f"Report {i}. {REPORT}" for i in range(40)]
    texts[25] = texts[3]  # the same article again, three batches later
    items = text_items(texts)
    got, runner = run_parallel(items, 8)
    assert [b.items for b in got] == [8] * 5
    assert [r[1].origin for b in got for r in b.results if not isinstance(r, Rejection)] == [
        f"item{i}" for i in range(40)
    ]
    analysed = [i for chunk in runner.analysed for i in chunk]
    assert len(analysed) == len(set(analysed)) == 39
    assert all(t is GRADED for t in runner.tables), "the outlet table as the store has it goes with each task"
    # the repeat is analysed for the batch that stores it first, not again
    repeat = next(r[0].id for r in got[0].results if not isinstance(r, Rejection) and r[1].origin == "item3")
    assert repeat in got[0].analyses and repeat not in got[3].analyses


@pytest.mark.usefixtures("stub_analysis")
def test_articles_the_store_holds_are_not_analysed_again() -> None:
    items = text_items([f"Report {i}. {REPORT}" for i in range(10)])
    first, _ = run_parallel(items, 4)
    held = {r[0].id for b in first for r in b.results if not isinstance(r, Rejection)}
    again, runner = run_parallel(items, 4, held=held)
    assert runner.analysed == [] and all(not b.analyses for b in again)


@pytest.mark.usefixtures("stub_analysis")
def test_an_article_an_earlier_batch_failed_to_store_is_analysed_with_the_later_batch() -> None:
    texts = [f"Report {i}. {REPORT}" for i in range(8)]
    texts[6] = texts[1]
    got, _ = run_parallel(text_items(texts), 4, writes=False)  # the writes fail
    repeat = next(r[0].id for r in got[0].results if not isinstance(r, Rejection) and r[1].origin == "item1")
    assert repeat in got[1].analyses


@pytest.mark.usefixtures("stub_analysis")
def test_the_source_is_read_only_as_fast_as_batches_are_written() -> None:
    pulled = 0

    def source() -> Iterator[list[Item]]:
        nonlocal pulled
        for start in range(0, 200, 10):
            pulled += 10
            yield text_items([f"Report {i}. {REPORT}" for i in range(start, start + 10)])

    runner = ThreadRunner(slots=2)
    written = 0
    for batch in iter_analysed(runner, source(), lambda ids: set(), load_outlets):
        written += batch.items
        assert pulled - written <= parallel.BATCHES_PER_WORKER * runner.slots * 10
    assert written == 200


@pytest.mark.usefixtures("stub_analysis")
def test_a_long_jsonl_stream_is_ingested_in_flat_memory(tmp_path: Path) -> None:
    """2,000 reports of ~20 kB (40 MB of JSONL): holding the stream would take far more than the ceiling."""
    source = tmp_path / "stream.jsonl"
    body = REPORT * 220
    with source.open("w") as out:
        for i in range(2000):
            out.write(
                json.dumps({"url": f"https://stream.example/{i}", "text": f"Report {i}. {body}"}) + "\n"
            )
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{tmp_path / 's.db'}"}))
    app.__dict__["resources"] = None
    process = psutil.Process()
    base = process.memory_info().rss
    peak = base

    def sample(_n: int) -> None:
        nonlocal peak
        peak = max(peak, process.memory_info().rss)

    report = app.ingest([str(source)], progress=sample)
    assert report.stored == 2000
    assert peak - base < 30_000_000, f"RSS grew by {(peak - base) / 1e6:.0f} MB"


def test_ingest_takes_workers_and_a_scheduler(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", "--help"])
    assert "--workers" in result.output and "--scheduler" in result.output
    bad = CliRunner().invoke(
        cli, ["ingest", "--workers", "0", "--db", f"sqlite:///{tmp_path / 'x.db'}", "x.html"]
    )
    assert bad.exit_code == 2


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", 1)
    args = [
        "ingest",
        "--scheduler",
        "tcp://127.0.0.1:9",
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        str(DEMO_CORPUS),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in result.output


# --- with the model: the same store whichever way it runs -----------------------------


def ingest_demo(tmp_path: Path, name: str, **overrides: Any) -> dict[str, Any]:
    settings = load_settings(
        {}, overrides={"db": f"sqlite:///{tmp_path / name}.db", "batch_size": 4, **overrides}
    )
    app = Sitroom(settings)
    report = app.ingest([str(DEMO_CORPUS)])
    store = app.store
    return {
        "report": (report.stored, report.sightings, report.known, report.rejected, report.events),
        "articles": sorted(a.id for a in store.iter_articles()),
        "events": list(store.iter_events()),
        "clusters": sorted((c.id, c.mention_ids, c.independent_sources) for c in store.clusters(limit=1000)),
    }


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return ingest_demo(tmp_path_factory.mktemp("one"), "one")


@pytest.mark.model
def test_two_local_workers_give_the_events_of_one_process(
    one_process: dict[str, Any], tmp_path: Path
) -> None:
    assert one_process["events"], "the demo corpus yields events"
    assert ingest_demo(tmp_path, "two", workers=2) == one_process


@pytest.mark.model
def test_a_dask_cluster_gives_the_events_of_one_process(one_process: dict[str, Any], tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert ingest_demo(tmp_path, "dask", scheduler=cluster.scheduler_address) == one_process


def test_reclustering_waits_for_another_process_on_postgresql(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time: no lock needed")
    entered = threading.Event()

    def recluster() -> None:
        with exclusive_clustering(store):
            entered.set()

    with store.engine.begin() as other:  # another ingest process, reclustering
        other.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLUSTER_LOCK_KEY})
        thread = threading.Thread(target=recluster)
        thread.start()
        assert not entered.wait(0.5)
    assert entered.wait(30)
    thread.join()


def test_two_ingest_processes_on_one_postgresql_leave_consistent_clusters(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time")
    sentence = REPORT.strip()

    def analyze(
        articles: Sequence[Article], resources: Any, outlets: Any, on_article: Any = None
    ) -> tuple[dict[str, Analysis], list[Rejection]]:
        return {a.id: analysis_of(a, make_mention(a, sentence)) for a in articles}, []

    for module in (pipeline, stages):  # run here (pipeline) and on workers (parallel -> stages)
        monkeypatch.setattr(module, "analyze_articles", analyze)
    apps = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(16):
            (folder / f"r{i}.txt").write_text(f"Report {name}{i}. {REPORT}")
        app = Sitroom(load_settings({}, overrides={"db": store.url, "batch_size": 2}))
        app.__dict__.update(store=store, resources=None)
        apps.append((app, folder))
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda job: job[0].ingest([str(job[1])]), apps))
    assert [r.stored for r in reports] == [16, 16]
    mentions = {r["id"]: r["cluster_id"] for r in store.iter_events()}
    clusters = store.clusters(limit=1000)
    assert len(mentions) == 32 and all(mentions.values())
    assert sorted(m for c in clusters for m in c.mention_ids) == sorted(mentions)
    assert all(mentions[m] == c.id for c in clusters for m in c.mention_ids)
