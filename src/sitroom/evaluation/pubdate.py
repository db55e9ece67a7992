"""``sitroom eval pubdate``: publication dates on the htmldate MediaCloud 2020 set.

The data folder holds ``eval_mediacloud_2020.json`` (page URL -> ``file``, gold ``date``
as YYYY-MM-DD, or ``NaN`` when the page has no establishable date) and ``test_set/<file>``.
Each saved page goes through :func:`~sitroom.ingest.extract.extract_article` with its URL
as a hint (the key is the URL, which the system may use); when the page holds no article
text (a home page, a social media page), only the date finder runs on it, so the score
measures dates, not body extraction.

Scoring: the returned date reduced to its day must equal the gold day. A right day is a
true positive, a wrong day (or any day for a ``NaN`` page) a false positive, no date a false
negative (or right, for a ``NaN`` page). ``accuracy`` = right / all pages.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from sitroom.errors import ExtractionError
from sitroom.evaluation import EvalResult, prf, require_path
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.extract import extract_article
from sitroom.ingest.pubdate import find_published
from sitroom.models import RawDocument, SourceHints


def evaluate(data_dir: Path) -> EvalResult:
    """Score publication dates on a pubdate folder."""
    gold_path = require_path(data_dir / "eval_mediacloud_2020.json", "pubdate")
    pages_dir = require_path(data_dir / "test_set", "pubdate")
    gold = json.loads(gold_path.read_text("utf-8"))
    right = false_pos = false_neg = 0
    lines: list[str] = []
    seconds = 0.0
    for url, item in sorted(gold.items()):
        expected = item["date"] if isinstance(item.get("date"), str) else None  # NaN: no date is right
        path = require_path(pages_dir / item["file"], "pubdate")
        raw = RawDocument(
            origin=str(path),
            data=path.read_bytes(),
            captured_at=datetime.now(UTC),
            kind="html",
            hints=SourceHints(url=url),
        )
        started = time.perf_counter()
        published = _published(raw, url)
        seconds += time.perf_counter() - started
        day = published[:10] if published else None
        if day == expected:
            right += 1
            continue
        if day is None:
            false_neg += 1
        else:
            false_pos += 1
        lines.append(f"wrong {item['file']}: gold {expected}, found {published}  ({url[:80]})")
    n = len(gold)
    precision, recall, f1 = prf(right, false_pos, false_neg)
    accuracy = right / n if n else 0.0
    lines.append(f"pages: {n}  right: {right}  wrong day: {false_pos}  no date: {false_neg}")
    lines.append(f"day accuracy {accuracy:.4f}  precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    lines.append(f"{1000 * seconds / n if n else 0.0:.1f} ms/page (whole extraction)")
    metrics: dict[str, float | int] = {
        "n": n,
        "accuracy": round(accuracy, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }
    return EvalResult(metrics=metrics, lines=tuple(lines))


def _published(raw: RawDocument, url: str) -> str | None:
    """The article's date; for a page without article text, the page's date."""
    try:
        return extract_article(raw).published
    except ExtractionError:
        tree = trafilatura.load_html(decode_bytes(raw.data, raw.origin))
        return find_published(tree, url, raw.captured_at) if tree is not None else None
