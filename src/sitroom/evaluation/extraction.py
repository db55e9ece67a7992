"""``sitroom eval extraction``: article body extraction on the Article Extraction Benchmark.

The data folder holds ``ground-truth.json`` (page id -> ``articleBody``, ``url``) and
``html/<id>.html.gz``. Each page goes through the same path as an ingested file
(:func:`~sitroom.ingest.decode.gunzip_bytes`, then
:func:`~sitroom.ingest.extract.extract_article`); the page's URL is passed as a hint, as a
crawler would know it.

Scoring (INTERFACES.md, the benchmark's method): lowercased ``\\w+`` tokens, 4-token
shingles counted with multiplicity, per-page precision, recall and F1 of the shingles
shared with ``articleBody``, averaged over pages; a page with no prediction (a rejection
included) scores 0. ``f1_of_means`` is the benchmark script's own summary (the harmonic
mean of mean precision and mean recall), for comparison with published tables.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sitroom.errors import InputError
from sitroom.evaluation import EvalResult, require_path
from sitroom.ingest.decode import gunzip_bytes
from sitroom.ingest.extract import extract_article
from sitroom.models import RawDocument, SourceHints

SHINGLE_SIZE = 4
# Decompressed pages larger than this are refused, as in ingest (the largest dev page is 1.5 MB).
MAX_PAGE_BYTES = 50 * 1024 * 1024
_TOKEN = re.compile(r"\w+")


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
    """Score body extraction on an article-extraction folder."""
    truth = json.loads(require_path(data_dir / "ground-truth.json", "article-extraction").read_text("utf-8"))
    html_dir = require_path(data_dir / "html", "article-extraction")
    scores: list[tuple[float, float, float]] = []
    lines: list[str] = []
    seconds = 0.0
    for page_id, item in sorted(truth.items()):
        path = require_path(html_dir / f"{page_id}.html.gz", "article-extraction")
        raw = RawDocument(
            origin=str(path),
            data=gunzip_bytes(path.read_bytes(), str(path), MAX_PAGE_BYTES),
            captured_at=datetime.now(UTC),
            kind="html",
            hints=SourceHints(url=item.get("url")),
        )
        started = time.perf_counter()
        try:
            predicted = extract_article(raw).text
        except InputError as err:
            predicted = ""
            lines.append(f"rejected {page_id[:12]}: {err.code}: {err.message}")
        seconds += time.perf_counter() - started
        scores.append(score_page(item.get("articleBody", ""), predicted))
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
