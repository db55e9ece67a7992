"""Peak memory (RSS) of ``sitroom ingest -`` over a long JSONL stream on standard input.

    .venv/bin/python bench/stream_memory.py [--articles 100000] [--workers 2] [--distinct] [--max-seconds S]

A producer process writes ``--articles`` JSONL lines into a pipe, as ``producer | sitroom
ingest -`` would: the article-extraction pages repeated, each repeat with a changed URL (a
syndicated copy: extracted and recorded as a new sighting), or with ``--distinct`` also a
changed marker in the text (a new article: read, events extracted and clustered: slow).
The stream is never on disk or in memory as a whole. A sampler reads, every second, the
resident memory of this process (reader, writer, clustering) and of its worker
processes; printed: the peaks, and ``getrusage``'s maximum RSS of this process and of the
largest child. ``--max-seconds`` ends the stream there (the producer stops, as a feed that
goes quiet would): the figures are then those of the lines ingested until then.

Which figure to read: with workers, RSS counts the pages they share with this process once
per process, so the RSS sum overstates; the PSS sum is the memory the group takes, and the
largest single RSS is what one process needs.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from sitroom.config import load_settings
from sitroom.pipeline import Sitroom

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 1.0


PRODUCER = """
import gzip, json, sys
from pathlib import Path
paths = sorted(Path(sys.argv[1]).glob("*.html.gz"))
pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in paths]
articles, distinct = int(sys.argv[2]), sys.argv[3] == "1"
out = sys.stdout.buffer
for i in range(articles):
    n, k = divmod(i, len(pages))
    html = pages[k].replace("</p>", f" ({n})</p>") if distinct else pages[k]
    out.write(json.dumps({"url": f"https://stream.example/{n}/{paths[k].stem}", "html": html}).encode() + b"\\n")
"""


class Sampler(threading.Thread):
    """Peaks of this process's RSS and of the RSS and PSS of it and its workers together.

    Forked workers share the resources' pages with this process: RSS counts a shared page
    once per process, PSS (proportional set size) splits it between them, so the PSS sum is
    the memory the group really takes.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.me = psutil.Process()
        self.parent = self.rss = self.pss = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            rss = pss = 0
            for process in [self.me, *self.me.children(recursive=True)]:
                try:
                    info = process.memory_full_info()
                except psutil.Error:
                    continue  # a child that just ended
                rss, pss = rss + info.rss, pss + info.pss
                if process is self.me:
                    self.parent = max(self.parent, info.rss)
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "article-extraction")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--distinct", action="store_true", help="every line a new article (full analysis)")
    parser.add_argument("--max-seconds", type=float, help="stop the producer after this many seconds")
    args = parser.parse_args()
    if not any((args.data / "html").glob("*.html.gz")):
        raise SystemExit(f"no pages under {args.data / 'html'}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = Sitroom(
            load_settings({}, overrides={"db": f"sqlite:///{tmp}/stream.db", "workers": args.workers})
        )
        # a separate producer process, as in 'producer | sitroom ingest -': this process holds
        # only the reading end of the pipe, so the stream ends when the producer does
        producer = subprocess.Popen(
            [
                sys.executable,
                "-c",
                PRODUCER,
                str(args.data / "html"),
                str(args.articles),
                "1" if args.distinct else "0",
            ],
            stdout=subprocess.PIPE,
        )
        sampler = Sampler()
        start = time.perf_counter()
        sampler.start()
        assert producer.stdout is not None
        deadline = threading.Timer(args.max_seconds or float("inf"), producer.terminate)
        if args.max_seconds:
            deadline.start()
        report = app.ingest(["-"], stdin=producer.stdout)
        deadline.cancel()
        producer.wait()
        wall = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        db_size = Path(tmp, "stream.db").stat().st_size
    kind = "new articles" if args.distinct else "copies of the pages at new URLs"
    print(
        f"stream: {report.seen:,} JSONL lines ({kind}), workers {args.workers}, {wall:.0f} s, {report.seen / wall:.1f} lines/s"
    )
    print(
        f"  stored {report.stored}, sightings {report.sightings}, known {report.known}, rejected {report.rejected}, events {report.events}; store {db_size / 1e6:.0f} MB"
    )
    print(
        f"peak (sampled): RSS of this process {sampler.parent / 1e6:.0f} MB; with its workers: RSS sum {sampler.rss / 1e6:.0f} MB, PSS sum {sampler.pss / 1e6:.0f} MB"
    )
    self_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    child_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
    print(f"getrusage max RSS: this process {self_max:.0f} MB, largest child {child_max:.0f} MB")
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
