"""Search keys and full-text queries of the event listings, the same on SQLite and PostgreSQL.

Names are compared by a *key* made in Python, on the write path and for the filter value
alike, so both backends agree: accents and case folded (Unicode NFKD, combining marks
dropped, casefold, and the letters NFKD leaves alone: "ı", "ø", "ß" ...), punctuation and
spaces unified, then the spelling variants of transliterated Arabic names folded ("q" and
"k", "ou"/"oo" and "u", "ei"/"ay" and "ai", doubled letters, a final "h" after a vowel, a
leading article "al-", "ar-", "ash-" ...), so that "Arīḩā" is "Ariha", "Sheikh Maksoud" is
"Sheikh Maqsoud" and "Raqqa" is "Ar Raqqah".

The keys are stored: a change to how they are made needs a migration that makes them again
(:func:`rewrite_event_keys`, as migrations 0006 and 0008 do).

A place is stored under the keys of its name, its text in the article, its admin1 unit, its
country code and the country's names (pycountry), so a place filter "Syria" finds every
event in SYR and "SYR" finds an event placed at "Syria". Actors are stored as the keys of
their names and texts (substring match). The full-text column (``search_text``) holds the
keyed words of the evidence sentence, actors, place, outlet and article title, indexed by
FTS5 on SQLite and by a GIN index on its ``tsvector`` on PostgreSQL (migration 0006).

A place filter and a search word also find the places they are a GeoNames alternate name of
(:func:`also_known_as`: "Halab" finds Aleppo, "Dimashq" Damascus), where that name is no
populated place's own name; this widens the query, the stored keys stay as they are.

A user's search (``q``) is parsed here, never passed on as query syntax: words (letters and
digits), ``"quoted phrases"`` and ``word*`` prefixes, all of them required; anything else
(operators, brackets, a lone ``*``) is ignored, and a query without a word or with an
unbalanced quote is a :class:`~sitroom.errors.FilterError`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from sitroom.errors import FilterError

# letters NFKD does not decompose into a base letter and marks
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"})
# one word of a key: letters and digits ("_" counts as punctuation on every backend)
_WORD = re.compile(r"[^\W_]+")
# transliteration variants of one sound, longest first (Arabic names written in English/French)
_VARIANTS = re.compile(r"ou|oo|ee|ei|ey|ay|q")
_VARIANT_OF = {"ou": "u", "oo": "u", "ee": "i", "ei": "ai", "ey": "ai", "ay": "ai", "q": "k"}
_DOUBLED = re.compile(r"(\D)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")  # Raqqah, Hasakah: the ta marbuta written or not
# the Arabic article, assimilated or not, leading a name ("Ar Raqqah", "Al-Hasakah")
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "er", "es", "et", "ez"})
# apostrophes and ayn/hamza signs inside a name join its parts ("Hay'at" is "Hayat"); a
# possessive "'s" stays apart ("Aleppo's" keeps the word "aleppo")
_APOSTROPHE = re.compile(r"['\u2019\u2018\u02bc\u02bf\u02be`](?!s\b)")


def fold(text: str) -> str:
    """``text`` with accents and case folded and punctuation as single spaces ("Arīḩā" -> "ariha")."""
    bare = _APOSTROPHE.sub("", text.casefold())
    if not bare.isascii():
        decomposed = unicodedata.normalize("NFKD", bare.translate(_LETTERS))
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(bare))


@lru_cache(maxsize=65536)  # the words of news text repeat: most are keyed once per process
def key_word(word: str) -> str:
    """One folded word with its transliteration variants folded ("maqsoud" -> "maksud")."""
    return _DOUBLED.sub(r"\1", _FINAL_H.sub("", _VARIANTS.sub(lambda m: _VARIANT_OF[m.group()], word)))


def name_key(text: str) -> str:
    """The key a name is compared by: :func:`fold`, then :func:`key_word` on each word, a
    leading article dropped."""
    words = fold(text).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(key_word(w) for w in words)


# A search word (q) stands for the places it is an alternate name of only where they have at
# least this many people, and where it has at least this many letters: any word of a search
# may be an alternate name of some town ("market" is one of Marquette's, "annd" of Anand's,
# keyed "and"), while a place filter's value is meant as a place's name.
SEARCH_ALTERNATE_MIN_POPULATION = 100_000
SEARCH_ALTERNATE_MIN_LETTERS = 4


@lru_cache(maxsize=1)
def _known_as() -> dict[str, tuple[tuple[str, int], ...]]:
    """The key of each alternate name (:func:`sitroom.read.gazetteer.alternate_names`) ->
    (key of the own name, population) of the places known by it; none for a key that is also
    a place's own name (built on first use, about 1.5 s and 30 MB)."""
    from sitroom.read.gazetteer import alternate_names

    places = [(name_key(own), population, alternates) for own, population, alternates in alternate_names()]
    own_names = {own for own, _, _ in places}
    found: dict[str, set[tuple[str, int]]] = {}
    for own, population, alternates in places:
        for alternate in {name_key(a) for a in alternates} - own_names:
            if alternate:
                found.setdefault(alternate, set()).add((own, population))
    return {alternate: tuple(sorted(owns)) for alternate, owns in found.items()}


def also_known_as(key: str, min_population: int = 0) -> tuple[str, ...]:
    """The keys of the places of at least ``min_population`` people whose GeoNames alternate
    name has the key ``key`` ("halab" -> ("alepo",), the key of "Aleppo"); empty for most keys."""
    found = _known_as().get(key, ()) if key else ()
    return tuple(own for own, population in found if population >= min_population)


def bars(keys: Iterable[str]) -> str:
    """'|a|b|' of the non-empty keys, sorted, so that LIKE '%|a|%' matches a whole key."""
    found = sorted({k for k in keys if k})
    return "|" + "|".join(found) + "|" if found else ""


@lru_cache(maxsize=512)
def country_names(iso3: str) -> tuple[str, ...]:
    """The English names of a country by its ISO3 code (pycountry): name, common and official."""
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3.upper())
    if found is None:
        return ()
    return tuple(
        getattr(found, attr)
        for attr in ("name", "common_name", "official_name")
        if getattr(found, attr, None)
    )


def place_keys(location: Mapping[str, Any] | None) -> str:
    """The bar list of keys an event's location is found under (see the module's docstring)."""
    if not location:
        return ""
    country = location.get("country") or ""
    names = [location.get("name"), location.get("text"), location.get("admin1"), country]
    names += country_names(country) if country else ()
    return bars(name_key(n) for n in names if n)


def actor_keys(record: Mapping[str, Any]) -> str:
    """The bar list of the keys of an event's actors' and recipients' names and texts, and of
    those names lowercased as written (what a filter of punctuation alone matches: "%")."""
    people = list(record.get("actor") or []) + list(record.get("recipient") or [])
    names = [p.get(field) or "" for p in people for field in ("name", "text")]
    return bars([name_key(n) for n in names] + [n.casefold() for n in names])


def actor_pattern(value: str) -> str:
    """What an actor filter value is looked for in :func:`actor_keys` as: its key, or the
    value casefolded where it holds no letter or digit (its key would match anything)."""
    return name_key(value) or value.casefold()


def search_text(record: Mapping[str, Any], title: str | None) -> str:
    """The keyed words full-text search reads of an event: the evidence sentence, its actors,
    place (with the country's names), outlet and the article's title."""
    evidence = record.get("evidence") or {}
    location = record.get("location") or {}
    people = list(record.get("actor") or []) + list(record.get("recipient") or [])
    parts: list[str | None] = [evidence.get("sentence"), evidence.get("outlet"), title]
    parts += [p.get(field) for p in people for field in ("name", "text")]
    parts += [location.get(field) for field in ("name", "text", "admin1", "country")]
    parts += country_names(location["country"]) if location.get("country") else ()
    return name_key(" ".join(p for p in parts if p))


@dataclass(frozen=True)
class Term:
    """One required part of a search: a word or a phrase (its words in order); ``prefix``:
    its last word may be the start of a longer one. ``others``: other words or phrases that
    do as well (the own names of the place the term is an alternate name of)."""

    words: tuple[str, ...]
    prefix: bool = False
    others: tuple[tuple[str, ...], ...] = ()

    def with_others(self) -> Term:
        """This term with the places it is an alternate name of as ``others`` (not a prefix;
        see :data:`SEARCH_ALTERNATE_MIN_POPULATION`)."""
        key = " ".join(self.words)
        if self.prefix or len(key.replace(" ", "")) < SEARCH_ALTERNATE_MIN_LETTERS:
            return self
        found = also_known_as(key, SEARCH_ALTERNATE_MIN_POPULATION)
        return replace(self, others=tuple(tuple(k.split()) for k in found))


# a quoted phrase, or a run of anything but spaces and quotes
_PART = re.compile(r'"([^"]*)"|([^\s"]+)')


def parse_query(query: str) -> tuple[Term, ...]:
    """The terms of a user's search; FilterError ("q") when it holds no word or a lone quote."""
    if query.count('"') % 2:
        raise FilterError(
            "q", f"{query!r} has an unbalanced double quote; close the phrase or drop the quote"
        )
    terms = []
    for match in _PART.finditer(query):
        phrase, bare = match.groups()
        words = tuple(name_key(phrase if phrase is not None else bare).split())
        if words:
            terms.append(Term(words, prefix=bare is not None and bare.endswith("*")))
    if not terms:
        raise FilterError("q", f"{query!r} has no word to search for (letters or digits)")
    return tuple(terms)


def sqlite_match(terms: Iterable[Term]) -> str:
    """An FTS5 MATCH expression of the terms: each a quoted string (words are letters and
    digits only, so nothing in them is FTS syntax), or its ``others``, all required."""

    def one(t: Term) -> str:
        said = [f'"{" ".join(t.words)}"' + ("*" if t.prefix else "")]
        said += [f'"{" ".join(words)}"' for words in t.others]
        return said[0] if len(said) == 1 else "(" + " OR ".join(said) + ")"

    return " AND ".join(one(t) for t in terms)


def postgresql_tsquery(terms: Iterable[Term]) -> str:
    """A ``to_tsquery('simple', ...)`` text of the terms: phrases as ``<->``, prefixes as
    ``:*``, a term's ``others`` as ``|``."""

    def phrase(words: tuple[str, ...], prefix: bool = False) -> str:
        return " <-> ".join(f"'{w}'" for w in words) + (":*" if prefix else "")

    return " & ".join(
        "(" + " | ".join([phrase(t.words, t.prefix), *(phrase(words) for words in t.others)]) + ")"
        for t in terms
    )


def event_keys(record: Mapping[str, Any], title: str | None) -> dict[str, str]:
    """The search columns of an event's ``event_mentions`` row (``title``: its article's)."""
    return {
        "actors": actor_keys(record),
        "place_keys": place_keys(record.get("location")),
        "search_text": search_text(record, title),
    }


# events a statement of rewrite_event_keys reads and writes
REWRITE_BATCH = 1000


def rewrite_event_keys(
    conn: Connection, make: Callable[[dict[str, Any], str | None], Mapping[str, str]] = event_keys
) -> None:
    """Set the columns ``make(record, title)`` gives of every stored event, a batch at a time
    in id order (the migrations that add or change the keys)."""
    m = sa.table("event_mentions", sa.column("id"), sa.column("article_id"), sa.column("record"))
    a = sa.table("articles", sa.column("id"), sa.column("title"))
    last = ""
    while True:
        rows = conn.execute(
            sa.select(m.c.id, m.c.record, a.c.title)
            .select_from(m.outerjoin(a, m.c.article_id == a.c.id))
            .where(m.c.id > last)
            .order_by(m.c.id)
            .limit(REWRITE_BATCH)
        ).all()
        if not rows:
            return
        values = [{"b_id": r.id, **make(_record(r.record), r.title)} for r in rows]
        names = [name for name in values[0] if name != "b_id"]
        table = sa.table("event_mentions", sa.column("id"), *(sa.column(name) for name in names))
        conn.execute(
            table.update()
            .where(table.c.id == sa.bindparam("b_id"))
            .values({n: sa.bindparam(n) for n in names}),
            values,
        )
        last = rows[-1].id


def _record(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)
