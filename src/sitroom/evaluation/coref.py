"""``sitroom eval coref``: document-level event coreference on ECB+ (story clustering).

Every document of the folder (``<subtopic>/*.json``, title + text only; the annotation
folders are not read) is clustered with :func:`sitroom.corroborate.documents.cluster_documents`.
The gold cluster of a document is its sub-topic folder (``36ecb`` and ``36ecbplus`` are
different events). Scored with B3 over documents (the headline) and the adjusted Rand index.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from sitroom.corroborate.documents import cluster_documents
from sitroom.errors import EvalError
from sitroom.evaluation import EvalResult, require_path


def read_documents(data_dir: Path) -> tuple[list[str], list[str]]:
    """Texts (title + text) and gold sub-topic of every document, in sorted path order."""
    texts: list[str] = []
    gold: list[str] = []
    for path in sorted(require_path(data_dir, "event-coref").glob("*/*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise EvalError(f"{path}: cannot read the document ({exc}); is it an ECB+ json record?") from exc
        texts.append(f"{record.get('title') or ''}\n{record.get('text') or ''}")
        gold.append(path.parent.name)
    if not texts:
        raise EvalError(f"{data_dir}: no <subtopic>/*.json documents; point --data at an ECB+ layout folder")
    return texts, gold


def score_b3(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B3 precision, recall and F1 of a predicted partition against a gold one."""
    if not predicted:
        return 0.0, 0.0, 0.0
    pred_sizes = Counter(predicted)
    gold_sizes = Counter(gold)
    joint = Counter(zip(predicted, gold, strict=True))
    n = len(predicted)
    precision = sum(joint[(p, g)] / pred_sizes[p] for p, g in zip(predicted, gold, strict=True)) / n
    recall = sum(joint[(p, g)] / gold_sizes[g] for p, g in zip(predicted, gold, strict=True)) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(data_dir: Path) -> EvalResult:
    """Cluster the folder's documents and score the clusters against the sub-topic folders."""
    texts, gold = read_documents(data_dir)
    started = time.perf_counter()
    labels = cluster_documents(texts)
    seconds = time.perf_counter() - started
    precision, recall, f1 = score_b3(labels, gold)
    ari = float(adjusted_rand_score(gold, labels))
    lines = (
        f"documents: {len(texts)} in {len(set(gold))} gold events; predicted clusters: {len(set(labels))}",
        f"B3 precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  ARI {ari:.3f}",
        f"clustering time: {seconds:.1f} s",
    )
    metrics: dict[str, float | int] = {
        "n": len(texts),
        "b3_f1": round(f1, 4),
        "b3_precision": round(precision, 4),
        "b3_recall": round(recall, 4),
        "ari": round(ari, 4),
        "clusters": len(set(labels)),
        "seconds": round(seconds, 2),
    }
    return EvalResult(metrics=metrics, lines=lines)
