"""The actor lexicon: named institutions and groups, and the words that name countries.

The shipped table is ``sitroom/data/actors.tsv`` (its header comment documents the
columns and codes); users add files with the same header through the ``lexicon``
setting, read after the shipped one so that their rows win. Country words (names,
nationality adjectives, plural demonyms, capitals used for their governments) come from
pycountry plus the rule table ``country_words.tsv`` (:attr:`sitroom.read.ner.ActorWords.countries`).

Build once per process with :func:`load_lexicon` and pass the result around.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import spacy
from spacy.language import Language

from sitroom.errors import ConfigError
from sitroom.read.ner import SECTORS, ActorWords, generic_patterns, member_patterns

HEADER = ("name", "aliases", "country", "sector", "inter", "ner")

INTERNATIONAL_CODES = frozenset({"IGO", "NGO", "MNC"})
NER_LABELS = frozenset({"ORG", "NORP"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")
_LEADING_DETERMINER = re.compile(r"^(?:the)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class LexiconEntry:
    """One actor of the lexicon, with where it was read (``file:line``)."""

    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    acled_inter: int | None
    ner_label: str
    origin: str


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Alias and country-word indexes over the lexicon entries (build with :func:`load_lexicon`)."""

    entries: tuple[LexiconEntry, ...]
    by_name: Mapping[str, LexiconEntry]
    exact: Mapping[str, LexiconEntry]  # one-word aliases, case-sensitive
    folded: Mapping[str, LexiconEntry]  # longer aliases, case-insensitive
    countries: Mapping[str, str]  # casefolded country word -> ISO3
    words: ActorWords  # the role words of actor phrases (actor_words.tsv)

    def lookup(self, text: str) -> LexiconEntry | None:
        """The entry one of whose aliases is ``text`` (leading "the" and quote style ignored)."""
        key = normalize_alias(text)
        return self.exact.get(key) or self.folded.get(key.casefold())

    def country_of(self, word: str) -> str | None:
        """ISO3 of a country name, nationality adjective, demonym or capital ("Syrian" -> SYR)."""
        key = normalize_alias(word).casefold()
        return self.countries.get(key)

    def ruler_patterns(self) -> list[dict[str, Any]]:
        """EntityRuler patterns: every alias (ORG/NORP, ``id`` = canonical name) plus the
        generic actor phrases of :func:`sitroom.read.ner.generic_patterns`."""
        tokenizer = _blank_english().tokenizer
        patterns: list[dict[str, Any]] = []
        for entry in self.entries:
            bodies = [_alias_tokens([t.text for t in tokenizer(alias)]) for alias in entry.aliases]
            patterns.extend(
                {"label": entry.ner_label, "pattern": [_OPTIONAL_THE, *body], "id": entry.name}
                for body in bodies
            )
            if entry.ner_label == "ORG":
                patterns.extend(member_patterns(self.words, bodies, entry.ner_label, entry.name))
        patterns.extend(
            generic_patterns(
                self.words, self.words.country_adjectives(), lambda text: [t.text for t in tokenizer(text)]
            )
        )
        return patterns


_OPTIONAL_THE: dict[str, Any] = {"LOWER": "the", "OP": "?"}


def _alias_tokens(words: list[str]) -> list[dict[str, Any]]:
    # One-word aliases are acronyms or names that clash with common words in lower case.
    if len(words) == 1:
        return [{"ORTH": words[0]}]
    return [{"LOWER": w.lower()} for w in words]


def normalize_alias(text: str) -> str:
    """The key an alias is indexed under: curly quotes and dashes unified, spaces collapsed,
    a leading "the" dropped."""
    text = _SPACE.sub(" ", text.translate(_APOSTROPHES)).strip()
    return _LEADING_DETERMINER.sub("", text)


@functools.lru_cache(maxsize=1)
def _blank_english() -> Language:
    return spacy.blank("en")


def load_lexicon(words: ActorWords, extra_files: Sequence[str] = ()) -> Lexicon:
    """The shipped lexicon plus ``extra_files`` (later files win), with the role ``words`` of
    actor phrases (:attr:`sitroom.rules.Rules.actor_words`); the composition root builds it once."""
    shipped = resources.files("sitroom") / "data" / "actors.tsv"
    entries = list(_read_entries(shipped.read_text(encoding="utf-8"), "sitroom/data/actors.tsv"))
    for name in extra_files:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"actor lexicon {path}: cannot read it ({exc}); check the `lexicon` setting"
            ) from exc
        entries.extend(_read_entries(text, str(path)))
    return _index(entries, words)


def _index(entries: list[LexiconEntry], words: ActorWords) -> Lexicon:
    by_name: dict[str, LexiconEntry] = {}
    for entry in entries:
        by_name[entry.name] = entry  # a user row with a shipped name replaces it
    exact: dict[str, LexiconEntry] = {}
    folded: dict[str, LexiconEntry] = {}
    for entry in by_name.values():
        for alias in (entry.name, *entry.aliases):
            key = normalize_alias(alias)
            if " " in key or "-" in key:
                folded[key.casefold()] = entry
            else:
                exact[key] = entry
    return Lexicon(
        entries=tuple(by_name.values()),
        by_name=by_name,
        exact=exact,
        folded=folded,
        countries=_country_words(words),
        words=words,
    )


def _read_entries(text: str, origin: str) -> Iterable[LexiconEntry]:
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        where = f"{origin}:{number}"
        if not header_seen:
            if tuple(cells[: len(HEADER)]) != HEADER:
                raise ConfigError(
                    f"actor lexicon {where}: the first row must be the header {' <TAB> '.join(HEADER)}"
                )
            header_seen = True
            continue
        yield _parse_row(cells, where)
    if not header_seen:
        raise ConfigError(f"actor lexicon {origin}: no header row ({' <TAB> '.join(HEADER)})")


def _parse_row(cells: list[str], where: str) -> LexiconEntry:
    if len(cells) < 4 or len(cells) > len(HEADER):
        raise ConfigError(
            f"actor lexicon {where}: expected {len(HEADER)} tab-separated columns "
            f"({', '.join(HEADER)}), found {len(cells)}"
        )
    cells += [""] * (len(HEADER) - len(cells))
    name, aliases, country, sector, inter, label = cells
    if not name:
        raise ConfigError(f"actor lexicon {where}: the name column is empty")
    if country and country not in INTERNATIONAL_CODES and pycountry.countries.get(alpha_3=country) is None:
        raise ConfigError(
            f"actor lexicon {where}: country {country!r} is not ISO 3166-1 alpha-3, IGO, NGO or MNC"
        )
    if sector and sector not in SECTORS:
        raise ConfigError(
            f"actor lexicon {where}: unknown sector {sector!r}; use one of {' '.join(sorted(SECTORS))}"
        )
    if inter and (not inter.isdigit() or not 1 <= int(inter) <= 8):
        raise ConfigError(f"actor lexicon {where}: inter {inter!r} must be an ACLED actor type 1-8")
    if label and label not in NER_LABELS:
        raise ConfigError(f"actor lexicon {where}: ner {label!r} must be ORG or NORP")
    return LexiconEntry(
        name=name,
        aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()) or (name,),
        country=country or None,
        sector=sector or None,
        acled_inter=int(inter) if inter else None,
        ner_label=label or "ORG",
        origin=where,
    )


def _country_words(actor_words: ActorWords) -> Mapping[str, str]:
    words: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                words[normalize_alias(value).casefold()] = country.alpha_3
    for row in actor_words.countries:
        for word in (*row.adjectives, *row.names):
            words[normalize_alias(word).casefold()] = row.code
    return words
