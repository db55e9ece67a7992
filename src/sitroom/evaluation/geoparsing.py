"""``sitroom eval geoparsing``: toponym recognition and resolution on GeoWebNews (GWN.xml).

Which gold toponyms count: those GWN gives coordinates. In GWN's pragmatic taxonomy that is
every type in :data:`GOLD_TYPES`; the types without coordinates are never scored:

=====================  ===========  =============================================================
GWN type               counted      what it is (example)
=====================  ===========  =============================================================
Literal                yes          a place as a place ("fighting in Aleppo")
Literal_Modifier       yes          a place name modifying a noun ("Idlib province", "Syrian border")
Metonymic              yes          a place for its people or government ("China said")
Mixed                  yes          literal and metonymic at once
Non_Literal_Modifier   yes          "Russian officials", "U.S. envoy"
Coercion               yes          a building or body as a place ("the White House")
Embedded_Literal       yes          a place name inside a longer name, meant literally
Embedded_Non_Lit       yes          a place name inside an organisation's name ("Washington Post")
Demonym                no           a people ("Canadians"): no coordinates in GWN
Homonym, Language      no           a person or language named like a place: no coordinates
Non_Toponym            no           the whole organisation name ("Jamaica Cancer Society")
Literal_Expression,    no           common nouns ("the area", "authorities"): no coordinates
Non_Lit_Expression
=====================  ===========  =============================================================

A gold toponym of a counted type that nonetheless lacks coordinates (9 Coercion rows in dev)
is not gold. sitroom is scored with ``modifiers=True`` (adjectival and embedded references on),
since GWN counts them; the literal-only figures are printed as well.

Metrics (INTERFACES.md): ``recognition_f1`` on exact spans; ``acc_161km`` over recognised gold
toponyms (any overlapping predicted span), an unresolved prediction counting as a miss;
``median_km`` over the resolved ones. Toponyms whose offsets fall outside the text are skipped.
"""

from __future__ import annotations

import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitroom.evaluation import EvalResult, prf, require_path
from sitroom.models import Place
from sitroom.read.gazetteer import Gazetteer, distance_km, load_gazetteer
from sitroom.read.nlp import build_nlp, load_model
from sitroom.read.places import resolve_places

GOLD_TYPES: frozenset[str] = frozenset((
    "Literal", "Literal_Modifier", "Metonymic", "Mixed", "Non_Literal_Modifier", "Coercion",
    "Embedded_Literal", "Embedded_Non_Lit",
))
ACCURACY_KM = 161.0


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    lat: float
    lon: float
    kind: str


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def read_gwn(path: Path) -> list[GoldArticle]:
    """Articles of a GWN.xml file with their gold toponyms (counted types, with coordinates)."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for top in node.iter("toponym"):
            lat, lon = (top.findtext("latitude") or "").strip(), (top.findtext("longitude") or "").strip()
            kind = top.findtext("type") or ""
            start, end = int(top.findtext("start") or -1), int(top.findtext("end") or -1)
            if kind in GOLD_TYPES and lat and lon and 0 <= start < end <= len(text):
                gold.append(GoldToponym(start, end, float(lat), float(lon), kind))
        articles.append(GoldArticle(node.get("file", ""), text, tuple(gold)))
    return articles


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    n: int
    recognised: int
    acc_161km: float
    median_km: float


def score(articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Place]]) -> Score:
    """Recognition P/R/F1 on exact spans and resolution accuracy on overlapping spans."""
    tp = fp = fn = 0
    recognised = hits = 0
    errors: list[float] = []
    for article, places in zip(articles, predictions, strict=True):
        gold_spans = {(g.start, g.end) for g in article.toponyms}
        predicted = {(p.start, p.end): p for p in places}
        tp += len(gold_spans & set(predicted))
        fp += len(set(predicted) - gold_spans)
        fn += len(gold_spans - set(predicted))
        for gold in article.toponyms:
            overlapping = [p for p in places if p.start < gold.end and p.end > gold.start]
            if not overlapping:
                continue
            recognised += 1
            best = predicted.get((gold.start, gold.end)) or overlapping[0]
            if best.lat is None or best.lon is None:
                continue
            error = distance_km(gold.lat, gold.lon, best.lat, best.lon)
            errors.append(error)
            hits += error <= ACCURACY_KM
    p, r, f = prf(tp, fp, fn)
    n = sum(len(a.toponyms) for a in articles)
    return Score(p, r, f, n, recognised, hits / recognised if recognised else 0.0,
                 statistics.median(errors) if errors else 0.0)


def _most_populous(gazetteer: Gazetteer) -> Callable[[str], tuple[float, float] | None]:
    def resolve(name: str) -> tuple[float, float] | None:
        entries = gazetteer.lookup(name)
        if not entries:
            return None
        best = max(entries, key=lambda e: e.population)
        return best.lat, best.lon

    return resolve


def _baseline(articles: Sequence[GoldArticle], gazetteer: Gazetteer) -> Score:
    """Stock spaCy GPE/LOC/FAC spans, each resolved to its most populous gazetteer namesake."""
    nlp = load_model(disable=["lemmatizer"])
    resolve = _most_populous(gazetteer)
    predictions = []
    for doc in nlp.pipe(a.text for a in articles):
        places = []
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                point = resolve(ent.text)
                lat, lon = point if point else (None, None)
                places.append(Place(ent.text, ent.text, ent.start_char, ent.end_char, lat, lon))
        predictions.append(places)
    return score(articles, predictions)


def _line(name: str, s: Score) -> str:
    return (f"{name:<28} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
            f"acc@161km {s.acc_161km:.3f} ({s.recognised} recognised)  median {s.median_km:.1f} km")


def evaluate(data_dir: Path) -> EvalResult:
    """Score sitroom's toponym recognition and resolution on ``data_dir/GWN.xml``."""
    articles = read_gwn(require_path(data_dir / "GWN.xml", "geoparsing"))
    gazetteer = load_gazetteer()
    nlp = build_nlp(gazetteer.ruler_patterns(), disable=["lemmatizer"])
    docs = list(nlp.pipe(a.text for a in articles))
    started = time.perf_counter()
    full = [resolve_places(doc, gazetteer, modifiers=True) for doc in docs]
    elapsed = time.perf_counter() - started
    literal = [resolve_places(doc, gazetteer) for doc in docs]
    mentions = sum(len(p) for p in full)
    result, literal_only = score(articles, full), score(articles, literal)
    lines = (
        f"GeoWebNews: {len(articles)} articles, {result.n} gold toponyms with coordinates",
        _line("sitroom (modifiers on)", result),
        _line("sitroom (literal only)", literal_only),
        _line("stock spaCy + most populous", _baseline(articles, gazetteer)),
        f"resolution: {mentions} mentions, {1000 * elapsed / max(mentions, 1):.3f} ms per mention "
        "(after parsing)",
    )
    metrics: dict[str, float | int] = {
        "n": result.n,
        "recognition_f1": round(result.f1, 4),
        "acc_161km": round(result.acc_161km, 4),
        "median_km": round(result.median_km, 1),
        "recognition_precision": round(result.precision, 4),
        "recognition_recall": round(result.recall, 4),
    }
    return EvalResult(metrics=metrics, lines=lines)
