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

In the same run, on the same pages: ``htmldate_accuracy``, htmldate alone
(``find_date(html, extensive_search=True, original_date=True)``, the baseline the rules must
beat); ``cv_accuracy`` (and ``cv_sd`` over 3 seeds), the day accuracy of the rules chosen on
the other folds of a 5-fold split by outlet (:mod:`sitroom.ingest.pubdate_model`), which
says what the rule choice is worth on pages it was not made on, beside ``accuracy``, the fit
of the shipped table; ``abstain_precision``, the share of the pages sitroom gives no date that
have none.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from htmldate import find_date

from sitroom.errors import ExtractionError
from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import Companions, find_data, json_records, name_files, read_json
from sitroom.ingest import pubdate_model
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.extract import extract_article
from sitroom.ingest.pubdate import PageDates, find_published, load_chooser
from sitroom.models import RawDocument, SourceHints

CV_FOLDS = 5

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


def page_dates(page: DatedPage, captured: datetime) -> PageDates:
    """The publication-date chooser's candidates for one saved page, read with its URL."""
    html = decode_bytes(page.path.read_bytes(), str(page.path))
    return PageDates(trafilatura.load_html(html), html, (page.url,), captured)


def evaluate(data_dir: Path) -> EvalResult:
    """Score publication dates on a pubdate folder or gold file, beside htmldate alone and CV."""
    paths = find_data(data_dir, PUBDATE_GOLD)
    pages = read_pages(paths, Companions.under(data_dir))
    lines = [f"pubdate: {len(pages)} pages from {name_files(paths, data_dir)}"]
    seconds = 0.0
    found: list[str | None] = []
    candidates: list[PageDates] = []
    for page in pages:
        raw = RawDocument(
            origin=str(page.path),
            data=page.path.read_bytes(),
            captured_at=datetime.now(UTC),
            kind="html",
            hints=SourceHints(url=page.url),
        )
        started = time.perf_counter()
        published = _published(raw, page.url)
        seconds += time.perf_counter() - started
        found.append(published)
        candidates.append(page_dates(page, raw.captured_at))
        day = published[:10] if published else None
        if day != page.date:
            lines.append(f"wrong {page.file}: gold {page.date}, found {published}  ({page.url[:80]})")
    gold = [page.date for page in pages]
    n = len(pages)
    right, false_pos, false_neg = _counts([f[:10] if f else None for f in found], gold)
    precision, recall, f1 = prf(right, false_pos, false_neg)
    accuracy = right / n if n else 0.0
    alone_days = [find_date(c.html, extensive_search=True, original_date=True) or None for c in candidates]
    alone = _counts(alone_days, gold)[0] / n if n else 0.0
    validation = pubdate_model.cross_validate(candidates, gold, [page.url for page in pages], CV_FOLDS)
    cv_accuracy, cv_sd = validation.accuracy(gold) if n else (0.0, 0.0)
    abstained = [expected for f, expected in zip(found, gold, strict=True) if not f]
    undated = sum(expected is None for expected in gold)
    abstain_precision = sum(expected is None for expected in abstained) / len(abstained) if abstained else 0.0
    lines.append(f"pages: {n}  right: {right}  wrong day: {false_pos}  no date: {false_neg}")
    lines.append(f"day accuracy {accuracy:.4f}  precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    lines.append(f"rules used: {pubdate_model.describe(load_chooser())} (data/pubdate_rules.tsv)")
    lines.append(f"htmldate alone on the same pages: day accuracy {alone:.4f}")
    lines.append(
        f"{CV_FOLDS}-fold cross-validated by outlet ({len(pubdate_model.SEEDS)} seeds), rules chosen on the "
        f"other folds: day accuracy {cv_accuracy:.4f} (sd {cv_sd:.4f}); folds chose "
        + "; ".join(sorted({pubdate_model.describe(r) for run in validation.chosen for r in run}))
    )
    lines.append(
        f"no date given on {len(abstained)} pages, {abstain_precision:.4f} of them rightly "
        f"({undated} pages have no date)"
    )
    lines.append(f"{1000 * seconds / n if n else 0.0:.1f} ms/page (whole extraction)")
    metrics: dict[str, float | int] = {
        "n": n,
        "accuracy": round(accuracy, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "htmldate_accuracy": round(alone, 4),
        "cv_accuracy": round(cv_accuracy, 4),
        "cv_sd": round(cv_sd, 4),
        "abstain_precision": round(abstain_precision, 4),
    }
    return EvalResult(metrics=metrics, lines=tuple(lines))


def _counts(days: Sequence[str | None], gold: Sequence[str | None]) -> tuple[int, int, int]:
    """Right days, wrong days (any day for a page without one) and missing days."""
    right = sum(day == expected for day, expected in zip(days, gold, strict=True))
    false_neg = sum(day is None and expected is not None for day, expected in zip(days, gold, strict=True))
    return right, len(days) - right - false_neg, false_neg


def _published(raw: RawDocument, url: str) -> str | None:
    """The article's date; for a page without article text, the page's date."""
    try:
        return extract_article(raw).published
    except ExtractionError:
        html = decode_bytes(raw.data, raw.origin)
        tree = trafilatura.load_html(html)
        return find_published(tree, url, raw.captured_at, html=html) if tree is not None else None
