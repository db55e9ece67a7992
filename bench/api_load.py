"""The API under load: 50 concurrent clients against 100,000 events, in SQLite and in PostgreSQL.

    .venv/bin/python bench/api_load.py [--events 100000] [--clients 50] [--requests 2000]
        [--workers 2] [--backend sqlite --backend postgresql]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each backend: synthetic event records (made-up articles of ten events each, dated over
two years, at a dozen places, a tenth of them in small clusters) are written through the
store API into a fresh store (SQLite in a temporary folder; PostgreSQL in a schema of its
own, dropped at the end); ``sitroom serve --workers N`` runs it on 127.0.0.1 on a free
port; then ``--clients`` concurrent HTTP clients send ``--requests`` requests per scenario:

- list: ``GET /api/events`` with one of a set of filters (type and date, place, actor,
  civilian protection, bounding box, sources, a month), first page;
- one: ``GET /api/events/{id}`` for a random event (with its article, excerpt and cluster).

Two passes, labelled: **cold**, the server started with ``--cache-mb 0`` (every answer made
from the store: the cost of a view nobody asked for since the last write); **warm**, the
server with its response cache, after one pass over the same requests (analysts on the
views the dashboard already shows; the store unchanged in between).

The clients are a minimal HTTP/1.1 keep-alive client over asyncio streams, one connection
each, that checks every status and reads every body; like a browser, it accepts gzip (which
the server uses for cached answers) and inflates what comes gzipped. httpx's connection pool, with 50
connections, saturates a core at about 190 requests/s on this 2-core machine even against
an endpoint that does nothing (p95 770 ms, measured), so the figures were its own queue.

Printed: p50, p95 and max latency in ms and requests/s; the server and the clients share
the machine (its load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import quantiles

import httpx

from sitroom.models import (
    PLOVER_TYPES,
    Actor,
    Analysis,
    Article,
    Claim,
    Count,
    EventCluster,
    EventMention,
    Evidence,
    Place,
    Reading,
    Sighting,
    Size,
    article_id_for,
    sha256_hex,
)
from sitroom.store import Store, open_store

PLACES = [
    Place(
        name,
        name,
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        precision="city",
        source="gazetteer:bench",
    )
    for name, lat, lon, country, admin1 in [
        ("Aleppo", 36.20, 37.16, "SYR", "Aleppo"),
        ("Ariha", 35.81, 36.61, "SYR", "Idlib"),
        ("Idlib", 35.93, 36.63, "SYR", "Idlib"),
        ("Homs", 34.73, 36.71, "SYR", "Homs"),
        ("Gaza", 31.50, 34.47, "PSE", "Gaza Strip"),
        ("Rafah", 31.30, 34.25, "PSE", "Gaza Strip"),
        ("Khartoum", 15.50, 32.56, "SDN", "Khartoum"),
        ("El Fasher", 13.63, 25.35, "SDN", "North Darfur"),
        ("Kharkiv", 49.99, 36.23, "UKR", "Kharkiv"),
        ("Pokrovsk", 48.28, 37.18, "UKR", "Donetsk"),
        ("Goma", -1.68, 29.22, "COD", "North Kivu"),
        ("Mogadishu", 2.05, 45.32, "SOM", "Banaadir"),
    ]
]
ACTORS = [
    Actor("government forces", "Syrian Arab Army", country="SYR", sector="MIL", acled_inter=1),
    Actor("Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham", country="SYR", sector="REB", acled_inter=2),
    Actor("Rapid Support Forces", "Rapid Support Forces", country="SDN", sector="REB", acled_inter=2),
    Actor("Russian forces", "Military Forces of Russia", country="RUS", sector="MIL", acled_inter=8),
    Actor("al-Shabaab", "Al Shabaab", country="SOM", sector="REB", acled_inter=2),
    Actor("M23", "M23: March 23 Movement", country="COD", sector="REB", acled_inter=2),
    Actor("civilians", "Civilians", sector="CVL", acled_inter=7),
]
FILTERS = [
    "event_type=ASSAULT&since=2025-06-01",
    "place=Aleppo",
    "place=SDN",
    "actor=shabaab",
    "civilian_protection=evacuation",
    "bbox=36,35,38,37",
    "min_sources=2",
    "status=occurred&event_type=PROTEST",
    "since=2025-12-01&until=2025-12-31",
    "event_type=SANCTION&place=Goma",
]
EVENTS_PER_ARTICLE = 10
SENTENCE = "Forces shelled the area near the market on Tuesday, killing {n} people, officials said. "
FIRST_DAY = date(2024, 2, 1)


def make_article(index: int, rng: random.Random) -> tuple[Article, Sighting, Analysis]:
    outlet = f"Outlet {index % 40}"
    text = (
        "".join(SENTENCE.format(n=rng.randint(1, 40)) for _ in range(EVENTS_PER_ARTICLE)) + f"Report {index}."
    )
    digest = sha256_hex(text)
    url = f"https://bench.example/{index}"
    day = FIRST_DAY + timedelta(days=rng.randrange(730))
    article = Article(
        id=article_id_for(digest),
        text=text,
        sha256=digest,
        raw_sha256=digest,
        origin=url,
        captured_at=datetime.now(UTC).replace(microsecond=0),
        url=url,
        canonical_url=url,
        outlet=outlet,
        title=f"Report {index}",
        published=f"{day.isoformat()}T09:00:00+00:00",
        language="en",
        extractor="bench",
    )
    mentions = []
    for k in range(EVENTS_PER_ARTICLE):
        start = k * len(SENTENCE.format(n=10))
        sentence = text[start : text.index(". ", start) + 1]
        dead = rng.randint(0, 40)
        mentions.append(
            EventMention(
                id="m" + sha256_hex(f"{article.id}:{k}")[:15],
                article_id=article.id,
                event_type=rng.choice(("ASSAULT", "ASSAULT", "ASSAULT", *PLOVER_TYPES)),
                mode=None,
                evidence=Evidence(article.id, sentence, start, start + len(sentence)),
                attribution=Claim("officials", "official", "said", None, False, (outlet, "officials")),
                status=rng.choice(("occurred", "occurred", "ongoing", "threatened", "unknown")),
                actor=(rng.choice(ACTORS),),
                recipient=(ACTORS[-1],),
                date=day - timedelta(days=rng.randrange(3)),
                date_precision="day",
                location=rng.choice(PLACES),
                size=Size(dead=Count(dead, dead, str(dead))),
                civilian_protection=("evacuation",) if rng.random() < 0.05 else (),
                confidence=0.7,
            )
        )
    sighting = Sighting(article.id, url, url, outlet, digest, article.captured_at, article.published)
    return article, sighting, Analysis(Reading(article.id, ()), tuple(mentions))


def fill(store: Store, events: int, rng: random.Random) -> list[str]:
    """Write ``events`` synthetic events; cluster a tenth of them in twos and threes."""
    ids: list[str] = []
    batch: list[tuple[Article, Sighting, Analysis]] = []
    for index in range(events // EVENTS_PER_ARTICLE):
        batch.append(make_article(index, rng))
        if len(batch) == 200 or index == events // EVENTS_PER_ARTICLE - 1:
            store.write_articles([(a, s) for a, s, _ in batch], {a.id: an for a, _, an in batch})
            ids.extend(m.id for _, _, an in batch for m in an.events)
            batch = []
    clusters = []
    chosen = rng.sample(ids, len(ids) // 10)
    while chosen:
        size = rng.choice((2, 3))
        members, chosen = tuple(chosen[:size]), chosen[size:]
        clusters.append(
            EventCluster("e" + sha256_hex("|".join(members))[:15], members, len(members), credibility=2)
        )
    for start in range(0, len(clusters), 500):
        store.write_clusters(clusters[start : start + 500])
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(url: str, workers: int, cache_mb: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sitroom",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--cache-mb",
            str(cache_mb),
        ],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            if server.poll() is not None:
                raise SystemExit(f"the server stopped (exit status {server.returncode})")
            try:
                httpx.get(f"{base}/api/events?limit=1", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield base, port
    finally:
        server.terminate()
        server.wait(timeout=30)


CONTENT_LENGTH = re.compile(rb"(?im)^content-length:[ \t]*(\d+)")
GZIPPED = re.compile(rb"(?im)^content-encoding:[ \t]*gzip")


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> None:
    """One GET on a kept-alive connection; the whole body is read, anything but 200 fails."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = CONTENT_LENGTH.search(head)
    if length is None:
        raise SystemExit(f"GET {path}: no Content-Length in {head[:200]!r}")
    body = await reader.readexactly(int(length.group(1)))
    if status != 200:
        raise SystemExit(f"GET {path}: HTTP {status}: {body[:300]!r}")
    if GZIPPED.search(head):
        gzip.decompress(body)


async def load(port: int, paths: list[str], clients: int) -> tuple[dict[str, list[float]], float]:
    """Send ``paths`` from ``clients`` concurrent clients; latencies in ms by path and the wall time."""
    queue = iter(paths)
    latencies: dict[str, list[float]] = {}

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for path in queue:
                start = time.perf_counter()
                await fetch(reader, writer, path)
                latencies.setdefault(path, []).append(1000 * (time.perf_counter() - start))
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, time.perf_counter() - start


def report(backend: str, scenario: str, by_path: dict[str, list[float]], wall: float) -> None:
    latencies = [ms for values in by_path.values() for ms in values]
    cuts = quantiles(latencies, n=100)
    print(
        f"{backend:<11} {scenario:<32} p50 {cuts[49]:7.1f} ms  p95 {cuts[94]:7.1f} ms  max {max(latencies):7.1f} ms"
        f"  {len(latencies) / wall:6.1f} req/s",
        flush=True,
    )


@contextmanager
def bench_store(backend: str, pg: str, tmp: Path) -> Iterator[tuple[str, Store]]:
    """A fresh store and the URL a server reaches it at."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'api.db'}"
        store = open_store(url)
        yield url, store
        store.close()
        return
    import psycopg

    schema = f"sitroom_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(pg.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = f"{pg}?options=-csearch_path%3D{schema}"
        store = open_store(url)
        yield url, store
        store.close()
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def measure(
    backend: str, cache: str, port: int, lists: list[str], ones: list[str], args: argparse.Namespace
) -> None:
    """One client (the cost of a request), then ``--clients`` (the queueing on top of it)."""
    for clients in (1, args.clients):
        count = args.requests if clients > 1 else min(args.requests, 200)
        label = f"{cache}, {clients} client{'s' if clients > 1 else ''}"
        by_path, wall = asyncio.run(load(port, lists[:count], clients))
        report(backend, f"list, filtered, {label}", by_path, wall)
        if clients == 1 and cache == "cold":
            for query in FILTERS:
                times = sorted(by_path.get(f"/api/events?{query}&limit={args.limit}", []))
                if times:
                    print(f"{'':<11}   {query:<42} median {times[len(times) // 2]:6.1f} ms", flush=True)
        report(backend, f"one event, {label}", *asyncio.run(load(port, ones[:count], clients)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument(
        "--limit", type=int, default=100, help="page size of the list requests (the API's default)"
    )
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=2, help="sitroom serve --workers (one per core here)")
    parser.add_argument(
        "--pg", default=os.environ.get("SITROOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    rng = random.Random(7)
    print(
        f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.workers} server process(es)",
        flush=True,
    )
    for backend in args.backend or ["sqlite", "postgresql"]:
        with tempfile.TemporaryDirectory() as tmp, bench_store(backend, args.pg, Path(tmp)) as (url, store):
            start = time.perf_counter()
            ids = fill(store, args.events, rng)
            print(
                f"{backend}: {store.count('event_mentions'):,} events written in {time.perf_counter() - start:.0f} s",
                flush=True,
            )
            lists = [f"/api/events?{rng.choice(FILTERS)}&limit={args.limit}" for _ in range(args.requests)]
            ones = [f"/api/events/{rng.choice(ids)}" for _ in range(args.requests)]
            for cache, cache_mb in (("cold", 0), ("warm", 64)):
                with serving(url, args.workers, cache_mb) as (_, port):
                    # cold: warm the connections and code paths only; warm: fill the cache with every request
                    first = lists[: args.clients] + ones[: args.clients] if cache == "cold" else lists + ones
                    asyncio.run(load(port, first, args.clients))
                    measure(backend, cache, port, lists, ones, args)
                print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
