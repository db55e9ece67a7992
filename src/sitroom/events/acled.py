"""ACLED event type and sub-event type of a short report.

Weighted cue patterns (``sitroom/data/acled_rules.tsv``, hand-written after the ACLED Codebook's
definitions) vote for sub-event types; cues in the report's first sentence, which states the
event, count more. Two families need more than votes:

1. protests: "tear gas" or "protesters were killed" only mean a protest sub-type when there is
   a protest, so the protest cues' score is shared with the three protest modifiers;
2. categories outside ACLED (organised crime, disasters, diplomacy, claims of responsibility)
   win only when they beat every ACLED reading, and then the report gets no ACLED type.

A PLOVER reading of the report's main event, when the caller has one, adds a small vote.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sitroom.errors import ConfigError
from sitroom.events.plover import EventType

RULES_FILE = "acled_rules.tsv"

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

# Calibrated on the events-acled-types dev split (weighted F1 moved < 1 point over 1.5-3).
FIRST_SENTENCE_FACTOR = 2.0
# A cue matched several times adds at most this many times its weight.
MAX_REPEATS = 2
# Share of the protest cues' score lent to a protest modifier that has cues of its own.
PROTEST_SHARE = 0.6
# Below this score nothing is typed.
MIN_SCORE = 1.0
# Vote of a PLOVER reading of the main event for the sub-event types it implies.
PLOVER_VOTE = 1.0
PLOVER_HINTS: dict[tuple[str, str | None], str] = {
    ("PROTEST", None): "Peaceful protest",
    ("PROTEST", "riot"): "Violent demonstration",
    ("COERCE", "arrest"): "Arrests",
    ("ASSAULT", "aerial"): "Air/drone strike",
    ("ASSAULT", "drone"): "Air/drone strike",
    ("ASSAULT", "heavy-weapons"): "Shelling/artillery/missile attack",
    ("ASSAULT", "abduct"): "Abduction/forced disappearance",
    ("ASSAULT", "sexual"): "Sexual violence",
    ("ASSAULT", "chemical"): "Chemical weapon",
    ("ASSAULT", None): "Armed clash",
    ("RETREAT", "ceasefire"): "Agreement",
    ("SUPPORT", None): "Agreement",
    ("MOBILIZE", None): "Change to group/activity",
}
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


def read_rules(path: Path) -> tuple[Rule, ...]:
    """Parse a cue table; an unknown label or a bad pattern is a configuration error."""
    rules = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    for number, row in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if row[:2] == ["label", "pattern"]:
            continue
        label, pattern, weight = [*row, "", "", ""][:3]
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
    path = Path(str(resources.files("sitroom") / "data" / RULES_FILE))
    if not path.exists():
        raise ConfigError(f"{path} is missing: reinstall sitroom (the package ships its ACLED cues)")
    return read_rules(path)


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


def classify_acled(text: str, plover: EventType | None = None, doc: object | None = None) -> AcledType:
    """The ACLED event and sub-event type of a report (or its non-ACLED category), or none.

    ``plover`` is an optional PLOVER reading of the report's main event; ``doc`` is accepted
    so callers can pass their parse, which the cue rules do not need.
    """
    del doc
    scores, cues = _score(text, load_rules())
    _lend_protest_score(scores)
    if plover is not None and plover.event_type:
        hinted = PLOVER_HINTS.get((plover.event_type, plover.mode)) or PLOVER_HINTS.get(
            (plover.event_type, None)
        )
        if hinted:
            scores[hinted] += PLOVER_VOTE
    if not scores:
        return AcledType(event_type=None, sub_event_type=None)
    label, best = max(scores.items(), key=lambda item: item[1])
    if best < MIN_SCORE:
        return AcledType(event_type=None, sub_event_type=None)
    confidence = round(best / (sum(scores.values()) or 1.0), 3)
    if label in OUTSIDE_ACLED:
        return AcledType(None, None, confidence=confidence, category=label, cues=tuple(cues[label]))
    return AcledType(SUB_EVENT_TYPES[label], label, confidence=confidence, cues=tuple(cues[label]))
