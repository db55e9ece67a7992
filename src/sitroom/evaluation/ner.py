"""``sitroom eval ner``: entity recognition on re3d (the ``ner-conflict`` layout).

``--data`` holds re3d's documents and entities files (JSON Lines; ``documents.json`` and
``entities.json`` in each source folder of the set, any name and place here; relations
files are not read), or is one documents file, whose entities are then read from its
folder; entities of documents not read are not scored. Gold entities are those with
confidence >= 0.5; a prediction counts on an exact span and type match. Two taggers are
scored on the same texts: sitroom's pipeline (the stock model with the actor lexicon's and
the gazetteer's EntityRuler patterns in front of ``ner``) and the stock model alone.

How our labels map to re3d's types (:data:`LABEL_TO_TYPE`):

=========  ================================================================
spaCy      re3d
=========  ================================================================
ORG        Organisation
GPE        Location
LOC        Location
FAC        Location
PERSON     Person
NORP       Organisation when the mention ends in a plural noun ("Syrians",
           "Kurds": re3d marks groups of people as organisations), otherwise
           Nationality ("Syrian")
others     not scored
=========  ================================================================

Span convention: re3d keeps a leading "the" inside organisation and location spans
("the regime", "the United States"; 215 of the 232 dev organisations that follow a "the"
include it). Our ruler patterns include it already; for spans the statistical ``ner``
found, :func:`re3d_span` adds it. The stock model is scored as it comes, and also with
this convention, so the lines show what the convention alone is worth.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import data_folder, find_data, json_records, name_files
from sitroom.read.gazetteer import load_gazetteer
from sitroom.read.lexicon import load_lexicon
from sitroom.read.nlp import build_nlp, load_model
from sitroom.rules import Rules, load_rules

MIN_CONFIDENCE = 0.5
HEADLINE_TYPES = ("Organisation", "Location", "Person")
SCORED_TYPES = (*HEADLINE_TYPES, "Nationality")
LABEL_TO_TYPE = {
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
    "PERSON": "Person",
}
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
RE3D_DOCUMENTS = json_records(
    "re3d documents (JSON Lines with _id and text)", ("_id", "text"), "ner-conflict"
)
# re3d's relations also have a documentId, begin, end and type: theirs join two entities.
RE3D_ENTITIES = json_records(
    "re3d entities (JSON Lines with documentId, begin, end, type)",
    ("documentId", "begin", "end", "type"),
    "ner-conflict",
    without=("sourceBegin", "targetBegin"),
)

Triple = tuple[int, int, str]


def evaluate(data_dir: Path, *, rules: Rules | None = None) -> EvalResult:
    """Score sitroom's tagger and the stock model on every document under ``data_dir``, with
    the actor and place words of ``rules`` (else the shipped ones)."""
    documents = find_data(data_dir, RE3D_DOCUMENTS)
    entities = find_data(data_folder(data_dir), RE3D_ENTITIES)
    texts, gold = read_re3d(documents, entities)
    rules = rules or load_rules()
    lexicon = load_lexicon(rules.actor_words)
    ours = build_nlp(
        [
            *lexicon.ruler_patterns(),
            *load_gazetteer(rules.gazetteer_names).ruler_patterns(rules.place_words.stop),
        ]
    )
    stock = load_model()
    ours_counts = _score(_predict(ours, texts, convention=True), gold)
    stock_counts = _score(_predict(stock, texts, convention=False), gold)
    stock_the_counts = _score(_predict(stock, texts, convention=True), gold)
    metrics: dict[str, float | int] = {"n": len(texts), "n_entities": sum(len(g) for g in gold.values())}
    metrics.update(_metrics(ours_counts, ""))
    metrics.update(_metrics(stock_counts, "stock_"))
    lines = [
        f"re3d: {len(texts)} documents, {metrics['n_entities']} gold entities (confidence >= {MIN_CONFIDENCE}) "
        f"from {name_files([*documents, *entities], data_dir)}",
        *_lines("sitroom", ours_counts),
        *_lines("stock spaCy", stock_counts),
        *_lines("stock spaCy + 'the' convention", stock_the_counts),
    ]
    return EvalResult(metrics=metrics, lines=tuple(lines))


def read_re3d(
    documents: Sequence[Path], entities: Sequence[Path]
) -> tuple[dict[str, str], dict[str, set[Triple]]]:
    """Document texts by id and gold (begin, end, type) triples by document id (of those texts)."""
    texts: dict[str, str] = {}
    gold: dict[str, set[Triple]] = {}
    for path in documents:
        for record in _json_lines(path):
            texts[record["_id"]] = record["text"]
            gold.setdefault(record["_id"], set())
    for path in entities:
        for record in _json_lines(path):
            if (
                record["documentId"] in gold
                and record["confidence"] >= MIN_CONFIDENCE
                and record["type"] in SCORED_TYPES
            ):
                gold[record["documentId"]].add((record["begin"], record["end"], record["type"]))
    return texts, gold


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def re3d_type(ent: Span) -> str | None:
    """The re3d type of one of our entities (see the module's table)."""
    if ent.label_ == "NORP":
        return "Organisation" if ent[-1].tag_ in _PLURAL_TAGS else "Nationality"
    return LABEL_TO_TYPE.get(ent.label_)


def re3d_span(ent: Span) -> tuple[int, int]:
    """Character offsets of ``ent`` with a directly preceding "the" included (re3d's convention)."""
    doc = ent.doc
    if ent.label_ != "PERSON" and ent.start > 0 and doc[ent.start - 1].lower_ == "the":
        return doc[ent.start - 1].idx, ent.end_char
    return ent.start_char, ent.end_char


def _predict(nlp: Language, texts: dict[str, str], convention: bool) -> dict[str, set[Triple]]:
    predicted: dict[str, set[Triple]] = {}
    docs: Iterable[Doc] = nlp.pipe(texts.values())
    for doc_id, doc in zip(texts, docs, strict=True):
        triples = set()
        for ent in doc.ents:
            kind = re3d_type(ent)
            if kind is None:
                continue
            start, end = re3d_span(ent) if convention else (ent.start_char, ent.end_char)
            triples.add((start, end, kind))
        predicted[doc_id] = triples
    return predicted


def _score(predicted: dict[str, set[Triple]], gold: dict[str, set[Triple]]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    for doc_id, gold_triples in gold.items():
        guesses = predicted.get(doc_id, set())
        for triple in guesses:
            counts["tp" if triple in gold_triples else "fp"][triple[2]] += 1
        for triple in gold_triples - guesses:
            counts["fn"][triple[2]] += 1
    return counts


def _metrics(counts: dict[str, Counter[str]], prefix: str) -> dict[str, float]:
    tp, fp, fn = (sum(counts[k][t] for t in HEADLINE_TYPES) for k in ("tp", "fp", "fn"))
    precision, recall, f1 = prf(tp, fp, fn)
    metrics = {
        f"{prefix}micro_precision": round(precision, 4),
        f"{prefix}micro_recall": round(recall, 4),
        f"{prefix}micro_f1": round(f1, 4),
    }
    for kind in SCORED_TYPES:
        metrics[f"{prefix}f1_{kind}"] = round(
            prf(counts["tp"][kind], counts["fp"][kind], counts["fn"][kind])[2], 4
        )
    return metrics


def _lines(name: str, counts: dict[str, Counter[str]]) -> list[str]:
    result = _metrics(counts, "")
    lines = [
        f"{name}: micro P {result['micro_precision']:.3f} R {result['micro_recall']:.3f} "
        f"F1 {result['micro_f1']:.3f} (Organisation, Location, Person)"
    ]
    for kind in SCORED_TYPES:
        tp, fp, fn = counts["tp"][kind], counts["fp"][kind], counts["fn"][kind]
        lines.append(f"  {kind:<13} F1 {result[f'f1_{kind}']:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    return lines
