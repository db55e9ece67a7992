"""A page of the event listing, one row per event against one per report, in SQLite and PostgreSQL.

    .venv/bin/python bench/events_listing.py [--events 22000] [--limit 100] [--runs 20]
        [--backend sqlite --backend postgresql]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each backend, a fresh store gets ``--events`` synthetic reports (bench/api_load.py's:
articles of ten events each, dated over two years, at a dozen places, a tenth of them in
clusters of two and three) written through the store API. Then the store's page of ``GET
/api/events`` (``Store.event_json_page``, what the API sends) is timed for ``group=event``
(the default: one row per event, the report standing for it and ``report_ids``) and
``group=report``: the first page unfiltered, the second page (after the first's cursor),
and the first page under each of api_load's filters.

Printed: the median and the slowest of ``--runs`` runs in ms, per group and case. Speed
target: a page by event (any case) under 20 ms median on this 2-core machine for 22,000
reports, on both backends; measured 2026-12-06: SQLite 5-9 ms, PostgreSQL 8-20 ms (the window
query before: 7-114 and 8-57 ms). A page by report stays a few milliseconds.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from api_load import FILTERS, bench_store, fill  # bench/ is the script's folder
from sitroom.store import Store
from sitroom.store.events import GROUPS
from sitroom.store.filters import EventFilter


def timed(store: Store, flt: EventFilter, group: str, runs: int) -> tuple[float, float]:
    """The median and the slowest time (ms) of ``runs`` pages."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        store.event_json_page(flt, group)  # type: ignore[arg-type]
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[-1]


def cases(store: Store, limit: int) -> list[tuple[str, dict[str, EventFilter]]]:
    """(label, filter by group): first page, second page, each filter's first page."""
    out = [("first page", {g: EventFilter(limit=limit) for g in GROUPS})]
    second = {}
    for group in GROUPS:
        _, cursor = store.event_json_page(EventFilter(limit=limit), group)  # type: ignore[arg-type]
        second[group] = EventFilter(limit=limit, cursor=cursor)
    out.append(("second page", second))
    for query in FILTERS:
        values = dict(part.split("=", 1) for part in query.split("&"))
        flt = EventFilter.parse({**values, "limit": str(limit)})
        out.append((query, dict.fromkeys(GROUPS, flt)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=22_000)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    for backend in args.backend or ["sqlite", "postgresql"]:
        with tempfile.TemporaryDirectory() as tmp, bench_store(backend, args.pg, Path(tmp)) as (_, store):
            start = time.perf_counter()
            fill(store, args.events, random.Random(7))
            print(
                f"{backend}: {args.events} reports written in {time.perf_counter() - start:.0f} s", flush=True
            )
            events = store.count_events(EventFilter(), group="event")
            print(
                f"{backend}: {events} events; per page of {args.limit}, median / slowest of {args.runs} runs"
            )
            for label, by_group in cases(store, args.limit):
                figures = "  ".join(
                    "{}: {:7.1f} / {:7.1f} ms".format(g, *timed(store, by_group[g], g, args.runs))
                    for g in GROUPS
                )
                print(f"  {label:<40} {figures}", flush=True)


if __name__ == "__main__":
    main()
