"""``sitroom eval events``: PLOVER root of a marked dyad (events-plover, PLV tsv).

``--data`` is a PLV table or a folder holding one or more (any name: a ``.tsv`` whose header
holds the columns read, in any order). Each row gives a sentence and the same sentence with
``<s>source</s>`` and ``<t>target</t>`` marked. The scorer reads only ``sentence``, ``marked_sentence`` and the gold labels; the
system sees the parsed sentence and the character spans of the first source and target.
PLV's label set says YIELD where sitroom says RETREAT (or CONCEDE): :data:`TO_PLV` maps them.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import find_data, name_files, tsv_table
from sitroom.events.plover import classify_event
from sitroom.read.nlp import load_model
from sitroom.rules import Rules, load_rules

PLV_TABLE = tsv_table(
    "a PLV table (.tsv with columns sentence, marked_sentence, gold_root, gold_penta)",
    ("sentence", "marked_sentence", "gold_root", "gold_penta"),
    "events-plover",
)
TO_PLV = {"RETREAT": "YIELD", "CONCEDE": "YIELD"}
# PLOVER's quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
# 4 material conflict.
QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "YIELD": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip
MARK = re.compile(r"<(/?)([st])>")


def locate_marks(marked: str) -> dict[str, list[tuple[int, int]]]:
    """Character spans of the ``<s>`` and ``<t>`` marks in the unmarked sentence."""
    spans: dict[str, list[tuple[int, int]]] = {"s": [], "t": []}
    opened: dict[str, int] = {}
    position = 0
    cursor = 0
    for match in MARK.finditer(marked):
        position += match.start() - cursor
        cursor = match.end()
        closing, role = match.group(1), match.group(2)
        if closing and role in opened:
            spans[role].append((opened.pop(role), position))
        elif not closing:
            opened[role] = position
    return spans


def read_rows(paths: Sequence[Path]) -> list[dict[str, str]]:
    """The rows of PLV tables, by column name, in file order."""
    rows: list[dict[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t"))
    return rows


def evaluate(data_dir: Path, *, rules: Rules | None = None) -> EvalResult:
    """Score :func:`sitroom.events.plover.classify_event` on a PLV split, with ``rules`` (the
    shipped ones by default)."""
    lexicon = (rules or load_rules()).triggers
    paths = find_data(data_dir, PLV_TABLE)
    rows = read_rows(paths)
    nlp = load_model(disable=["ner"])
    started = time.perf_counter()
    gold: list[str] = []
    predicted: list[str | None] = []
    quads: list[tuple[str, int | None]] = []
    for row, doc in zip(rows, nlp.pipe((row["sentence"] for row in rows), batch_size=64), strict=True):
        marks = locate_marks(row["marked_sentence"])
        source = marks["s"][0] if marks["s"] else None
        target = marks["t"][0] if marks["t"] else None
        event = classify_event(doc, source, target, lexicon)
        label = TO_PLV.get(event.event_type or "", event.event_type)
        gold.append(row["gold_root"])
        predicted.append(label)
        quads.append((row["gold_penta"], QUAD.get(label or "")))
    seconds = time.perf_counter() - started
    n = len(gold)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / n if n else 0.0
    lines = [f"events-plover: {n} dyads from {name_files(paths, data_dir)}"]
    f1s: list[float] = []
    support = Counter(gold)
    for label in sorted(support):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        precision, recall, f1 = prf(tp, fp, support[label] - tp)
        f1s.append(f1)
        lines.append(f"  {label:<10} n={support[label]:<4} P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    macro_f1 = sum(f1s) / len(f1s) if f1s else 0.0
    quad_accuracy = sum(str(p) == g for g, p in quads) / n if n else 0.0
    lines.append(f"accuracy {accuracy:.3f}  macro F1 {macro_f1:.3f}  quad accuracy {quad_accuracy:.3f}")
    lines.append(f"{1000 * seconds / max(n, 1):.2f} ms per sentence (parse + classify)")
    metrics: dict[str, float | int] = {
        "n": n,
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro_f1, 4),
        "quad_accuracy": round(quad_accuracy, 4),
        "unlabelled": sum(p is None for p in predicted),
    }
    return EvalResult(metrics=metrics, lines=tuple(lines))
