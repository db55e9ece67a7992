"""``sitroom eval events-e2e``: the whole path on news articles with gold events (WikiEvents).

Every document goes through the real path: written as a JSONL report (text only, no date, no
outlet), ingested into a temporary SQLite store (extract -> read -> events -> store), and its
stored event records are scored as ``../shared/data/events-e2e/README.md`` defines:

- a gold event is found when a system event of its class (ASSAULT, COERCE, PROTEST, THREATEN,
  and ``evacuation`` for events whose ``civilian_protection`` holds it) has an evidence sentence
  containing the gold trigger; a system event is correct when its evidence sentence contains a
  gold trigger of its class;
- an argument (``actor``, ``recipient``; ``place`` reported apart) matches when the spans
  overlap or the gold argument's last word is a word of the system argument's text or name;
  gold arguments count as found through the system events matched to their gold event;
- ``role_inversion``: the share of system ASSAULT events whose actor matches a gold victim or
  target of a gold ASSAULT event in the same sentence.

The same run scores a keyword baseline (``baseline_*`` metrics): every sentence holding one of
:data:`BASELINE_STEMS` is an event of that class, which is what the path must beat.

Offsets: the stored article text may differ from the document's in whitespace, so each evidence
sentence is located in the document's text and the argument offsets are shifted with it.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sitroom.evaluation import EvalResult
from sitroom.evaluation.datasets import find_data, json_records, name_files

E2E_DOCUMENTS = json_records(
    "events-e2e documents (JSON Lines with doc_id, text, events)", ("doc_id", "text", "events"), "events-e2e"
)
CLASSES = ("ASSAULT", "COERCE", "PROTEST", "THREATEN", "evacuation")
ROLES = ("actor", "recipient", "place")
# Beside ``place``, printed apart: the places the text names for an event's sentence, an
# article focus given to an event its sentence does not place (source "focus:...") not
# counted (the site its clause names still is), since gold places always lie in their event's
# sentence.
NAMED_PLACE = "place_named"
URL_PREFIX = "https://events-e2e.invalid/"
_WORD = re.compile(r"\w+")
# The reference the README's targets name: every sentence holding one of these word stems is an
# event of the stem's class (the first class listed wins), with no arguments.
BASELINE_STEMS: dict[str, tuple[str, ...]] = {
    "ASSAULT": (
        "kill",
        "attack",
        "bomb",
        "explo",
        "shoot",
        "shot",
        "wound",
        "injur",
        "dead",
        "died",
        "murder",
    ),
    "COERCE": ("arrest", "detain", "jail"),
    "PROTEST": ("protest", "demonstrat", "rall"),
    "THREATEN": ("threat",),
    "evacuation": ("evacuat",),
}
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")

Span = tuple[int, int]


@dataclass
class Counts:
    """True positives for precision and for recall apart (one system item may find several)."""

    correct: int = 0
    system: int = 0
    found: int = 0
    gold: int = 0

    def prf(self) -> tuple[float, float, float]:
        precision = self.correct / self.system if self.system else 0.0
        recall = self.found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass(frozen=True)
class SystemArgument:
    span: Span | None
    words: frozenset[str]
    site: Span | None = None  # a place's site: its words count as the place's own


@dataclass(frozen=True)
class SystemEvent:
    classes: tuple[str, ...]
    span: Span  # evidence sentence in the document's text
    arguments: dict[str, tuple[SystemArgument, ...]]


@dataclass
class Tally:
    events: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CLASSES})
    arguments: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in (*ROLES, NAMED_PLACE)})
    assault_events: int = 0
    inversions: int = 0
    evidence_chars: list[int] = field(default_factory=list)
    unplaced: int = 0


def read_documents(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """The documents of the JSON Lines files, in file order."""
    documents: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            documents.extend(json.loads(line) for line in handle if line.strip())
    return documents


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "")}


def _head(text: str) -> str:
    words = _WORD.findall(text)
    return words[-1].lower() if words else ""


def _locate(text: str, sentence: str, start: int) -> int | None:
    """Where the evidence sentence starts in the document's text (None: not found)."""
    if text[start : start + len(sentence)] == sentence:
        return start
    found = text.find(sentence)
    if found >= 0:
        return found
    pattern = r"\s+".join(re.escape(part) for part in sentence.split())
    match = re.search(pattern, text) if pattern else None
    return match.start() if match else None


def _argument(entity: dict[str, Any] | None, shift: int) -> SystemArgument | None:
    if not entity:
        return None
    start, end = entity.get("start"), entity.get("end")
    span = (start + shift, end + shift) if isinstance(start, int) and isinstance(end, int) else None
    return SystemArgument(span, frozenset(_words(entity.get("text")) | _words(entity.get("name"))))


def _place_argument(location: dict[str, Any] | None, shift: int) -> SystemArgument | None:
    """The system's ``location`` as an argument: its site ("a police station") is part of it."""
    argument = _argument(location, shift)
    site = (location or {}).get("site")
    if argument is None or not site:
        return argument
    return replace(
        argument,
        words=argument.words | _words(site["text"]),
        site=(site["start"] + shift, site["end"] + shift),
    )


def _named_place(
    location: dict[str, Any] | None, shift: int, place: tuple[SystemArgument, ...]
) -> tuple[SystemArgument, ...]:
    """The place the text names for an event: the whole place, unless its town is the article's
    focus (source "focus:..."); then only the site its clause names ("a knock at his door in X
    Road", the town from the dateline), if any."""
    if not ((location or {}).get("source") or "").startswith("focus:"):
        return place
    site = (location or {}).get("site")
    if not site:
        return ()
    span = (site["start"] + shift, site["end"] + shift)
    return (SystemArgument(span, frozenset(_words(site["text"])), span),)


def system_events(records: Iterable[dict[str, Any]], text: str, tally: Tally) -> list[SystemEvent]:
    """The scored events of one document's records (other types are not scored)."""
    events = []
    for record in records:
        classes = [record["event_type"]] if record["event_type"] in CLASSES else []
        if "evacuation" in (record.get("civilian_protection") or []):
            classes.append("evacuation")
        if not classes:
            continue
        evidence = record["evidence"]
        start = _locate(text, evidence["sentence"], evidence["start"])
        if start is None:
            tally.unplaced += 1
            continue
        shift = start - evidence["start"]
        arguments = {
            "actor": tuple(a for e in record["actor"] if (a := _argument(e, shift))),
            "recipient": tuple(a for e in record["recipient"] if (a := _argument(e, shift))),
            "place": tuple(a for a in [_place_argument(record.get("location"), shift)] if a),
        }
        arguments[NAMED_PLACE] = _named_place(record.get("location"), shift, arguments["place"])
        events.append(SystemEvent(tuple(classes), (start, start + len(evidence["sentence"])), arguments))
        tally.evidence_chars.append(len(evidence["sentence"]))
    return events


def _contains(span: Span, trigger: dict[str, Any]) -> bool:
    return span[0] <= trigger["start"] and trigger["end"] <= span[1]


def _matches(system: SystemArgument, gold: dict[str, Any]) -> bool:
    for span in (system.span, system.site):
        if span and span[0] < gold["end"] and gold["start"] < span[1]:
            return True
    return _head(gold["text"]) in system.words


def score_document(document: dict[str, Any], events: Sequence[SystemEvent], tally: Tally) -> None:
    """Add one document's event, argument and role-inversion counts to ``tally``."""
    gold = document["events"]
    matched: dict[int, list[tuple[SystemEvent, str]]] = {i: [] for i in range(len(gold))}
    for event in events:
        for cls in event.classes:
            counts = tally.events[cls]
            counts.system += 1
            hits = [
                i for i, g in enumerate(gold) if g["class"] == cls and _contains(event.span, g["trigger"])
            ]
            counts.correct += bool(hits)
            for i in hits:
                matched[i].append((event, cls))
            for role in ("actor", "recipient", "place", NAMED_PLACE):
                gold_role = "place" if role == NAMED_PLACE else role
                for argument in event.arguments.get(role, ()):
                    tally.arguments[role].system += 1
                    tally.arguments[role].correct += any(
                        _matches(argument, a)
                        for i in hits
                        for a in gold[i]["arguments"]
                        if a["role"] == gold_role
                    )
        if "ASSAULT" in event.classes:
            tally.assault_events += 1
            victims = [
                a
                for g in gold
                if g["class"] == "ASSAULT" and _contains(event.span, g["trigger"])
                for a in g["arguments"]
                if a["role"] == "recipient"
            ]
            tally.inversions += any(_matches(actor, v) for actor in event.arguments["actor"] for v in victims)
    for i, g in enumerate(gold):
        tally.events[g["class"]].gold += 1
        tally.events[g["class"]].found += bool(matched[i])
        for argument in g["arguments"]:
            for role in (
                (argument["role"], NAMED_PLACE) if argument["role"] == "place" else (argument["role"],)
            ):
                tally.arguments[role].gold += 1
                tally.arguments[role].found += any(
                    _matches(candidate, argument)
                    for event, _ in matched[i]
                    for candidate in event.arguments.get(role, ())
                )


def run_path(documents: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Event records of each document (by doc_id), through the real ingest path and a store."""
    from sitroom.config import load_settings
    from sitroom.pipeline import Sitroom
    from sitroom.store.filters import EventFilter

    with tempfile.TemporaryDirectory(prefix="sitroom-e2e-") as folder:
        reports = Path(folder) / "documents.jsonl"
        with reports.open("w", encoding="utf-8") as handle:
            for document in documents:
                handle.write(
                    json.dumps({"url": URL_PREFIX + document["doc_id"], "text": document["text"]}) + "\n"
                )
        app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{Path(folder) / 'e2e.db'}"}))
        try:
            app.ingest([str(reports)])
            by_doc: dict[str, list[dict[str, Any]]] = {d["doc_id"]: [] for d in documents}
            for record in app.store.iter_events(EventFilter(background="include")):
                url = record["evidence"].get("url") or ""
                if url.startswith(URL_PREFIX):
                    by_doc.setdefault(url[len(URL_PREFIX) :], []).append(record)
        finally:
            app.store.close()
    return by_doc


def baseline_events(text: str) -> list[SystemEvent]:
    """The keyword baseline's events of a document: one per sentence holding a class's stem."""
    events = []
    for match in _SENTENCE.finditer(text):
        lowered = match.group(0).lower()
        for cls, stems in BASELINE_STEMS.items():
            if any(re.search(rf"\b{stem}", lowered) for stem in stems):
                events.append(SystemEvent((cls,), match.span(), {role: () for role in ROLES}))
                break
    return events


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.correct += c.correct
        total.system += c.system
        total.found += c.found
        total.gold += c.gold
    return total


def evaluate(data_dir: Path) -> EvalResult:
    """Score the whole path on every document of the events-e2e files under ``data_dir``."""
    paths = find_data(data_dir, E2E_DOCUMENTS)
    documents = read_documents(paths)
    started = time.perf_counter()
    records = run_path(documents)
    seconds = time.perf_counter() - started
    tally = Tally()
    for document in documents:
        score_document(
            document, system_events(records.get(document["doc_id"], []), document["text"], tally), tally
        )
    baseline = Tally()
    for document in documents:
        score_document(document, baseline_events(document["text"]), baseline)
    events = _sum(tally.events.values())
    arguments = _sum(tally.arguments[r] for r in ("actor", "recipient"))
    p, r, f = events.prf()
    metrics: dict[str, float | int] = {
        "n": len(documents),
        "event_p": round(p, 4),
        "event_r": round(r, 4),
        "event_f1": round(f, 4),
    }
    gold_classes = Counter(g["class"] for d in documents for g in d["events"])
    lines = [
        f"events-e2e: {len(documents)} documents, {sum(gold_classes.values())} gold events, from "
        f"{name_files(paths, data_dir)}",
        f"events: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({events.system} system events scored)",
    ]
    for cls in CLASSES:
        cp, cr, cf = tally.events[cls].prf()
        metrics[f"event_f1_{cls}"] = round(cf, 4)
        metrics[f"baseline_f1_{cls}"] = round(baseline.events[cls].prf()[2], 4)
        lines.append(
            f"  {cls:<11} gold {tally.events[cls].gold:<4} system {tally.events[cls].system:<4} "
            f"P {cp:.3f}  R {cr:.3f}  F1 {cf:.3f}  (keyword baseline F1 {baseline.events[cls].prf()[2]:.3f})"
        )
    baseline_f1 = _sum(baseline.events.values()).prf()[2]
    metrics["baseline_event_f1"] = round(baseline_f1, 4)
    lines.append(
        f"keyword baseline (a sentence with kill/attack/bomb/arrest/protest... is an event): F1 {baseline_f1:.3f}"
    )
    for role in ROLES:
        rp, rr, rf = tally.arguments[role].prf()
        metrics[f"{role}_f1"] = round(rf, 4)
        lines.append(f"{role:<9} P {rp:.3f}  R {rr:.3f}  F1 {rf:.3f}  (gold {tally.arguments[role].gold})")
    np_, nr, nf = tally.arguments[NAMED_PLACE].prf()
    metrics[f"{NAMED_PLACE}_f1"] = round(nf, 4)
    lines.append(
        f"  place named in its sentence (article focus not scored): P {np_:.3f}  R {nr:.3f}  F1 {nf:.3f}"
    )
    ap, ar, af = arguments.prf()
    metrics["arg_f1"] = round(af, 4)
    inversion = tally.inversions / tally.assault_events if tally.assault_events else 0.0
    metrics["role_inversion"] = round(inversion, 4)
    mean_chars = sum(tally.evidence_chars) / len(tally.evidence_chars) if tally.evidence_chars else 0.0
    metrics["mean_evidence_chars"] = round(mean_chars, 1)
    lines += [
        f"arguments (actor + recipient): P {ap:.3f}  R {ar:.3f}  F1 {af:.3f}",
        f"role inversion: {tally.inversions} of {tally.assault_events} ASSAULT events name a gold victim or target"
        f" as the actor ({inversion:.3f})",
        f"mean evidence length: {mean_chars:.0f} characters; events whose evidence was not found in the text:"
        f" {tally.unplaced}; path time {seconds:.1f} s",
    ]
    return EvalResult(metrics=metrics, lines=tuple(lines))
