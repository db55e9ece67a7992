"""The API under load while an ingest writes into the same store: reads' latency and errors, and the ingest's rate.

    .venv/bin/python bench/api_load_ingest.py [--events 20000] [--clients 20] [--duration 20]
        [--workers 2] [--cache-mb 64] [--ingest pipeline|store] [--backend sqlite|postgresql]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

A fresh store (as ``bench/api_load.py`` makes it: synthetic events at a dozen places over two
years) is served by ``sitroom serve --workers N`` on 127.0.0.1 only. Then two windows of
``--duration`` seconds each, in which ``--clients`` concurrent keep-alive clients send
``GET /api/events`` (one of the list filters, first page) and ``GET /api/events/{id}`` (a random
event), half each, as fast as they are answered:

1. **idle**: nobody writes (the baseline);
2. **during ingest**: an ingest writes into the same store at the same time, which moves the
   store's stamp at every batch, so the server's cached answers are dropped again and again.

``--ingest pipeline`` (the default) is the real thing: ``sitroom ingest -`` in its own process,
fed made-up reports as JSONL on its standard input (a few sentences each with an attack, a
toll and a place, all different), through extraction, reading, events and corroboration,
``--ingest-batch`` (8) articles a transaction so its progress shows within a short window.
``--ingest store`` writes synthetic analysed articles straight through the store API in its own
process, in batches of 200 articles (2,000 events): the most writing the store can take, with
none of the NLP's CPU.

For each window: requests/s, p50/p95/p99 and max latency in ms, and errors (any answer but 200,
or a broken connection) for the reads, and the ingest's articles/s and events/s (counted in
the store at the window's start and end). The window starts once the ingest has written its
first batch (the pipeline loads its models first). Bounded: at most 200 clients and 300 s a
window; the server and the ingest are stopped at the end. The server, the ingest and the
clients share the machine (its load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import multiprocessing.synchronize
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

from api_load import FILTERS, bench_store, fetch, fill, make_article, serving
from sitroom.models import EventCluster, sha256_hex
from sitroom.store import Store, open_store

MAX_CLIENTS = 200
MAX_DURATION = 300.0
FIRST_WRITE_WAIT = 180.0  # seconds the pipeline may take to load its models and write a batch
STORE_BATCH = 200
REPORT_PLACES = ["Ariha", "Aleppo", "Idlib", "Homs", "Rafah", "Khartoum", "El Fasher", "Kharkiv", "Goma"]
REPORT_ACTORS = ["Government forces", "Rebel fighters", "Militants", "Police", "Paramilitary forces"]


@dataclass
class Window:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"list": [], "one": []})
    errors: dict[str, int] = field(default_factory=lambda: {"list": 0, "one": 0})
    first_errors: list[str] = field(default_factory=list)
    wall: float = 0.0


async def read_load(port: int, lists: list[str], ones: list[str], clients: int, duration: float) -> Window:
    """``clients`` keep-alive clients sending list and single-event reads for ``duration`` seconds."""
    window = Window()
    rng = random.Random(11)
    end = time.perf_counter() + duration

    async def client() -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < end:
            kind = rng.choice(("list", "one"))
            path = rng.choice(lists if kind == "list" else ones)
            start = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", port)
                await fetch(*connection, path)
            except (OSError, asyncio.IncompleteReadError, SystemExit) as exc:
                window.errors[kind] += 1
                if len(window.first_errors) < 5:
                    window.first_errors.append(f"GET {path}: {exc}")
                if connection is not None:
                    connection[1].close()
                connection = None  # the next request opens a fresh connection
                continue
            window.latencies[kind].append(1000 * (time.perf_counter() - start))
        if connection is not None:
            connection[1].close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    window.wall = time.perf_counter() - start
    return window


def print_window(label: str, window: Window) -> None:
    window.latencies["all"] = window.latencies["list"] + window.latencies["one"]
    window.errors["all"] = window.errors["list"] + window.errors["one"]
    for kind, name in (("list", "list, filtered"), ("one", "one event"), ("all", "all reads")):
        times, errors = window.latencies[kind], window.errors[kind]
        if len(times) < 2:
            print(f"{label:<15} {name:<15} {len(times)} answered, {errors} errors", flush=True)
            continue
        cuts = quantiles(times, n=100)
        print(
            f"{label:<15} {name:<15} {len(times) / window.wall:7.1f} req/s  p50 {cuts[49]:7.1f}  p95 {cuts[94]:7.1f}"
            f"  p99 {cuts[98]:7.1f}  max {max(times):7.1f} ms  errors {errors}",
            flush=True,
        )
    for line in window.first_errors:
        print(f"{'':<15} error: {line}", flush=True)


def report_lines(seed: int) -> Iterator[bytes]:
    """Made-up reports as JSONL, each different (an attack, a toll, the displaced, a protest)."""
    rng = random.Random(seed)
    for index in range(10_000_000):
        place, actor = rng.choice(REPORT_PLACES), rng.choice(REPORT_ACTORS)
        text = (
            f"{actor} shelled a market in {place} on Tuesday, killing {rng.randint(2, 40)} civilians, "
            f"local health officials said. Residents said {rng.randint(2, 90)} people were wounded and "
            f"{rng.randint(10, 900)} families fled the district. Protesters gathered in "
            f"{rng.choice(REPORT_PLACES)} on Wednesday to demand an end to the fighting, witnesses said. "
            f"(Report {seed}-{index})"
        )
        record = {
            "url": f"https://bench.example/live/{seed}/{index}",
            "outlet": f"Outlet {index % 40}",
            "title": f"{place}: report {index}",
            "published": f"2026-01-{1 + index % 28:02d}T09:00:00+00:00",
            "text": text,
        }
        yield (json.dumps(record) + "\n").encode()


@contextmanager
def pipeline_ingest(url: str, batch: int) -> Iterator[None]:
    """``sitroom ingest -`` fed made-up reports, ``batch`` articles a transaction, until the context
    ends (then it is stopped)."""
    ingest = subprocess.Popen(
        [sys.executable, "-m", "sitroom", "ingest", "--db", url, "-"],
        env={**os.environ, "SITROOM_BATCH_SIZE": str(batch)},
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stop = threading.Event()

    def feed() -> None:
        assert ingest.stdin is not None
        try:
            for line in report_lines(os.getpid()):
                if stop.is_set():
                    break
                ingest.stdin.write(line)
                ingest.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # the ingest stopped: its exit status says why

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        yield
    finally:
        stop.set()
        ingest.kill()
        _, err = ingest.communicate(timeout=60)
        if ingest.returncode not in (0, -9):
            print(f"the ingest stopped with status {ingest.returncode}: {err.decode()[-500:]}", flush=True)


def _store_writer(url: str, stop: multiprocessing.synchronize.Event, seed: int) -> None:
    store = open_store(url)
    rng = random.Random(seed)
    index = 10_000_000  # past the articles ``fill`` made
    while not stop.is_set():
        batch = [make_article(index + k, rng) for k in range(STORE_BATCH)]
        index += STORE_BATCH
        store.write_articles([(a, s) for a, s, _ in batch], {a.id: an for a, _, an in batch})
    store.close()


@contextmanager
def store_ingest(url: str) -> Iterator[None]:
    """Synthetic analysed articles written through the store API in another process until the context ends."""
    stop = multiprocessing.Event()
    writer = multiprocessing.Process(target=_store_writer, args=(url, stop, 5), daemon=True)
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join(timeout=60)
        if writer.is_alive():
            writer.kill()


def cluster_the_rest(store: Store) -> None:
    """A cluster of its own for every event ``fill`` left in none, as an ingest leaves none: an
    ingest first clusters whatever it finds unclustered (what a killed ingest left), which for
    thousands of made-up events takes minutes before it reads a line."""
    rest = store.unclustered_mention_ids()
    for start in range(0, len(rest), 500):
        store.write_clusters(
            [
                EventCluster("e" + sha256_hex(m)[:15], (m,), 1, credibility=3)
                for m in rest[start : start + 500]
            ]
        )


def counts(url: str) -> tuple[int, int]:
    store = open_store(url)
    try:
        return store.count("articles"), store.count("event_mentions")
    finally:
        store.close()


def wait_for_first_write(url: str, before: int) -> None:
    deadline = time.monotonic() + FIRST_WRITE_WAIT
    while counts(url)[0] == before:
        if time.monotonic() > deadline:
            raise SystemExit(f"the ingest wrote nothing in {FIRST_WRITE_WAIT:g} s")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000, help="events in the store before the load")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of each window")
    parser.add_argument("--workers", type=int, default=2, help="sitroom serve --workers")
    parser.add_argument("--cache-mb", type=int, default=64, help="sitroom serve --cache-mb (0: no cache)")
    parser.add_argument("--limit", type=int, default=100, help="page size of the list requests")
    parser.add_argument("--ingest", choices=["pipeline", "store"], default="pipeline")
    parser.add_argument(
        "--ingest-batch", type=int, default=8, help="articles per transaction of the pipeline ingest"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--pg", default=os.environ.get("SITROOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be 1 to {MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be more than 0 and at most {MAX_DURATION:g} s")
    rng = random.Random(7)
    print(
        f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.backend}, "
        f"{args.workers} server process(es), {args.clients} clients, {args.duration:g} s windows, "
        f"ingest: {args.ingest}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp, bench_store(args.backend, args.pg, Path(tmp)) as (url, store):
        start = time.perf_counter()
        ids = fill(store, args.events, rng)
        cluster_the_rest(store)
        print(
            f"{store.count('event_mentions'):,} events written in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        lists = [f"/api/events?{query}&limit={args.limit}" for query in FILTERS]
        ones = [f"/api/events/{event_id}" for event_id in rng.sample(ids, min(len(ids), 2000))]
        with serving(url, args.workers, args.cache_mb) as (_, port):
            asyncio.run(read_load(port, lists, ones, args.clients, 2.0))  # connections and code paths
            print_window("idle", asyncio.run(read_load(port, lists, ones, args.clients, args.duration)))
            print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
            articles_before, _ = counts(url)
            with pipeline_ingest(url, args.ingest_batch) if args.ingest == "pipeline" else store_ingest(url):
                wait_for_first_write(url, articles_before)
                articles, events = counts(url)
                window = asyncio.run(read_load(port, lists, ones, args.clients, args.duration))
                articles_after, events_after = counts(url)
            print_window("during ingest", window)
            print(
                f"{'':<15} ingest ({args.ingest}): {(articles_after - articles) / window.wall:.1f} articles/s, "
                f"{(events_after - events) / window.wall:.1f} events/s "
                f"({articles_after - articles} articles in {window.wall:.1f} s)",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
