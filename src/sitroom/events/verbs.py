"""The PLOVER trigger lexicon: which words name which kind of event.

The lexicon is a hand-written TSV shipped in ``sitroom/data/plover_lexicon.tsv`` (its header
documents the columns); :func:`sitroom.rules.load_rules` reads it, with the user's files of the
same header, through :func:`parse_lexicon`. The classifiers in :mod:`sitroom.events.plover`
only look words up in it. The reporting verbs it looks through (``say``) come from
``reporting_verbs.tsv``, the one list of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.models import PLOVER_TYPES

if TYPE_CHECKING:
    from sitroom.rules import Row

KINDS = (
    "verb",
    "noun",
    "adj",
    "light",
    "control",
    "undo",
    "mode",
    "context",
    "frame",
    "armed",
    "instrument",
    "dismiss",
    "reaction",
    "undergo",
    "bare",
    "casualty",
    "attempt",
    "act_noun",
    "assembly",
    "transitive",
    "campaign",
)
# Frames that are no conflict (value): sport, game, disease, animal, accident, disaster.
FRAMES = ("sport", "game", "disease", "animal", "accident", "disaster")


@dataclass(frozen=True)
class Entry:
    """One reading of a word: the PLOVER type it names, its mode, and how sure that is."""

    key: str
    event_type: str | None
    mode: str | None
    weight: float


@dataclass(frozen=True)
class Lexicon:
    """Lookup tables by kind; every key is a lowercase lemma or a "lemma word" phrase."""

    verbs: dict[str, Entry]
    nouns: dict[str, Entry]
    adjs: dict[str, Entry]
    light: dict[str, Entry]
    control: dict[str, Entry]
    undo: dict[str, Entry]  # value: the type of undoing cooperation (None: read the verb itself)
    say: frozenset[str]  # reporting verbs looked through (reporting_verbs.tsv, role transparent)
    modes: dict[str, tuple[str, str]]  # cue -> (event type, mode)
    contexts: dict[str, str]  # cue -> context
    # words (lemmas, or "lemma lemma" phrases) of a sentence about no conflict -> the frame:
    # there, force triggers ("killed", "attacked", "shot") are no event ...
    frames: dict[str, str]
    # ... unless the sentence names one of these arms or armed actors
    armed: frozenset[str]
    # a force trigger "with" one of these nouns takes its type ("targeted X with sanctions")
    instruments: dict[str, str]
    # verbs that with a person as object are no force ("fire us": dismiss)
    dismiss: frozenset[str]
    # verbs of reacting to an act ("mourned", "regrets"): their subject is not its actor
    reactions: frozenset[str]
    # verbs whose subject suffers the event ("died", "perished"): a victim, never its actor
    undergo: frozenset[str]
    # triggers that name a happening on their own ("an explosion", "were arrested"): an event
    # even when the text names no one who did it or suffered it
    bare: frozenset[str]
    # triggers that name harm done to people ("killed", "died", "wounded"): tied in one
    # sentence to another act of force, they are that act's toll, one happening with it
    casualty: frozenset[str] = frozenset()
    # words of trying ("sought to", "an attempt to"): with an infinitive, neither they nor the
    # act they govern is a happening, unless that act is force (an attempted attack is one)
    attempt: frozenset[str] = frozenset()
    # nouns of an act or an endeavour that name no doer ("efforts", "policy"): as the subject
    # of a statement, refusal or concession they tell a cause or an effect, no one's act
    act_nouns: frozenset[str] = frozenset()
    # verbs of coming together ("gathered", "assembled"): demonstrators doing so hold a
    # demonstration (PROTEST); anyone else's gathering is no event
    assembly: frozenset[str] = frozenset()
    # verbs that name their act only done to something ("police dispersed the crowd", "the
    # rally was dispersed"): said of their subject alone ("the demonstrators dispersed") no act
    transitive: frozenset[str] = frozenset()
    # nouns of a long happening ("war", "genocide", "insurgency"): the toll one is the subject
    # of ("the war has killed 40,000 people") is a running total, no act of the report's days
    campaigns: frozenset[str] = frozenset()


def _entry(row: Row) -> Entry:
    kind, key, value, mode, weight = row.cells
    if kind not in KINDS:
        raise row.error(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    required = kind in ("verb", "noun", "adj", "control", "instrument")
    if kind == "frame" and value not in FRAMES:
        raise row.error(f"{key!r} names frame {value!r}; use one of {', '.join(FRAMES)}")
    if (required or (kind in ("light", "undo") and value)) and value not in PLOVER_TYPES:
        raise row.error(f"{key!r} names {value!r}, not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    try:
        strength = float(weight or 1.0)
    except ValueError:
        raise row.error(f"{key!r} has weight {weight!r}, not a number") from None
    return Entry(key=key.lower(), event_type=value or None, mode=mode or None, weight=strength)


def parse_lexicon(rows: Sequence[Row], say: frozenset[str]) -> Lexicon:
    """Build the lexicon from its rows: in one file the strongest reading of a key wins when it
    is listed twice; a later file's reading (a user's) replaces the shipped one."""
    tables: dict[str, dict[str, Entry]] = defaultdict(dict)
    layers: dict[tuple[str, str], int] = {}
    for row in rows:
        entry = _entry(row)
        table = tables[row.cells[0]]
        known = table.get(entry.key)
        later = row.layer > layers.get((row.cells[0], entry.key), 0)
        if known is None or later or entry.weight > known.weight:
            table[entry.key] = entry
            layers[(row.cells[0], entry.key)] = row.layer
    return Lexicon(
        verbs=dict(tables["verb"]),
        nouns=dict(tables["noun"]),
        adjs=dict(tables["adj"]),
        light=dict(tables["light"]),
        control=dict(tables["control"]),
        undo=dict(tables["undo"]),
        say=say,
        modes={k: (e.event_type or "", e.mode or "") for k, e in tables["mode"].items()},
        contexts={k: e.event_type or "" for k, e in tables["context"].items()},
        frames={k: e.event_type or "" for k, e in tables["frame"].items()},
        armed=frozenset(tables["armed"]),
        instruments={k: e.event_type or "" for k, e in tables["instrument"].items()},
        dismiss=frozenset(tables["dismiss"]),
        reactions=frozenset(tables["reaction"]),
        undergo=frozenset(tables["undergo"]),
        bare=frozenset(tables["bare"]),
        casualty=frozenset(tables["casualty"]),
        attempt=frozenset(tables["attempt"]),
        act_nouns=frozenset(tables["act_noun"]),
        assembly=frozenset(tables["assembly"]),
        transitive=frozenset(tables["transitive"]),
        campaigns=frozenset(tables["campaign"]),
    )
