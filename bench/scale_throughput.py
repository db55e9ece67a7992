"""Whole-path throughput with 1 and 2 local workers and on a Dask LocalCluster, against spaCy alone.

    .venv/bin/python bench/scale_throughput.py [--articles 5000] [--workers 1,2] [--dask 2] [--data DIR]

The article-extraction pages are repeated, each repeat with a changed URL and a changed
marker in the text (so every line is a new article, as a stream of new reports would be),
into one JSONL file of ``--articles`` lines. Then, in the same run and over the same texts:

- spaCy alone (unless ``--no-spacy``): the stock model (every component) with ``nlp.pipe``,
  one process;
- sitroom ``ingest`` into a fresh SQLite store with each of ``--workers`` (1 and 2 by
  default) and on a Dask ``LocalCluster`` of ``--dask`` single-threaded worker processes
  (``--scheduler``; 0 leaves it out). The cluster runs in a process of its own, as a
  ``dask scheduler`` / ``dask worker`` deployment does: inside the ingest process its
  scheduler would take turns with the writer on one interpreter lock.

Two rates are printed for each: over the whole wall time (start-up, model loading and the
pipeline filling included) and steady (from the first batch written to the last), and the
time the writer spent reclustering (stage 5, in the writing process whatever runs stages
2-4: the repeats report the same events, so clusters grow with the stream), then the CPU
time of the ingest process, of the worker processes and of Dask's scheduler and nannies,
each run's rate against spaCy alone and the Dask run's shortfall against as many local
workers. The load average is printed before and after: the figures depend on what else the
machine runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import cycle, islice
from pathlib import Path
from typing import Any, TypeVar

import psutil

from sitroom import pipeline
from sitroom.config import load_settings
from sitroom.corroborate.update import update_clusters
from sitroom.ingest.extract import extract_article
from sitroom.ingest.sources import now_utc
from sitroom.models import RawDocument
from sitroom.pipeline import Sitroom
from sitroom.read.nlp import load_model

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def marked(html: str, n: int) -> str:
    """The page with a marker of repeat ``n`` in every paragraph: a new article text (the
    first paragraph alone is often outside the article, in 54 of the 92 pages)."""
    return html.replace("</p>", f" ({n})</p>")


def write_stream(pages: list[Path], articles: int, path: Path) -> list[str]:
    """Write ``articles`` JSONL lines; return the extracted text of each distinct page."""
    htmls = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]
    texts = [
        extract_article(RawDocument(origin=str(p), data=h.encode(), captured_at=now_utc(), kind="html")).text
        for p, h in zip(pages, htmls, strict=True)
    ]
    with path.open("w") as out:
        for i in range(articles):
            n, k = divmod(i, len(pages))
            out.write(
                json.dumps({"url": f"https://bench.example/{n}/{pages[k].stem}", "html": marked(htmls[k], n)})
                + "\n"
            )
    return texts


def timed(fn: Callable[..., T], spent: list[float]) -> Callable[..., T]:
    def wrapper(*args: Any) -> T:
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            spent.append(time.perf_counter() - start)

    return wrapper


def cpu_seconds(process: psutil.Process) -> tuple[float, float]:
    """CPU time (user and system) of the process and of its children it has reaped."""
    times = process.cpu_times()
    return times.user + times.system, times.children_user + times.children_system


def run_ingest(
    label: str, jsonl: Path, db: Path, cluster: psutil.Process | None = None, **overrides: object
) -> float:
    """Ingest the stream into a fresh store; print the rates and where the CPU time went;
    return the articles per second over the whole wall time."""
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{db}", **overrides}))
    marks: list[tuple[float, int]] = []
    done = 0
    clustering: list[float] = []
    pipeline.update_clusters = timed(update_clusters, clustering)

    def progress(n: int) -> None:
        nonlocal done
        done += n
        marks.append((time.perf_counter(), done))

    # watched: this process, then the Dask cluster's process and its workers (alive until it
    # ends); local workers are this process's children, counted once the pool reaps them
    watched = [psutil.Process(), *([cluster, *cluster.children()] if cluster else [])]
    before = [cpu_seconds(p)[0] for p in watched]
    children_before = cpu_seconds(watched[0])[1]
    start = time.perf_counter()
    report = app.ingest([str(jsonl)], progress=progress)
    wall = time.perf_counter() - start
    spent = [cpu_seconds(p)[0] - b for p, b in zip(watched, before, strict=True)]
    writer, workers, overhead = spent[0], cpu_seconds(watched[0])[1] - children_before, ""
    if cluster:
        workers = sum(spent[2:])
        overhead = f", Dask scheduler and nannies {spent[1]:.0f} s"
    (t0, n0), (t1, n1) = marks[0], marks[-1]
    steady = (n1 - n0) / (t1 - t0) if t1 > t0 else float("nan")
    print(
        f"{label:<34} {report.seen / wall:6.2f} articles/s over {wall:6.1f} s, steady {steady:6.2f} articles/s"
        f"  (stored {report.stored}, events {report.events}, rejected {report.rejected};"
        f" reclustering {sum(clustering):.0f} s in the writer)",
        flush=True,
    )
    print(
        f"{'':<34} CPU time: ingest process {writer:.0f} s, worker processes {workers:.0f} s{overhead}",
        flush=True,
    )
    return report.seen / wall


CLUSTER = """
import sys
from distributed import LocalCluster
with LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the bench closes the pipe
"""


@contextmanager
def local_cluster(workers: int) -> Iterator[tuple[str, psutil.Process]]:
    """A Dask ``LocalCluster`` of ``workers`` processes in a process of its own; its address
    and the process (its worker processes are its children)."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLUSTER, str(workers)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        yield process.stdout.readline().strip(), psutil.Process(process.pid)
    finally:
        process.stdin.close()
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "article-extraction")
    parser.add_argument(
        "--articles", type=int, default=5000, help="JSONL lines (distinct articles) to ingest"
    )
    parser.add_argument(
        "--workers", default="1,2", help="comma-separated local worker counts to run (1: one process)"
    )
    parser.add_argument("--no-spacy", action="store_true", help="leave out the spaCy-alone reference")
    parser.add_argument(
        "--dask", type=int, default=2, help="worker processes of the Dask LocalCluster (0: no Dask run)"
    )
    args = parser.parse_args()
    pages = sorted((args.data / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no pages under {args.data / 'html'}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "stream.jsonl"
        texts = write_stream(pages, args.articles, jsonl)
        words = sum(len(t.split()) for t in islice(cycle(texts), args.articles))
        print(f"articles: {args.articles} ({len(pages)} pages repeated), {words:,} words", flush=True)

        spacy_rate = 0.0
        if not args.no_spacy:
            nlp = load_model()
            start = time.perf_counter()
            for _doc in nlp.pipe(islice(cycle(texts), args.articles), batch_size=16):
                pass
            spacy_wall = time.perf_counter() - start
            spacy_rate = args.articles / spacy_wall
            print(
                f"{'spaCy alone (1 process)':<34} {spacy_rate:6.2f} articles/s over {spacy_wall:6.1f} s",
                flush=True,
            )
            del nlp

        rates: dict[int, float] = {}
        for workers in (int(w) for w in args.workers.split(",") if w):
            label = "sitroom, 1 process" if workers == 1 else f"sitroom, {workers} local workers"
            rates[workers] = run_ingest(label, jsonl, Path(tmp) / f"w{workers}.db", workers=workers)
            if spacy_rate:
                print(f"{'':<34} {rates[workers] / spacy_rate:.2f} of spaCy alone", flush=True)
        if args.dask:
            with local_cluster(args.dask) as (address, cluster):
                dask_rate = run_ingest(
                    f"sitroom, Dask LocalCluster ({args.dask})",
                    jsonl,
                    Path(tmp) / "dask.db",
                    cluster,
                    scheduler=address,
                )
            if args.dask in rates:
                gap = 1 - dask_rate / rates[args.dask]
                print(f"{'':<34} {gap:.1%} under {args.dask} local workers (target: within 10 %)", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
