"""``sitroom eval coref``: document-level event coreference on ECB+ (story clustering).

Every ECB+ document under ``--data`` (a JSON object with ``title`` and ``text``, any name,
kept in its sub-topic folder: ``<subtopic>/*.json``; title + text only, the annotation files
are not read) is clustered with :func:`sitroom.corroborate.documents.cluster_documents`.
The gold cluster of a document is its sub-topic folder (``36ecb`` and ``36ecbplus`` are
different events). Scored with B3 over documents (the headline) and the adjusted Rand index.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from sitroom.corroborate.documents import cluster_documents
from sitroom.evaluation import EvalResult
from sitroom.evaluation.datasets import find_data, json_records, name_files, read_json

# re3d's JSON Lines documents also hold a title and a text; they carry an _id.
ECB_DOCUMENT = json_records(
    "<subtopic>/*.json ECB+ documents (JSON objects with title and text)",
    ("title", "text"),
    "event-coref",
    without=("_id",),
)


def read_documents(paths: Sequence[Path]) -> tuple[list[str], list[str]]:
    """Texts (title + text) and gold sub-topic (the folder holding it) of each document."""
    texts: list[str] = []
    gold: list[str] = []
    for path in paths:
        record = read_json(path)
        texts.append(f"{record.get('title') or ''}\n{record.get('text') or ''}")
        gold.append(path.parent.name)
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
    paths = find_data(data_dir, ECB_DOCUMENT)
    texts, gold = read_documents(paths)
    started = time.perf_counter()
    labels = cluster_documents(texts)
    seconds = time.perf_counter() - started
    precision, recall, f1 = score_b3(labels, gold)
    ari = float(adjusted_rand_score(gold, labels))
    lines = (
        f"event-coref: {name_files(paths, data_dir)}",
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
