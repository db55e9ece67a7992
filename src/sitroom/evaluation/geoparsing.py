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
is not gold.

LGL (Local-Global Lexicon, local US and world news; held out) comes in the same ``<article>``
/ ``<text>`` / ``<toponym>`` layout without types: its coordinates sit in each toponym's
``<gaztag>`` (``<lat>``/``<lon>`` children or attributes), and every toponym with a gaztag
is gold. :func:`read_gold` reads either layout, so ``--data`` may hold ``GWN.xml``,
``lgl.xml`` or both, under any name: every XML file with ``<article>`` elements in the folder
and its subfolders (or the one file given) is scored, together, with a line per file.
sitroom is scored with ``modifiers=True`` (adjectival and embedded references on),
since GWN counts them; the literal-only figures are printed as well.

Metrics (docs/interfaces.md): ``recognition_f1`` on exact spans; ``acc_161km`` over recognised gold
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

from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import find_data, name_files, xml_element
from sitroom.models import Place
from sitroom.read.gazetteer import Gazetteer, distance_km, load_gazetteer
from sitroom.read.nlp import build_nlp, load_model
from sitroom.read.places import resolve_places
from sitroom.rules import Rules, load_rules

GOLD_TYPES: frozenset[str] = frozenset(
    (
        "Literal",
        "Literal_Modifier",
        "Metonymic",
        "Mixed",
        "Non_Literal_Modifier",
        "Coercion",
        "Embedded_Literal",
        "Embedded_Non_Lit",
    )
)
ACCURACY_KM = 161.0
GEO_XML = xml_element(
    "GWN.xml or lgl.xml (GeoWebNews/LGL XML of <article> elements)", "article", (".xml",), "geoparsing"
)


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


def _field(node: ET.Element, *names: str) -> str:
    """The first of ``names`` found as a child element's text or as an attribute, stripped."""
    for name in names:
        value = node.findtext(name)
        if value is None:
            value = node.get(name)
        if value is not None and value.strip():
            return value.strip()
    return ""


def _gold_toponym(top: ET.Element, text: str) -> GoldToponym | None:
    start, end = _field(top, "start"), _field(top, "end")
    gaztag = top.find("gaztag")
    if gaztag is not None:  # LGL: every toponym with a gazetteer tag counts
        kind, lat, lon = "Literal", _field(gaztag, "lat", "latitude"), _field(gaztag, "lon", "longitude")
    else:  # GWN: counted types only
        kind, lat, lon = _field(top, "type"), _field(top, "latitude", "lat"), _field(top, "longitude", "lon")
        if kind not in GOLD_TYPES:
            return None
    try:
        first, last, point = int(start), int(end), (float(lat), float(lon))
    except ValueError:
        return None
    if not 0 <= first < last <= len(text):
        return None
    return GoldToponym(first, last, point[0], point[1], kind)


def read_gold(path: Path) -> list[GoldArticle]:
    """Articles of a GWN or LGL XML file with their gold toponyms (those with coordinates)."""
    articles = []
    for number, node in enumerate(ET.parse(path).getroot().iter("article")):
        text = node.findtext("text") or ""
        gold = [g for top in node.iter("toponym") if (g := _gold_toponym(top, text)) is not None]
        name = node.get("file") or node.get("docid") or f"{path.stem}:{number}"
        articles.append(GoldArticle(name, text, tuple(gold)))
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
    return Score(
        p,
        r,
        f,
        n,
        recognised,
        hits / recognised if recognised else 0.0,
        statistics.median(errors) if errors else 0.0,
    )


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
    return (
        f"{name:<28} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"acc@161km {s.acc_161km:.3f} ({s.recognised} recognised)  median {s.median_km:.1f} km"
    )


def evaluate(data_dir: Path, *, rules: Rules | None = None) -> EvalResult:
    """Score sitroom's toponym recognition and resolution on every GWN/LGL file at ``data_dir``,
    with the place words of ``rules`` (else the shipped ones)."""
    files = find_data(data_dir, GEO_XML)
    corpora = [(path.name, read_gold(path)) for path in files]
    articles = [a for _, corpus in corpora for a in corpus]
    rules = rules or load_rules()
    words = rules.place_words
    gazetteer = load_gazetteer(rules.gazetteer_names)
    nlp = build_nlp(gazetteer.ruler_patterns(words.stop), disable=["lemmatizer"])
    docs = list(nlp.pipe(a.text for a in articles))
    started = time.perf_counter()
    full = [resolve_places(doc, gazetteer, words, modifiers=True) for doc in docs]
    elapsed = time.perf_counter() - started
    literal = [resolve_places(doc, gazetteer, words) for doc in docs]
    mentions = sum(len(p) for p in full)
    result, literal_only = score(articles, full), score(articles, literal)
    per_file, first = [], 0
    for name, corpus in corpora:
        if len(corpora) > 1:
            per_file.append(_line(f"  {name}", score(corpus, full[first : first + len(corpus)])))
        first += len(corpus)
    lines = (
        f"{name_files(files, data_dir)}: {len(articles)} articles, {result.n} gold toponyms with coordinates",
        _line("sitroom (modifiers on)", result),
        *per_file,
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
