"""Ingest throughput over the article-extraction pages: pages/s, extraction vs storage time.

    .venv/bin/python bench/ingest_throughput.py [--data ../shared/data/article-extraction] [--repeat 3]

Reads each ``html/<id>.html.gz`` page (decompression counted as acquisition), extracts it
(stage 2) and writes it to a fresh SQLite store in batches (as ``sitroom ingest`` does), and
prints the figures it measured. Pages are repeated with a changed URL so each repeat is a
new sighting (repeats of identical text are one article).
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sitroom.models import RawDocument, SourceHints
from sitroom.stages import batched, extract_item
from sitroom.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "article-extraction")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    pages = sorted((args.data / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no pages under {args.data / 'html'}")
    raws = [
        RawDocument(
            origin=str(p), data=gzip.decompress(p.read_bytes()), captured_at=datetime.now(UTC), kind="html"
        )
        for p in pages
    ]
    docs = [
        replace(raw, origin=f"{raw.origin}#{n}", hints=SourceHints(url=f"https://bench.example/{n}/{i}"))
        for n in range(args.repeat)
        for i, raw in enumerate(raws)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        t_extract = t_store = 0.0
        start = time.perf_counter()
        for batch in batched(docs, args.batch):
            t0 = time.perf_counter()
            results = [extract_item(d) for d in batch]
            t1 = time.perf_counter()
            store.write_articles(results)
            t2 = time.perf_counter()
            t_extract += t1 - t0
            t_store += t2 - t1
        total = time.perf_counter() - start
        print(f"pages: {len(docs)} ({len(pages)} distinct x {args.repeat})")
        print(
            f"articles stored: {store.count('articles')}, sightings: {store.count('sightings')}, rejections: {store.count('rejections')}"
        )
        print(f"throughput: {len(docs) / total:.1f} pages/s (wall {total:.2f} s, one process)")
        print(
            f"extraction: {t_extract:.2f} s ({100 * t_extract / total:.0f} %), {1000 * t_extract / len(docs):.1f} ms/page"
        )
        print(
            f"storage:    {t_store:.2f} s ({100 * t_store / total:.0f} %), {1000 * t_store / len(docs):.2f} ms/page"
        )


if __name__ == "__main__":
    main()
