"""The rule tables: the word lists, patterns and weights that reading and event extraction use.

Every table is a documented TSV file in ``sitroom/data`` (its header comment names the
columns; ``docs/rules.md`` shows how to extend one). The ``rules`` setting adds the user's
files, read after the shipped ones: a file belongs to the table whose header row it starts
with, and its rows add to that table or replace the shipped rows with the same key.

:func:`load_rules` reads them all into one :class:`Rules`; the composition root builds it once
(:func:`sitroom.read.reader.load_resources`) and hands it to the stages that need it. Nothing
here is cached per process: two settings give two independent sets of rules.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sitroom.errors import ConfigError
from sitroom.events.acled import Rule as AcledRule
from sitroom.events.acled import parse_plover_table, parse_rules
from sitroom.events.cues import Cues, parse_cues
from sitroom.events.plover import MIN_WEIGHT
from sitroom.events.size import SizeWords, parse_size_words
from sitroom.events.verbs import Lexicon, parse_lexicon
from sitroom.read.gazetteer import GazetteerNames, parse_gazetteer_names
from sitroom.read.ner import ActorWords, parse_actor_words
from sitroom.read.places import PlaceWords, parse_place_words
from sitroom.read.timex_rules import past_verb_pattern


@dataclass(frozen=True)
class Row:
    """One row of a rule file, with where it was read for error messages."""

    path: str
    line: int  # line number in the file, counting comments
    cells: tuple[str, ...]  # stripped, padded to the header's length
    layer: int  # 0: the shipped file; 1, 2 ...: the user's files, in the order given

    def error(self, message: str) -> ConfigError:
        """A configuration error that names this row's file and line."""
        return ConfigError(f"{self.path}: row {self.line}: {message}")


@dataclass(frozen=True)
class Table:
    """A rule table: its shipped file and the header row that identifies its files."""

    name: str
    file: str
    header: tuple[str, ...]


TRIGGERS = Table("triggers", "plover_lexicon.tsv", ("kind", "key", "value", "mode", "weight"))
ACLED_RULES = Table("acled_rules", "acled_rules.tsv", ("label", "pattern", "weight"))
ACLED_PLOVER = Table("acled_plover", "acled_plover.tsv", ("plover_type", "mode", "sub_event_types"))
TENSE_WORDS = Table("tense_words", "tense_words.tsv", ("word", "role"))
REPORTING_VERBS = Table("reporting_verbs", "reporting_verbs.tsv", ("verb", "roles"))
CUES = Table("cues", "cues.tsv", ("list", "word", "value"))
ACTOR_WORDS = Table("actor_words", "actor_words.tsv", ("list", "word", "sector", "inter"))
SPEAKER_KINDS = Table("speaker_kinds", "speaker_kinds.tsv", ("kind", "pattern"))
COUNTRY_WORDS = Table("country_words", "country_words.tsv", ("country", "adjectives", "names"))
SIZE_WORDS = Table("size_words", "size_words.tsv", ("list", "phrase", "value"))
PLACE_WORDS = Table("place_words", "place_words.tsv", ("list", "word"))
GAZETTEER_NAMES = Table("gazetteer_names", "gazetteer_names.tsv", ("list", "name", "place"))
TABLES: tuple[Table, ...] = (
    TRIGGERS,
    ACLED_RULES,
    ACLED_PLOVER,
    TENSE_WORDS,
    REPORTING_VERBS,
    CUES,
    ACTOR_WORDS,
    SPEAKER_KINDS,
    COUNTRY_WORDS,
    SIZE_WORDS,
    PLACE_WORDS,
    GAZETTEER_NAMES,
)


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"rule file {path}: cannot read it ({exc}); check the `rules` setting") from exc
    return [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]


def _header(path: Path) -> tuple[str, ...]:
    lines = _lines(path)
    if not lines:
        return ()
    return tuple(cell.strip() for cell in lines[0][1].split("\t"))


def read_rows(path: Path, table: Table, layer: int = 0) -> list[Row]:
    """The rows of a rule file of ``table``: blank lines and ``#`` comments skipped, the first
    row its header (the columns' names), a row with more cells than the header refused."""
    lines = _lines(path)
    width = len(table.header)
    if not lines or _header(path) != table.header:
        raise ConfigError(
            f"rule file {path}: the first row must be the header {' <TAB> '.join(table.header)} "
            f"(the {table.name} table)"
        )
    rows = []
    for number, cells in zip(
        (n for n, _ in lines[1:]),
        csv.reader((line for _, line in lines[1:]), delimiter="\t", quoting=csv.QUOTE_NONE),
        strict=True,
    ):
        if len(cells) > width:
            raise ConfigError(
                f"{path}: row {number}: {len(cells)} cells, the {table.name} table has "
                f"{width} columns ({', '.join(table.header)})"
            )
        padded = tuple(cell.strip() for cell in [*cells, *[""] * (width - len(cells))])
        rows.append(Row(str(path), number, padded, layer))
    return rows


def shipped_path(table: Table) -> Path:
    """The package's file of ``table``."""
    path = Path(str(resources.files("sitroom") / "data" / table.file))
    if not path.exists():
        raise ConfigError(f"{path} is missing: reinstall sitroom (the package ships its rule tables)")
    return path


def table_of(path: Path) -> Table:
    """The table a user's rule file belongs to, told by its header row."""
    header = _header(path)
    for table in TABLES:
        if header == table.header:
            return table
    expected = "; ".join(f"{t.name}: {' <TAB> '.join(t.header)}" for t in TABLES)
    raise ConfigError(
        f"rule file {path}: its first row {header!r} is no table's header; use one of {expected}"
    )


@dataclass(frozen=True, eq=False)
class Rules:
    """Every rule table, read once by the composition root (see the module docstring)."""

    triggers: Lexicon  # PLOVER trigger words
    acled_rules: tuple[AcledRule, ...]  # weighted ACLED sub-event cue patterns
    acled_plover: Mapping[tuple[str, str], tuple[str, ...]]  # (PLOVER type, mode) -> ACLED types
    past_verb: re.Pattern[str]  # a past-tense verb (the tense words' table compiled)
    cues: Cues  # reporting verbs, hedges and the other cues of attribution
    size_words: SizeWords  # number words and the words of dead, injured, displaced, arrested
    actor_words: ActorWords  # role heads, modifiers, titles and country words of actor phrases
    place_words: PlaceWords  # the geoparser's generic, facility and stop words
    gazetteer_names: GazetteerNames  # country aliases, state abbreviations, extra demonyms
    files: tuple[str, ...] = ()  # the user's files read after the shipped ones

    def parse_vocabulary(self) -> frozenset[str]:
        """The lemmas that make a sentence worth a dependency parse: every key of the trigger
        lexicon's tables (each word of a phrase) and every cue word. The verbs the event
        classifier only looks through are not among them: alone they make no event."""
        words: set[str] = set()
        lex = self.triggers
        tables = (lex.verbs, lex.nouns, lex.adjs, lex.light, lex.control, lex.undo)
        # a phrase too weak to name an event only shadows a reading of its head ("weather
        # warning"), whose own entry is in the vocabulary: its other words add nothing
        words.update(
            w
            for table in tables
            for key, entry in table.items()
            if " " not in key or entry.weight >= MIN_WEIGHT
            for w in key.split()
        )
        words.update(w for table in (lex.modes, lex.contexts) for key in table for w in key.split())
        words.update(self.cues.vocabulary())
        return frozenset(w.lower() for w in words)


def _rows_of(table: Table, extra: Sequence[tuple[Path, Table]]) -> list[Row]:
    rows = read_rows(shipped_path(table), table)
    for layer, (path, owner) in enumerate(extra, start=1):
        if owner == table:
            rows.extend(read_rows(path, table, layer))
    return rows


def load_rules(extra_files: Sequence[str] = ()) -> Rules:
    """The shipped tables, each extended by the ``extra_files`` that start with its header
    (later files win where they repeat a key). Raises :class:`ConfigError` naming the file
    and row of the first bad row."""
    extra = [(Path(name), table_of(Path(name))) for name in extra_files]

    def rows(table: Table) -> list[Row]:
        return _rows_of(table, extra)

    cues = parse_cues(rows(REPORTING_VERBS), rows(CUES), rows(SPEAKER_KINDS))
    return Rules(
        triggers=parse_lexicon(rows(TRIGGERS), say=cues.transparent_verbs),
        acled_rules=parse_rules(rows(ACLED_RULES)),
        acled_plover=parse_plover_table(rows(ACLED_PLOVER)),
        past_verb=past_verb_pattern(rows(TENSE_WORDS)),
        cues=cues,
        size_words=parse_size_words(rows(SIZE_WORDS)),
        actor_words=parse_actor_words(rows(ACTOR_WORDS), rows(COUNTRY_WORDS)),
        place_words=parse_place_words(rows(PLACE_WORDS)),
        gazetteer_names=parse_gazetteer_names(rows(GAZETTEER_NAMES)),
        files=tuple(str(f) for f in extra_files),
    )
