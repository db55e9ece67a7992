"""Whole-path throughput: ingest -> events over the article-extraction pages, against spaCy alone.

    .venv/bin/python bench/pipeline_throughput.py [--data ../shared/data/article-extraction] [--repeat 1]

Prints, for the same texts in the same run:
- spaCy alone: the stock model (all components) over the extracted texts with ``nlp.pipe``;
- sitroom: extract, read, extract events and claims, store and cluster (``Sitroom.ingest``)
  into a fresh SQLite store, one process;
and the ratio sitroom / spaCy. Model and index loading are timed apart (once per process).
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

from sitroom.config import load_settings
from sitroom.ingest.extract import extract_article
from sitroom.ingest.sources import now_utc
from sitroom.models import RawDocument
from sitroom.pipeline import Sitroom
from sitroom.read.nlp import load_model

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "article-extraction")
    parser.add_argument(
        "--repeat", type=int, default=1, help="ingest the pages this many times, with changed URLs"
    )
    args = parser.parse_args()
    pages = sorted((args.data / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no pages under {args.data / 'html'}")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "pages.jsonl"
        texts: list[str] = []
        with jsonl.open("w") as out:
            for n in range(args.repeat):
                for page in pages:
                    html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
                    if n == 0:
                        raw = RawDocument(
                            origin=str(page), data=html.encode(), captured_at=now_utc(), kind="html"
                        )
                        texts.append(extract_article(raw).text)
                    # a changed marker keeps repeats distinct articles, as a stream of new reports would be
                    out.write(
                        json.dumps(
                            {
                                "url": f"https://bench.example/{n}/{page.stem}",
                                "html": html.replace("<body", f"<body data-r='{n}'", 1).replace(
                                    "</p>", f" ({n})</p>", 1
                                ),
                            }
                        )
                        + "\n"
                    )
        words = sum(len(t.split()) for t in texts) * args.repeat

        t0 = time.perf_counter()
        nlp = load_model()
        t_load_spacy = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            for _doc in nlp.pipe(texts, batch_size=16):
                pass
        t_spacy = time.perf_counter() - t0

        app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{tmp}/bench.db"}))
        t0 = time.perf_counter()
        _ = app.resources, app.outlets
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = app.ingest([str(jsonl)])
        t_sitroom = time.perf_counter() - t0

    n = len(texts) * args.repeat
    spacy_rate, sitroom_rate = n / t_spacy, report.stored / t_sitroom
    print(f"articles: {n} ({len(pages)} pages x {args.repeat}), {words:,} words")
    print(
        f"spaCy alone (full en_core_web_sm): {spacy_rate:.1f} articles/s, {words / t_spacy:,.0f} words/s (load {t_load_spacy:.1f} s)"
    )
    print(
        f"sitroom whole path (1 process):    {sitroom_rate:.1f} articles/s, {words / t_sitroom:,.0f} words/s (load {t_load:.1f} s)"
    )
    print(f"  stored {report.stored}, rejected {report.rejected}, event mentions {report.events}")
    print(f"ratio sitroom / spaCy: {sitroom_rate / spacy_rate:.2f}")


if __name__ == "__main__":
    main()
