"""ACLED event type and sub-event type of a short report.

Three pieces of knowledge, each in a data file, work together:

1. weighted cue patterns (``sitroom/data/acled_rules.tsv``, hand-written after the ACLED
   Codebook's definitions) score every sub-event type; cues in the report's first sentence,
   which states the event, count more; a protest modifier ("tear gas") borrows the protest
   cues' score; a change of territory goes to whoever is named taking it;
2. a trained classifier (``acled_model.npz``, :mod:`sitroom.events.acled_model`) reads those
   scores beside the report's words and gives a probability to every label, including five
   categories outside ACLED (organised crime, disasters, diplomacy, claims of responsibility);
3. the PLOVER -> ACLED table (``acled_plover.tsv``) limits the choice to the sub-event types
   that the event's PLOVER type and mode allow, so the ACLED type agrees with the event.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from sitroom.errors import ConfigError
from sitroom.events.acled_model import AcledModel, Embedder, embedder, likeliest, shipped_model_path
from sitroom.events.acled_model import load as load_model
from sitroom.events.plover import EventType
from sitroom.models import PLOVER_TYPES

RULES_FILE = "acled_rules.tsv"
PLOVER_TABLE_FILE = "acled_plover.tsv"

SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
OUTSIDE_ACLED = ("Organized crime", "Natural disaster", "Man-made disaster", "Diplomacy", "Attribution")
# A change of territorial control: whose it is (the actor cues "@government", "@non-state")
# decides between the two Battles sub-types.
TERRITORY = "Territory"
ACTOR_CUES = {
    "@government": "Government regains territory",
    "@non-state": "Non-state actor overtakes territory",
}
PROTEST_MODIFIERS = (
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
)
# When the classifier gives the sub-types an event's PLOVER reading allows less than this
# probability in all, it does not recognise the event; the table's first (default) sub-type of
# the reading is taken instead of the likeliest of what is left.
MIN_ALLOWED_MASS = 0.25
# Every label the classifier knows, in the fixed order of its cue-score features.
LABELS: tuple[str, ...] = (*SUB_EVENT_TYPES, *OUTSIDE_ACLED)

# Calibrated on the events-acled-types dev split (weighted F1 moved < 1 point over 1.5-3).
FIRST_SENTENCE_FACTOR = 2.0
# A cue matched several times adds at most this many times its weight.
MAX_REPEATS = 2
# Share of the protest cues' score lent to a protest modifier that has cues of its own.
PROTEST_SHARE = 0.6
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


@dataclass(frozen=True)
class AcledType:
    """ACLED's reading of a report; ``category`` names a non-ACLED kind when no type applies."""

    event_type: str | None
    sub_event_type: str | None
    confidence: float = 0.0
    category: str | None = None
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    label: str
    pattern: re.Pattern[str]
    weight: float


def _table_rows(path: Path, header: tuple[str, str]) -> Iterator[tuple[int, str, str, str]]:
    """The rows of a three-column TSV table: (row number, columns), comments and header skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    for number, row in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if tuple(row[:2]) != header:
            first, second, third = [*row, "", "", ""][:3]
            yield number, first, second, third


def read_rules(path: Path) -> tuple[Rule, ...]:
    """Parse a cue table; an unknown label or a bad pattern is a configuration error."""
    rules = []
    for number, label, pattern, weight in _table_rows(path, ("label", "pattern")):
        if (
            label not in SUB_EVENT_TYPES
            and label not in OUTSIDE_ACLED
            and label not in (TERRITORY, *ACTOR_CUES)
        ):
            raise ConfigError(
                f"{path}: row {number} has unknown label {label!r}; use an ACLED sub-event type"
            )
        try:
            compiled = re.compile(rf"\b(?:{pattern})", re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(
                f"{path}: row {number} pattern {pattern!r} is not a regular expression: {exc}"
            ) from exc
        rules.append(Rule(label, compiled, float(weight or 1.0)))
    return tuple(rules)


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """The shipped cue table, read once per process."""
    return read_rules(_shipped(RULES_FILE))


def _shipped(name: str) -> Path:
    path = Path(str(resources.files("sitroom") / "data" / name))
    if not path.exists():
        raise ConfigError(f"{path} is missing: reinstall sitroom (the package ships its ACLED tables)")
    return path


def read_plover_table(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """Parse the PLOVER -> ACLED table: (type, mode or "*") -> the sub-event types allowed."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for number, plover_type, mode, allowed in _table_rows(path, ("plover_type", "mode")):
        if plover_type not in PLOVER_TYPES or not mode:
            raise ConfigError(
                f"{path}: row {number} needs a PLOVER type ({', '.join(PLOVER_TYPES)}) and a mode or *"
            )
        names = tuple(name.strip() for name in allowed.split(";") if name.strip())
        unknown = [name for name in names if name not in SUB_EVENT_TYPES]
        if unknown:
            raise ConfigError(
                f"{path}: row {number} has unknown ACLED sub-event type {unknown[0]!r}; "
                f"use one of {', '.join(SUB_EVENT_TYPES)}"
            )
        table[(plover_type, mode)] = names
    return table


@lru_cache(maxsize=1)
def load_plover_table() -> dict[tuple[str, str], tuple[str, ...]]:
    """The shipped PLOVER -> ACLED table, read once per process."""
    return read_plover_table(_shipped(PLOVER_TABLE_FILE))


def allowed_sub_types(plover: EventType) -> tuple[str, ...]:
    """The ACLED sub-event types an event of this PLOVER type and mode may take (none: no ACLED event)."""
    table = load_plover_table()
    if plover.event_type is None:
        return ()
    if plover.mode is not None and (plover.event_type, plover.mode) in table:
        return table[(plover.event_type, plover.mode)]
    return table.get((plover.event_type, "*"), ())


def _territory_holder(text: str, first: str, rules: tuple[Rule, ...]) -> str:
    """The sub-type of a territory change: the actor named first (the one who takes it) decides."""
    for part in (first, text):
        found = [
            (match.start(), ACTOR_CUES[r.label])
            for r in rules
            if r.label in ACTOR_CUES
            if (match := r.pattern.search(part))
        ]
        if found:
            return min(found)[1]
    return ACTOR_CUES["@government"]


def _score(text: str, rules: tuple[Rule, ...]) -> tuple[dict[str, float], dict[str, list[str]]]:
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    scores: dict[str, float] = defaultdict(float)
    cues: dict[str, list[str]] = defaultdict(list)
    for rule in rules:
        if rule.label in ACTOR_CUES:
            continue
        matches = [m.group(0) for m in rule.pattern.finditer(text)]
        if not matches:
            continue
        in_first = rule.pattern.search(first) is not None
        scores[rule.label] += rule.weight * (
            min(len(matches), MAX_REPEATS) + (FIRST_SENTENCE_FACTOR - 1) * in_first
        )
        cues[rule.label].append(matches[0])
    if TERRITORY in scores:
        holder = _territory_holder(text, first, rules)
        scores[holder] += scores.pop(TERRITORY)
        cues[holder] += cues.pop(TERRITORY)
    return scores, cues


def _lend_protest_score(scores: dict[str, float]) -> None:
    base = scores.get("Peaceful protest", 0.0)
    for modifier in PROTEST_MODIFIERS:
        if scores.get(modifier) and base:
            scores[modifier] += PROTEST_SHARE * base


def cue_scores(text: str) -> list[float]:
    """The cue table's score of every label of :data:`LABELS` (the classifier's cue features)."""
    return _cue_reading(text)[0]


def _cue_reading(text: str) -> tuple[list[float], dict[str, list[str]]]:
    """The cue scores of every label and the cue words each label matched."""
    scores, cues = _score(text, load_rules())
    _lend_protest_score(scores)
    return [scores.get(label, 0.0) for label in LABELS], cues


def embeddings_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether ``SITROOM_ACLED_EMBEDDINGS`` asks for the all-MiniLM-L6-v2 variant (the extra)."""
    value = (os.environ if env is None else env).get("SITROOM_ACLED_EMBEDDINGS", "")
    return value.strip().lower() in ("1", "true", "yes", "on")


@lru_cache(maxsize=2)
def shipped_classifier(embeddings: bool) -> tuple[AcledModel, Embedder | None]:
    """The packaged classifier (and, for the embeddings variant, its sentence encoder), loaded once."""
    model = load_model(shipped_model_path(embeddings))
    return model, (embedder() if embeddings else None)


def label_probabilities(text: str) -> dict[str, float]:
    """The trained classifier's probability of every label for a report (cached per text)."""
    return _classified(text)[0]


@lru_cache(maxsize=4096)
def _classified(text: str) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """Label probabilities and the cue words of each label, one reading of the cue table."""
    model, embed = shipped_classifier(embeddings_enabled())
    scores, cues = _cue_reading(text)
    embedded = embed([text]) if embed is not None else None
    row = model.probabilities([text], np.array([scores]), embedded)[0]
    probabilities = {label: float(p) for label, p in zip(model.labels, row, strict=True)}
    return probabilities, {label: tuple(words) for label, words in cues.items()}


def classify_acled(text: str, plover: EventType | None = None, doc: object | None = None) -> AcledType:
    """The ACLED event and sub-event type of a report (or its non-ACLED category), or none.

    Without ``plover`` the trained classifier's likeliest label wins, an ACLED sub-event type
    or one of the five categories outside ACLED. With a PLOVER reading of the event, the choice
    is limited to the sub-event types that reading allows (``acled_plover.tsv``): a type that
    maps to none (a statement, a sanction) gets no ACLED type. ``doc`` is accepted so callers
    can pass their parse, which the classifier does not need.
    """
    del doc
    probabilities, cues = _classified(text)
    if plover is None:
        likeliest_label = likeliest(
            tuple(probabilities), np.fromiter(probabilities.values(), float), bool(cues)
        )
        if likeliest_label is None:
            return AcledType(event_type=None, sub_event_type=None)
        label, confidence = likeliest_label, round(probabilities[likeliest_label], 3)
    else:
        candidates = allowed_sub_types(plover)
        if not candidates:
            return AcledType(event_type=None, sub_event_type=None)
        mass = sum(probabilities.get(name, 0.0) for name in candidates)
        label = (
            candidates[0]
            if mass < MIN_ALLOWED_MASS
            else max(candidates, key=lambda name: probabilities.get(name, 0.0))
        )
        confidence = round(probabilities.get(label, 0.0) / mass, 3) if mass else 0.0
    if label in OUTSIDE_ACLED:
        return AcledType(None, None, confidence=confidence, category=label, cues=cues.get(label, ()))
    return AcledType(SUB_EVENT_TYPES[label], label, confidence=confidence, cues=cues.get(label, ()))
