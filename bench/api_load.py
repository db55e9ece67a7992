"""The API under load: 50 concurrent clients against 100,000 events, in SQLite and in PostgreSQL.

    .venv/bin/python bench/api_load.py [--events 100000] [--clients 50] [--requests 2000]
        [--backend sqlite --backend postgresql] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each backend: synthetic event records (made-up articles of ten events each, dated over
two years, at a dozen places, a tenth of them in small clusters) are written through the
store API into a fresh store (SQLite in a temporary folder; PostgreSQL in a schema of its
own, dropped at the end); ``sitroom serve`` runs it on 127.0.0.1 on a free port; then
``--clients`` concurrent HTTP clients send ``--requests`` requests per scenario:

- list: ``GET /api/events`` with one of a set of filters (type and date, place, actor,
  civilian protection, bounding box, sources, a month), first page;
- one: ``GET /api/events/{id}`` for a random event (with its article, excerpt and cluster).

Printed: p50, p95 and max latency in ms and requests/s; the server and the clients share
the machine (its load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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
    Place(name, name, lat=lat, lon=lon, country=country, admin1=admin1, precision="city", source="gazetteer:bench")
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
    text = "".join(SENTENCE.format(n=rng.randint(1, 40)) for _ in range(EVENTS_PER_ARTICLE)) + f"Report {index}."
    digest = sha256_hex(text)
    url = f"https://bench.example/{index}"
    day = FIRST_DAY + timedelta(days=rng.randrange(730))
    article = Article(
        id=article_id_for(digest), text=text, sha256=digest, raw_sha256=digest, origin=url,
        captured_at=datetime.now(UTC).replace(microsecond=0), url=url, canonical_url=url, outlet=outlet,
        title=f"Report {index}", published=f"{day.isoformat()}T09:00:00+00:00", language="en", extractor="bench",
    )
    mentions = []
    for k in range(EVENTS_PER_ARTICLE):
        start = k * len(SENTENCE.format(n=10))
        sentence = text[start : text.index(". ", start) + 1]
        dead = rng.randint(0, 40)
        mentions.append(
            EventMention(
                id="m" + sha256_hex(f"{article.id}:{k}")[:15], article_id=article.id,
                event_type=rng.choice(("ASSAULT", "ASSAULT", "ASSAULT", *PLOVER_TYPES)), mode=None,
                evidence=Evidence(article.id, sentence, start, start + len(sentence)),
                attribution=Claim("officials", "official", "said", None, False, (outlet, "officials")),
                status=rng.choice(("occurred", "occurred", "ongoing", "threatened", "unknown")),
                actor=(rng.choice(ACTORS),), recipient=(ACTORS[-1],),
                date=day - timedelta(days=rng.randrange(3)), date_precision="day", location=rng.choice(PLACES),
                size=Size(dead=Count(dead, dead, str(dead))),
                civilian_protection=("evacuation",) if rng.random() < 0.05 else (), confidence=0.7,
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
        clusters.append(EventCluster("e" + sha256_hex("|".join(members))[:15], members, len(members), credibility=2))
    for start in range(0, len(clusters), 500):
        store.write_clusters(clusters[start : start + 500])
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(url: str) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sitroom", "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if server.poll() is not None:
                raise SystemExit(f"the server stopped (exit status {server.returncode})")
            try:
                httpx.get(f"{base}/api/events?limit=1", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


async def load(base: str, paths: list[str], clients: int) -> tuple[dict[str, list[float]], float]:
    """Send ``paths`` from ``clients`` concurrent clients; latencies in ms by path and the wall time."""
    queue = iter(paths)
    latencies: dict[str, list[float]] = {}

    async def client(http: httpx.AsyncClient) -> None:
        for path in queue:
            start = time.perf_counter()
            response = await http.get(path)
            latencies.setdefault(path, []).append(1000 * (time.perf_counter() - start))
            response.raise_for_status()

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        return latencies, time.perf_counter() - start


def report(backend: str, scenario: str, by_path: dict[str, list[float]], wall: float) -> None:
    latencies = [ms for values in by_path.values() for ms in values]
    cuts = quantiles(latencies, n=100)
    print(
        f"{backend:<11} {scenario:<26} p50 {cuts[49]:7.1f} ms  p95 {cuts[94]:7.1f} ms  max {max(latencies):7.1f} ms"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument("--limit", type=int, default=100, help="page size of the list requests (the API's default)")
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg", default=os.environ.get("SITROOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    for backend in args.backend or ["sqlite", "postgresql"]:
        with tempfile.TemporaryDirectory() as tmp, bench_store(backend, args.pg, Path(tmp)) as (url, store):
            start = time.perf_counter()
            ids = fill(store, args.events, rng)
            print(f"{backend}: {store.count('event_mentions'):,} events written in {time.perf_counter() - start:.0f} s", flush=True)
            lists = [f"/api/events?{rng.choice(FILTERS)}&limit={args.limit}" for _ in range(args.requests)]
            ones = [f"/api/events/{rng.choice(ids)}" for _ in range(args.requests)]
            with serving(url) as base:
                asyncio.run(load(base, lists[: args.clients] + ones[: args.clients], args.clients))  # warm-up
                for clients in (1, args.clients):
                    # one client: the cost of a request; many: the queueing on top of it
                    count = args.requests if clients > 1 else min(args.requests, 200)
                    label = f"{clients} client{'s' if clients > 1 else ''}"
                    by_path, wall = asyncio.run(load(base, lists[:count], clients))
                    report(backend, f"list, filtered, {label}", by_path, wall)
                    if clients == 1:
                        for query in FILTERS:
                            times = by_path.get(f"/api/events?{query}&limit={args.limit}", [])
                            print(f"{'':<11}   {query:<42} median {sorted(times)[len(times) // 2]:6.1f} ms" if times else "")
                    report(backend, f"one event, {label}", *asyncio.run(load(base, ones[:count], clients)))
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
