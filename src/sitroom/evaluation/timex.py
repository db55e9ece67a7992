"""``sitroom eval timex``: time expressions scored on TimeML (TempEval-3 TBAQ-cleaned layout).

For every TimeML file at ``--data`` (a folder, searched with its subfolders, or one file;
``.tml`` or ``.xml`` with a ``<TimeML>`` root, any name): the tags are stripped from
``<TEXT>``, the ``<DCT>`` value is the anchor, :func:`sitroom.read.dates.find_dates` runs on
the plain text (rules only, unless a spaCy pipeline is passed) and its mentions are aligned
with the gold ``TIMEX3`` elements.

Metrics (docs/interfaces.md: ``n``, ``span_f1``, ``value_accuracy``):

- ``n``: gold TIMEX3 expressions (all types);
- ``span_f1`` (with ``span_precision``/``span_recall``): relaxed matching, any overlap;
  ``strict_f1`` (with ``strict_precision``/``strict_recall``): identical character spans;
- ``value_accuracy``: over gold TIMEX3 of type DATE that a prediction overlaps (``n_value``
  of them), the share whose predicted TimeML value equals the gold one at the gold value's
  granularity (a predicted day is right for gold "1998-08" when it falls in August 1998;
  a predicted month is wrong for a gold day); "X" placeholders in gold values
  ("1998-XX-XX") make the value as coarse as its known part;
- ``value_accuracy_all``: the same count over all gold DATE expressions (recall of values);
- ``type_accuracy``: over relaxed matches, the share whose kind maps to the gold type.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sitroom.errors import EvalError
from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import find_data, name_files, xml_element
from sitroom.models import DateMention
from sitroom.read.dates import find_dates
from sitroom.rules import Rules, load_rules

if TYPE_CHECKING:
    from spacy.language import Language

TIMEML = xml_element(".tml files of TimeML (a <TimeML> root; .xml too)", "TimeML", (".tml", ".xml"), "timex")
_TYPES = {"date": "DATE", "time": "TIME", "duration": "DURATION", "set": "SET"}
_SEASON_OF_MONTH = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU",
                    9: "FA", 10: "FA", 11: "FA"}  # fmt: skip


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    text: str
    anchor: date
    timexes: tuple[GoldTimex, ...]


def read_timeml(path: Path) -> TimeMLDocument:
    """The plain text of ``<TEXT>``, the DCT date and the gold TIMEX3 spans of one ``.tml`` file."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalError(f"{path}: not well-formed TimeML ({exc}); check the file is unchanged") from exc
    dct = root.find("DCT/TIMEX3")
    body = root.find("TEXT")
    if dct is None or body is None:
        raise EvalError(f"{path}: no <DCT><TIMEX3> or <TEXT>; expected TimeML 1.2 as in ../shared/data/timex")
    pieces: list[str] = []
    timexes: list[GoldTimex] = []
    offset = 0

    def walk(element: ET.Element) -> None:
        nonlocal offset
        start = offset
        if element.text:
            pieces.append(element.text)
            offset += len(element.text)
        for child in element:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
                offset += len(child.tail)
        if element.tag == "TIMEX3":
            timexes.append(GoldTimex(start, offset, element.get("type", ""), element.get("value", "")))

    walk(body)
    anchor = date.fromisoformat(dct.get("value", "")[:10])
    return TimeMLDocument(path.name, "".join(pieces), anchor, tuple(timexes))


def same_value(gold: str, predicted: str | None) -> bool:
    """Whether a predicted TimeML value equals the gold one at the gold value's granularity."""
    if not predicted:
        return False
    target = _granule(gold)
    if target is None:
        return gold.strip().upper() == predicted.strip().upper()
    return target in _granules(predicted)


def _granule(value: str) -> tuple[str, str] | None:
    """(unit, key) of a TimeML date value, X placeholders cut off; None for non-calendar values."""
    value = value.strip().upper()
    known = re.sub(r"(?:-(?:XX|WXX|QX|HX))+$", "", value)
    if re.fullmatch(r"\d{3}X", known):
        known = known[:3]
    patterns = (
        ("time", r"\d{4}-\d\d-\d\dT.+"), ("day", r"\d{4}-\d\d-\d\d"), ("weekend", r"\d{4}-W\d\d?-WE"),
        ("week", r"\d{4}-W\d\d?"), ("month", r"\d{4}-\d\d"), ("quarter", r"\d{4}-Q\d"), ("half", r"\d{4}-H\d"),
        ("season", r"\d{4}-(?:SP|SU|FA|WI)"), ("year", r"\d{4}"), ("decade", r"\d{3}"), ("century", r"\d{2}"),
    )  # fmt: skip
    for unit, pattern in patterns:
        if re.fullmatch(pattern, known):
            if unit in ("week", "weekend"):
                year, week = re.findall(r"\d+", known)[:2]
                known = f"{year}-W{int(week):02d}" + ("-WE" if unit == "weekend" else "")
            return unit, known
    return None


def _granules(value: str) -> set[tuple[str, str]]:
    """Every (unit, key) a predicted value determines: itself and each coarser unit it falls in."""
    own = _granule(value)
    if own is None:
        return set()
    unit, key = own
    if unit in ("time", "day"):
        return {own} | _day_granules(date.fromisoformat(key[:10]))
    if unit in ("week", "weekend"):
        year, week = (int(x) for x in re.findall(r"\d+", key)[:2])
        first = 6 if unit == "weekend" else 1
        shared = set.intersection(
            *(_day_granules(date.fromisocalendar(year, week, d)) for d in range(first, 8))
        )
        return {own, ("year", str(year))} | shared
    if unit == "month":
        return _coarser_than_month(key)
    if unit == "decade":
        return {own, ("century", key[:2])}
    return {own, ("year", key[:4]), ("decade", key[:3]), ("century", key[:2])}


def _day_granules(day: date) -> set[tuple[str, str]]:
    week = "{}-W{:02d}".format(*day.isocalendar()[:2])
    out = {("day", day.isoformat()), ("week", week)} | _coarser_than_month(day.isoformat()[:7])
    return out | {("weekend", f"{week}-WE")} if day.weekday() >= 5 else out


def _coarser_than_month(month_key: str) -> set[tuple[str, str]]:
    year, month = int(month_key[:4]), int(month_key[5:7])
    season_year = year - 1 if month <= 2 else year
    return {
        ("month", month_key), ("quarter", f"{year}-Q{(month - 1) // 3 + 1}"), ("half", f"{year}-H{(month - 1) // 6 + 1}"),
        ("season", f"{season_year}-{_SEASON_OF_MONTH[month]}"), ("year", str(year)), ("decade", str(year)[:3]),
        ("century", str(year)[:2]),
    }  # fmt: skip


def _best_overlap(gold: GoldTimex, predicted: tuple[DateMention, ...]) -> DateMention | None:
    best, best_len = None, 0
    for m in predicted:
        overlap = min(gold.end, m.end) - max(gold.start, m.start)
        if overlap > best_len:
            best, best_len = m, overlap
    return best


def evaluate(data_dir: Path, *, nlp: Language | None = None, rules: Rules | None = None) -> EvalResult:
    """Score recognition and normalisation on every ``.tml`` file under ``data_dir``.

    With ``nlp`` (a spaCy pipeline), its DATE/TIME entities are added to the rules'. ``rules``
    gives the tense words (the shipped ones by default).
    """
    past_verb = (rules or load_rules()).past_verb
    paths = find_data(data_dir, TIMEML)
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    words, seconds = 0, 0.0
    for path in paths:
        doc = read_timeml(path)
        started = time.process_time()
        parsed = nlp(doc.text) if nlp is not None else None
        predicted = find_dates(doc.text, doc.anchor, past_verb, doc=parsed)
        seconds += time.process_time() - started
        words += len(doc.text.split())
        gold_spans = {(g.start, g.end) for g in doc.timexes}
        counts["gold"] += len(doc.timexes)
        counts["predicted"] += len(predicted)
        counts["strict_tp"] += sum((m.start, m.end) in gold_spans for m in predicted)
        counts["relaxed_tp_pred"] += sum(
            any(m.start < g.end and g.start < m.end for g in doc.timexes) for m in predicted
        )
        for gold in doc.timexes:
            match = _best_overlap(gold, predicted)
            counts["dates"] += gold.type == "DATE"
            if match is None:
                continue
            counts["relaxed_tp_gold"] += 1
            counts["type_ok"] += _TYPES[match.kind] == gold.type
            if gold.type == "DATE":
                counts["value_n"] += 1
                if same_value(gold.value, match.timeml):
                    counts["value_ok"] += 1
                else:
                    errors[f"{gold.value} != {match.timeml} ({match.text!r})"] += 1
    strict = prf(
        counts["strict_tp"], counts["predicted"] - counts["strict_tp"], counts["gold"] - counts["strict_tp"]
    )
    precision = counts["relaxed_tp_pred"] / counts["predicted"] if counts["predicted"] else 0.0
    recall = counts["relaxed_tp_gold"] / counts["gold"] if counts["gold"] else 0.0
    relaxed_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    value_accuracy = counts["value_ok"] / counts["value_n"] if counts["value_n"] else 0.0
    metrics: dict[str, float | int] = {
        "n": counts["gold"],
        "span_f1": round(relaxed_f1, 4),
        "value_accuracy": round(value_accuracy, 4),
        "span_precision": round(precision, 4),
        "span_recall": round(recall, 4),
        "strict_precision": round(strict[0], 4),
        "strict_recall": round(strict[1], 4),
        "strict_f1": round(strict[2], 4),
        "n_value": counts["value_n"],
        "value_accuracy_all": round(counts["value_ok"] / counts["dates"], 4) if counts["dates"] else 0.0,
        "type_accuracy": round(counts["type_ok"] / counts["relaxed_tp_gold"], 4)
        if counts["relaxed_tp_gold"]
        else 0.0,
        "n_docs": len(paths),
    }
    lines = (
        f"{len(paths)} documents from {name_files(paths, data_dir)}, {counts['gold']} gold TIMEX3, {counts['predicted']} predicted",
        f"spans relaxed P/R/F1 {precision:.3f}/{recall:.3f}/{relaxed_f1:.3f}; strict {strict[0]:.3f}/{strict[1]:.3f}/{strict[2]:.3f}",
        f"DATE values right {counts['value_ok']}/{counts['value_n']} matched ({value_accuracy:.3f}), of {counts['dates']} gold DATE",
        f"speed: {1e6 * seconds / max(words, 1):.2f} CPU ms per 1000 words ({words} words)",
        *(f"  value error x{n}: {what}" for what, n in errors.most_common(10)),
    )
    return EvalResult(metrics=metrics, lines=lines)
