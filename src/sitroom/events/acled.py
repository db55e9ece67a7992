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

import os
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from sitroom.events.acled_model import AcledModel, Embedder, embedder, likeliest, shipped_model_path
from sitroom.events.acled_model import load as load_model
from sitroom.events.plover import EventType
from sitroom.models import PLOVER_TYPES

if TYPE_CHECKING:
    from sitroom.rules import Row, Rules

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


def parse_rules(rows: Sequence[Row]) -> tuple[Rule, ...]:
    """Build the cue table from its rows; an unknown label or a bad pattern is a configuration
    error. A user's row with the label and pattern of an earlier row sets its weight."""
    rules: dict[int, Rule] = {}
    first: dict[tuple[str, str], int] = {}  # where a label and pattern were first listed
    for index, row in enumerate(rows):
        label, pattern, weight = row.cells
        if label not in LABELS and label not in (TERRITORY, *ACTOR_CUES):
            raise row.error(
                f"unknown label {label!r}; use an ACLED sub-event type or one of "
                f"{', '.join((*OUTSIDE_ACLED, TERRITORY, *ACTOR_CUES))}"
            )
        try:
            compiled = re.compile(rf"\b(?:{pattern})", re.IGNORECASE)
            strength = float(weight or 1.0)
        except (re.error, ValueError) as exc:
            raise row.error(f"pattern {pattern!r} or weight {weight!r} is not usable: {exc}") from exc
        at = first.setdefault((label, pattern), index)
        rules[at if row.layer else index] = Rule(label, compiled, strength)
    return tuple(rules.values())


def parse_plover_table(rows: Sequence[Row]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Build the PLOVER -> ACLED table from its rows: (type, mode or "*") -> the sub-event
    types allowed; a later row for the same type and mode replaces an earlier one."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for row in rows:
        plover_type, mode, allowed = row.cells
        if plover_type not in PLOVER_TYPES or not mode:
            raise row.error(f"needs a PLOVER type ({', '.join(PLOVER_TYPES)}) and a mode or *")
        names = tuple(name.strip() for name in allowed.split(";") if name.strip())
        unknown = [name for name in names if name not in SUB_EVENT_TYPES]
        if unknown:
            raise row.error(
                f"unknown ACLED sub-event type {unknown[0]!r}; use one of {', '.join(SUB_EVENT_TYPES)}"
            )
        table[(plover_type, mode)] = names
    return table


def allowed_sub_types(plover: EventType, table: Mapping[tuple[str, str], tuple[str, ...]]) -> tuple[str, ...]:
    """The ACLED sub-event types an event of this PLOVER type and mode may take (none: no ACLED
    event), by the PLOVER -> ACLED ``table`` (:attr:`sitroom.rules.Rules.acled_plover`)."""
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


def cue_scores(text: str, rules: tuple[Rule, ...]) -> list[float]:
    """The cue table's score of every label of :data:`LABELS` (the classifier's cue features)."""
    return _cue_reading(text, rules)[0]


def _cue_reading(text: str, rules: tuple[Rule, ...]) -> tuple[list[float], dict[str, list[str]]]:
    """The cue scores of every label and the cue words each label matched."""
    scores, cues = _score(text, rules)
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


def label_probabilities(text: str, rules: Rules) -> dict[str, float]:
    """The trained classifier's probability of every label for a report (cached per text)."""
    return _classified(text, rules)[0]


# the answers for recent texts (a report is classified once per event it holds), per set of rules
@lru_cache(maxsize=4096)
def _classified(text: str, rules: Rules) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """Label probabilities and the cue words of each label, one reading of the cue table."""
    model, embed = shipped_classifier(embeddings_enabled())
    scores, cues = _cue_reading(text, rules.acled_rules)
    embedded = embed([text]) if embed is not None else None
    row = model.probabilities([text], np.array([scores]), embedded)[0]
    probabilities = {label: float(p) for label, p in zip(model.labels, row, strict=True)}
    return probabilities, {label: tuple(words) for label, words in cues.items()}


def classify_acled(
    text: str, rules: Rules, plover: EventType | None = None, doc: object | None = None
) -> AcledType:
    """The ACLED event and sub-event type of a report (or its non-ACLED category), or none.

    Without ``plover`` the trained classifier's likeliest label wins, an ACLED sub-event type
    or one of the five categories outside ACLED. With a PLOVER reading of the event, the choice
    is limited to the sub-event types that reading allows (``acled_plover.tsv``): a type that
    maps to none (a statement, a sanction) gets no ACLED type. ``doc`` is accepted so callers
    can pass their parse, which the classifier does not need.
    """
    del doc
    probabilities, cues = _classified(text, rules)
    if plover is None:
        likeliest_label = likeliest(
            tuple(probabilities), np.fromiter(probabilities.values(), float), bool(cues)
        )
        if likeliest_label is None:
            return AcledType(event_type=None, sub_event_type=None)
        label, confidence = likeliest_label, round(probabilities[likeliest_label], 3)
    else:
        candidates = allowed_sub_types(plover, rules.acled_plover)
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
