"""``sitroom eval extraction``: article body extraction on the Article Extraction Benchmark.

``--data`` is a gold file (page id -> ``articleBody``, ``url``; ``ground-truth.json`` in the
benchmark) or a folder holding one or more; each page, ``<id>.html.gz``, is found by name under
the folder (or the gold file's folder; the benchmark keeps them in ``html/``). Each page goes
through the same path as an ingested file (:func:`~sitroom.ingest.decode.gunzip_bytes`, then
:func:`~sitroom.ingest.extract.extract_article`); the page's URL is passed as a hint, as a
crawler would know it.

Scoring (docs/interfaces.md, the benchmark's method): lowercased ``\\w+`` tokens, 4-token
shingles counted with multiplicity, per-page precision, recall and F1 of the shingles
shared with ``articleBody``, averaged over pages; a page with no prediction (a rejection
included) scores 0. ``f1_of_means`` is the benchmark script's own summary (the harmonic
mean of mean precision and mean recall), for comparison with published tables.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sitroom.errors import InputError
from sitroom.evaluation import EvalResult
from sitroom.evaluation.datasets import Companions, find_data, json_records, name_files, read_json
from sitroom.ingest.decode import gunzip_bytes
from sitroom.ingest.extract import extract_article
from sitroom.models import RawDocument, SourceHints

SHINGLE_SIZE = 4
# Decompressed pages larger than this are refused, as in ingest (the largest dev page is 1.5 MB).
MAX_PAGE_BYTES = 50 * 1024 * 1024
_TOKEN = re.compile(r"\w+")
EXTRACTION_GOLD = json_records(
    "a ground-truth.json (JSON object of page id -> {articleBody, url})",
    ("articleBody",),
    "article-extraction",
    keyed=True,
)


@dataclass(frozen=True)
class GoldPage:
    """One benchmark page: its id, saved page, URL hint and gold body."""

    id: str
    path: Path
    url: str | None
    body: str


def read_pages(paths: Sequence[Path], companions: Companions) -> list[GoldPage]:
    """The pages of gold files, sorted by id within each file, with their ``<id>.html.gz``."""
    found = []
    for path in paths:
        for page_id, item in sorted(read_json(path).items()):
            page = companions.find(f"{page_id}.html.gz", path)
            found.append(GoldPage(page_id, page, item.get("url"), item.get("articleBody", "")))
    return found


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Counts of the ``size``-token shingles of lowercased ``\\w+`` tokens.

    A text shorter than ``size`` tokens has one shorter shingle, as in the benchmark.
    """
    tokens = _TOKEN.findall(text.lower())
    return Counter(
        tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens[i : i + size]
    )


def score_page(gold: str, predicted: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``predicted``'s shingles against ``gold``'s (0 if empty)."""
    gold_shingles, predicted_shingles = shingles(gold), shingles(predicted)
    if not predicted_shingles or not gold_shingles:
        return 0.0, 0.0, 0.0
    shared = sum((gold_shingles & predicted_shingles).values())
    precision = shared / sum(predicted_shingles.values())
    recall = shared / sum(gold_shingles.values())
    f1 = 2 * precision * recall / (precision + recall) if shared else 0.0
    return precision, recall, f1


def evaluate(data_dir: Path) -> EvalResult:
    """Score body extraction on an article-extraction folder or gold file."""
    paths = find_data(data_dir, EXTRACTION_GOLD)
    pages = read_pages(paths, Companions.under(data_dir))
    scores: list[tuple[float, float, float]] = []
    lines = [f"article-extraction: {len(pages)} pages from {name_files(paths, data_dir)}"]
    seconds = 0.0
    for page in pages:
        raw = RawDocument(
            origin=str(page.path),
            data=gunzip_bytes(page.path.read_bytes(), str(page.path), MAX_PAGE_BYTES),
            captured_at=datetime.now(UTC),
            kind="html",
            hints=SourceHints(url=page.url),
        )
        started = time.perf_counter()
        try:
            predicted = extract_article(raw).text
        except InputError as err:
            predicted = ""
            lines.append(f"rejected {page.id[:12]}: {err.code}: {err.message}")
        seconds += time.perf_counter() - started
        scores.append(score_page(page.body, predicted))
    n = len(scores)
    precision = statistics.fmean(s[0] for s in scores) if n else 0.0
    recall = statistics.fmean(s[1] for s in scores) if n else 0.0
    f1 = statistics.fmean(s[2] for s in scores) if n else 0.0
    f1_of_means = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ms_per_page = 1000 * seconds / n if n else 0.0
    lines.append(f"pages: {n}")
    lines.append(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f} (mean per page)")
    lines.append(f"F1 of mean precision and mean recall (benchmark summary): {f1_of_means:.4f}")
    lines.append(f"extract_article: {ms_per_page:.1f} ms/page")
    metrics: dict[str, float | int] = {
        "n": n,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "f1_of_means": round(f1_of_means, 4),
        "ms_per_page": round(ms_per_page, 1),
    }
    return EvalResult(metrics=metrics, lines=tuple(lines))
