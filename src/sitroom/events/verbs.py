"""The PLOVER trigger lexicon: which words name which kind of event.

The lexicon is a hand-written TSV shipped in ``sitroom/data/plover_lexicon.tsv`` (its header
documents the columns). :func:`load_lexicon` reads it once per process; the classifiers in
:mod:`sitroom.events.plover` and :mod:`sitroom.events.acled` only look words up in it.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sitroom.errors import ConfigError
from sitroom.models import PLOVER_TYPES

LEXICON_FILE = "plover_lexicon.tsv"
KINDS = ("verb", "noun", "adj", "light", "control", "undo", "say", "mode", "context")


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
    say: frozenset[str]
    modes: dict[str, tuple[str, str]]  # cue -> (event type, mode)
    contexts: dict[str, str]  # cue -> context


def _read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:] if rows and rows[0][:2] == ["kind", "key"] else rows


def _entry(row: list[str], path: Path, number: int) -> Entry:
    padded = [*row, "", "", "", ""][:5]
    kind, key, value, mode, weight = (cell.strip() for cell in padded)
    if kind not in KINDS:
        raise ConfigError(f"{path}: row {number} has unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    required = kind in ("verb", "noun", "adj", "control")
    if (required or (kind in ("light", "undo") and value)) and value not in PLOVER_TYPES:
        raise ConfigError(f"{path}: row {number} ({key!r}) names {value!r}, not a PLOVER type")
    return Entry(key=key.lower(), event_type=value or None, mode=mode or None, weight=float(weight or 1.0))


def read_lexicon(path: Path) -> Lexicon:
    """Parse a lexicon TSV; the strongest reading of a key wins when it is listed twice."""
    tables: dict[str, dict[str, Entry]] = defaultdict(dict)
    for number, row in enumerate(_read_rows(path), start=1):
        entry = _entry(row, path, number)
        table = tables[row[0].strip()]
        known = table.get(entry.key)
        if known is None or entry.weight > known.weight:
            table[entry.key] = entry
    return Lexicon(
        verbs=dict(tables["verb"]),
        nouns=dict(tables["noun"]),
        adjs=dict(tables["adj"]),
        light=dict(tables["light"]),
        control=dict(tables["control"]),
        undo=dict(tables["undo"]),
        say=frozenset(tables["say"]),
        modes={k: (e.event_type or "", e.mode or "") for k, e in tables["mode"].items()},
        contexts={k: e.event_type or "" for k, e in tables["context"].items()},
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    path = Path(str(resources.files("sitroom") / "data" / LEXICON_FILE))
    if not path.exists():
        raise ConfigError(f"{path} is missing: reinstall sitroom (the package ships its lexicon)")
    return read_lexicon(path)
