"""``sitroom eval pubdate``: publication dates on the htmldate MediaCloud 2020 set.

``--data`` is a gold file (page URL -> ``file``, gold ``date`` as YYYY-MM-DD, or ``NaN`` when
the page has no establishable date; ``eval_mediacloud_2020.json`` in the set) or a folder
holding one or more; each page is found by its ``file`` name under the folder (or the gold
file's folder; the set keeps them in ``test_set/``).
Each saved page goes through :func:`~sitroom.ingest.extract.extract_article` with its URL
as a hint (the key is the URL, which the system may use); when the page holds no article
text (a home page, a social media page), only the date finder runs on it, so the score
measures dates, not body extraction.

Scoring: the returned date reduced to its day must equal the gold day. A right day is a
true positive, a wrong day (or any day for a ``NaN`` page) a false positive, no date a false
negative (or right, for a ``NaN`` page). ``accuracy`` = right / all pages.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from sitroom.errors import ExtractionError
from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import Companions, find_data, json_records, name_files, read_json
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.extract import extract_article
from sitroom.ingest.pubdate import find_published
from sitroom.models import RawDocument, SourceHints

PUBDATE_GOLD = json_records(
    "an htmldate gold file (JSON object of page URL -> {file, date})", ("file", "date"), "pubdate", keyed=True
)


@dataclass(frozen=True)
class DatedPage:
    """One saved page: its URL, file and gold day (None: the page has no date)."""

    url: str
    file: str
    path: Path
    date: str | None


def read_pages(paths: Sequence[Path], companions: Companions) -> list[DatedPage]:
    """The pages of gold files, sorted by URL within each file, with their saved page."""
    found = []
    for path in paths:
        for url, item in sorted(read_json(path).items()):
            expected = item["date"] if isinstance(item.get("date"), str) else None  # NaN: no date is right
            found.append(DatedPage(url, item["file"], companions.find(item["file"], path), expected))
    return found


def evaluate(data_dir: Path) -> EvalResult:
    """Score publication dates on a pubdate folder or gold file."""
    paths = find_data(data_dir, PUBDATE_GOLD)
    pages = read_pages(paths, Companions.under(data_dir))
    right = false_pos = false_neg = 0
    lines = [f"pubdate: {len(pages)} pages from {name_files(paths, data_dir)}"]
    seconds = 0.0
    for page in pages:
        url, expected = page.url, page.date
        raw = RawDocument(
            origin=str(page.path),
            data=page.path.read_bytes(),
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
        lines.append(f"wrong {page.file}: gold {expected}, found {published}  ({url[:80]})")
    n = len(pages)
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
