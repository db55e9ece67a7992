"""Entity recognition beyond stock spaCy: generic actor phrases and office holders.

Conflict reports name actors by role as often as by name: "the regime", "coalition
forces", "Syrian government forces", "Kurdish residents", "PKK snipers", "the Foreign
Secretary". Stock spaCy tags names only, so these EntityRuler patterns (added to the
same ruler as the lexicon's aliases, see :meth:`sitroom.read.lexicon.Lexicon.ruler_patterns`)
mark them as ORG, and office titles with or without a name as PERSON.

The words are the rule table ``sitroom/data/actor_words.tsv`` (:class:`ActorWords`), which is
also the vocabulary :mod:`sitroom.read.actors` resolves such phrases with (head noun ->
PLOVER sector and ACLED inter), so recognition and resolution cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pycountry

if TYPE_CHECKING:
    from sitroom.rules import Row

Role = tuple[str | None, int | None]  # PLOVER sector, ACLED inter


@dataclass(frozen=True)
class CountryWords:
    """One row of ``country_words.tsv``: a country's adjectives, and its short names, demonyms
    and capitals."""

    code: str
    adjectives: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class ActorWords:
    """The word lists of ``sitroom/data/actor_words.tsv`` (its header comment says what each is)."""

    head_roles: Mapping[str, Role]
    generic_heads: frozenset[str]
    modifier_roles: Mapping[str, Role]
    pair_roles: Mapping[tuple[str, str], Role]
    group_adjectives: frozenset[str]
    label_words: frozenset[str]
    label_suffixes: tuple[str, ...]
    determiners: tuple[str, ...]
    office_titles: tuple[str, ...]
    military_titles: tuple[str, ...]
    courtesy_titles: tuple[str, ...]
    bare_heads: tuple[str, ...]
    institution_heads: frozenset[str]
    skip_words: frozenset[str]  # with the determiners
    title_words: frozenset[str]  # with every word of the office and military titles
    countries: tuple[CountryWords, ...]  # country_words.tsv, in the table's order
    target_heads: frozenset[str] = frozenset()  # things an act of force is aimed at ("checkpoint")

    def country_adjectives(self) -> list[str]:
        """Country words that stand before a noun ("Syrian", "U.S.", "Turkish")."""
        return [adjective for country in self.countries for adjective in country.adjectives]

    def adjective_of(self, code: str) -> str | None:
        """The usual adjective of a country code ("SYR" -> "Syrian"), None when the table lacks it."""
        return next((c.adjectives[-1] for c in self.countries if c.code == code), None)

    @property
    def offices(self) -> tuple[str, ...]:
        """Office titles and military ranks, in the table's order."""
        return (*self.office_titles, *self.military_titles)


WORD_LISTS = (
    "head",
    "generic_head",
    "modifier",
    "pair",
    "group_adjective",
    "label_word",
    "label_suffix",
    "determiner",
    "office_title",
    "military_title",
    "courtesy_title",
    "bare_head",
    "institution_head",
    "skip_word",
    "title_word",
    "target_head",
)
ROLE_LISTS = ("head", "modifier", "pair")
# PLOVER/CAMEO agent codes (actors.tsv's header comment explains them).
SECTORS = frozenset(
    [
        "GOV",
        "MIL",
        "COP",
        "SPY",
        "JUD",
        "LEG",
        "OPP",
        "PTY",
        "REB",
        "INS",
        "SEP",
        "UAF",
        "CVL",
        "REF",
        "MED",
        "HLH",
        "EDU",
        "REL",
        "BUS",
        "LAB",
        "HRI",
        "NGO",
        "IGO",
        "AGR",
        "ENV",
        "DEV",
        "CRM",
        "ELI",
    ]
)


def _role(row: Row) -> Role:
    _, word, sector, inter = row.cells
    if sector and sector not in SECTORS:
        raise row.error(f"{word!r}: unknown sector {sector!r}; use one of {' '.join(sorted(SECTORS))}")
    if inter and (not inter.isdigit() or not 1 <= int(inter) <= 8):
        raise row.error(f"{word!r}: inter {inter!r} must be an ACLED actor type 1-8")
    return (sector or None, int(inter) if inter else None)


def parse_countries(rows: Sequence[Row]) -> tuple[CountryWords, ...]:
    """The rows of ``country_words.tsv`` (a later row for a country, a user's, replaces it)."""
    countries: dict[str, CountryWords] = {}
    for row in rows:
        code, adjectives, names = row.cells
        if pycountry.countries.get(alpha_3=code) is None or not adjectives:
            raise row.error(
                f"needs an ISO 3166-1 alpha-3 country code and its adjectives; got {list(row.cells)!r}"
            )
        split = (tuple(w.strip() for w in cell.split("|") if w.strip()) for cell in (adjectives, names))
        countries[code] = CountryWords(code, *split)
    return tuple(countries.values())


def parse_actor_words(rows: Sequence[Row], country_rows: Sequence[Row]) -> ActorWords:
    """Build :class:`ActorWords` from the rows of ``actor_words.tsv`` and ``country_words.tsv``
    (a later row for a list and word, a user's, replaces an earlier one; the lists keep the
    table's order)."""
    lists: dict[str, dict[str, Role]] = {name: {} for name in WORD_LISTS}
    for row in rows:
        name, word, sector, inter = row.cells
        if name not in WORD_LISTS or not word:
            raise row.error(f"unknown list {name!r} or no word; lists: {', '.join(WORD_LISTS)}")
        if name not in ROLE_LISTS and (sector or inter):
            raise row.error(f"{word!r}: only {', '.join(ROLE_LISTS)} rows take a sector and inter")
        if name == "pair" and len(word.split()) != 2:
            raise row.error(f"{word!r}: a pair is two words, the modifier and the head")
        lists[name][word.lower() if name != "label_suffix" else word] = _role(row)
    return ActorWords(
        head_roles=lists["head"],
        generic_heads=frozenset(lists["generic_head"]),
        modifier_roles=lists["modifier"],
        pair_roles={(k.split()[0], k.split()[1]): role for k, role in lists["pair"].items()},
        group_adjectives=frozenset(lists["group_adjective"]),
        label_words=frozenset(lists["label_word"]),
        label_suffixes=tuple(lists["label_suffix"]),
        determiners=tuple(lists["determiner"]),
        office_titles=tuple(lists["office_title"]),
        military_titles=tuple(lists["military_title"]),
        courtesy_titles=tuple(lists["courtesy_title"]),
        bare_heads=tuple(lists["bare_head"]),
        institution_heads=frozenset(lists["institution_head"]),
        skip_words=frozenset(lists["determiner"]) | frozenset(lists["skip_word"]),
        title_words=frozenset(
            w.strip(".")
            for title in (*lists["office_title"], *lists["military_title"])
            for w in title.replace("-", " ").split()
        )
        | frozenset(lists["title_word"]),
        countries=parse_countries(country_rows),
        target_heads=frozenset(lists["target_head"]),
    )


_NAME: dict[str, Any] = {"IS_TITLE": True, "OP": "+"}


def _determiner(words: ActorWords) -> dict[str, Any]:
    return {"LOWER": {"IN": list(words.determiners)}, "OP": "?"}


def generic_patterns(
    words: ActorWords, country_adjectives: Sequence[str], tokenize: Callable[[str], list[str]]
) -> list[dict[str, Any]]:
    """EntityRuler patterns for role phrases and office holders, from the actor ``words``.

    ``country_adjectives`` are the words that put a country before a noun ("Syrian",
    "U.S."); ethnic and religious adjectives are the words' group adjectives.
    ``tokenize`` splits a title the way the pipeline's tokenizer does ("Lt." -> Lt, .).
    """
    heads = sorted(set(words.head_roles) | words.generic_heads)
    modifiers = sorted(set(words.modifier_roles) | {w for w, _ in words.pair_roles})
    determiner = _determiner(words)
    label_suffix_regex = "(" + "|".join(words.label_suffixes) + ")$"
    single = [a.lower() for a in country_adjectives if " " not in a]
    multi = [a.lower().split() for a in country_adjectives if " " in a]
    modifier: dict[str, Any] = {"LOWER": {"IN": modifiers}, "OP": "*"}
    head: dict[str, Any] = {"LOWER": {"IN": heads}}
    nationals: list[list[dict[str, Any]]] = [
        [{"LOWER": {"IN": single + sorted(words.group_adjectives)}}],
        *[[{"LOWER": w} for w in adjective] for adjective in multi],
    ]
    patterns: list[dict[str, Any]] = []
    for national in nationals:
        patterns.append(_org([determiner, *national, modifier, head]))
    patterns.append(_org([determiner, {"LOWER": {"IN": modifiers}}, modifier, head]))
    patterns.append(
        _org(
            [
                {"LOWER": {"IN": ["the", "this", "these"]}},
                {"LOWER": {"REGEX": label_suffix_regex}, "OP": "?"},
                {"LOWER": {"IN": sorted(words.label_words)}, "OP": "?"},
                {"LOWER": {"IN": list(words.bare_heads)}},
            ]
        )
    )
    patterns.append(
        _org(
            [
                determiner,
                {"LOWER": {"IN": ["government", "people", "regime", "army"]}},
                {"LOWER": "of"},
                _NAME,
            ]
        )
    )
    patterns.append(
        _org(
            [
                determiner,
                {"IS_TITLE": True},
                {"LOWER": {"IN": ["'s", "’s"]}, "OP": "?"},
                {"IS_LOWER": True, "OP": "?"},
                {"LOWER": "regime"},
            ]
        )
    )
    patterns.extend(_office_patterns(words, single, tokenize))
    return patterns


def member_patterns(
    words: ActorWords, alias_tokens: Iterable[list[dict[str, Any]]], label: str, entry_id: str
) -> list[dict[str, Any]]:
    """Patterns for a named group followed by a role head ("PKK snipers", "ISIL tactical units")."""
    heads = sorted((set(words.head_roles) | words.generic_heads) - {"state", "government"})
    modifiers = sorted(words.modifier_roles)
    determiner = _determiner(words)
    return [
        {
            "label": label,
            "id": entry_id,
            "pattern": [
                determiner,
                *body,
                {"LOWER": {"IN": modifiers}, "OP": "*"},
                {"LOWER": {"IN": heads}},
            ],
        }
        for body in alias_tokens
    ]


def _org(pattern: list[dict[str, Any]]) -> dict[str, Any]:
    return {"label": "ORG", "pattern": pattern}


def _office_patterns(
    words: ActorWords, country_adjectives: list[str], tokenize: Callable[[str], list[str]]
) -> list[dict[str, Any]]:
    national: dict[str, Any] = {"LOWER": {"IN": country_adjectives}, "OP": "?"}
    determiner = _determiner(words)
    patterns = []
    for title in (*words.office_titles, *words.military_titles, *words.courtesy_titles):
        parts: list[dict[str, Any]] = [{"LOWER": w.lower()} for w in tokenize(title)]
        patterns.append({"label": "PERSON", "pattern": [determiner, national, *parts, _NAME]})
        if title not in words.courtesy_titles and "." not in title:
            patterns.append({"label": "PERSON", "pattern": [{"LOWER": "the"}, national, *parts]})
    return patterns
