"""Place mentions: find toponyms in a parsed article and put them on the map.

Stages, run by :func:`resolve_places` over one ``Doc``:

1. collect mentions: GPE/LOC/FAC entities (boundaries trimmed of "the" and possessives); NORP
   and mislabelled ORG/PERSON entities whose whole text the gazetteer knows as a place
   ("Aleppo" tagged NORP); facilities, names ending in a word such as Street, Square, School
   or Hospital ("Royal Street", "the Al-Amal School"); with ``modifiers=True`` also adjectives
   of nationality ("Syrian officials" -> Syria) and place names inside organisation names
   ("Pakistan Army") or inside place-tagged names the gazetteer does not know ("the
   Montgomery County Democrats").
2. first pass: resolve every mention with only the outlet's country as context; the countries
   and admin1 units of confident results become the document's context.
3. second pass: resolve again with that context, so "Paris" in an article about Texas is Paris,
   Texas, and a small namesake on another continent is left unresolved, never guessed. The
   other names of the document vote as well, resolved or not: a candidate gains where other
   names have candidates in the same admin1 unit or country, each name's vote split over its
   candidates ("Nelson" beside "Castlegar" and "Victoria" is Nelson, British Columbia). A
   name in a list of names of one precision takes that precision ("California, Washington,
   Utah and Colorado": the state); a county takes the state the article names.
4. facilities the gazetteer does not know are placed at the document's focus, the town it
   names most (a name in the dateline or first sentence counting twice), with the town's
   precision and ``source`` "focus:..."; without a focus, at a place their name contains, or
   left unresolved.

Every mention comes back as a :class:`~sitroom.models.Place`; one that cannot be resolved keeps
its text with ``lat``/``lon`` None. :func:`choose_entry` resolves one name in a given context.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from sitroom.models import Place
from sitroom.read.gazetteer import PATTERN_MIN_POPULATION, Gazetteer, GazetteerEntry, normalise_name

if TYPE_CHECKING:
    from sitroom.rules import Row

PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
# Entity labels whose whole text may still be a place the gazetteer knows (spaCy's errors).
RELABEL_LABELS = frozenset(("NORP", "ORG", "PERSON", "PRODUCT", "EVENT", "WORK_OF_ART"))
# Entity labels whose inner words may name a place ("The Washington Post", "Pakistan Army").
EMBEDDING_LABELS = frozenset(("ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "NORP"))
EMBEDDED_MAX_TOKENS = 4

# Scores of a candidate (log10 of its population plus these), calibrated on GeoWebNews dev.
# Admin units score below cities: "New York" and "Aleppo" mean the city unless context says
# otherwise. Curated entries (no population) score like a place of a hundred million.
KIND_PRIOR: dict[str, float] = {
    "country": 4.0,
    "continent": 3.0,
    "admin1": -1.0,
    "admin2": -1.0,
    "city": 0.0,
    "region": 8.0,
    "water": 8.0,
    "neighbourhood": 8.0,
    "mountain": 8.0,
    "camp": 8.0,
    "crossing": 8.0,
    "landmark": 8.0,
    "site": 8.0,
    "district": 8.0,
}
CAPITAL_BONUS = 1.5  # national capitals: "Washington" is the city more often than the state
IN_CONTEXT_COUNTRY = 2.0  # candidate lies in a country the article names
IN_CONTEXT_ADMIN1 = 1.5  # candidate lies in an admin1 unit the article names ("Paris" in a Texas story)
# A county in an admin1 unit the article names: county names repeat from state to state
# (Montgomery County in 18), and local news names its own, however small.
COUNTY_IN_CONTEXT_ADMIN1 = 3.0
OUTLET_COUNTRY = 1.0  # candidate lies in the outlet's country
ALTERNATE_NAME_PENALTY = 1.5  # matched only through a GeoNames other-language name
# Votes of the document's other names (see the module docstring): per unit of vote, and the cap.
ADMIN1_VOTE, ADMIN1_VOTE_CAP = 1.0, 2.0
COUNTRY_VOTE, COUNTRY_VOTE_CAP = 0.5, 1.0
# Admin1 votes that make a small place plausible outside the countries the article names.
PLAUSIBLE_ADMIN1_VOTES = 0.75
# An admin1 candidate that the document names in other words too ("Wash.", or its cities).
ADMIN1_NAMED = 2.0
# A candidate of the precision shared by the other names of a list it stands in ("California,
# Washington, Utah and Colorado": the state), and the fewest names that make a list.
LIST_PRECISION, LIST_MIN_NAMES = 2.0, 3
_LIST_SEPARATOR = re.compile(r"^\s*(?:,|;|&|and|or|,\s*and|,\s*or)\s*$")
# A capital or a city this big, and this many times bigger than a namesake in the countries the
# article names, is still the one meant unless the namesake's province is named (issue 19).
FAMOUS_MIN_POPULATION, FAMOUS_RATIO = 1_000_000, 50
# Populated places smaller than this resolve only inside a country the article (or outlet)
# names: a small namesake elsewhere is more likely wrong than right.
SMALL_PLACE_POPULATION = 20_000
# Relabelled ORG/PERSON entities become places only when they name one of these kinds, or a
# city of at least PATTERN_MIN_POPULATION.
RELABEL_KINDS = frozenset(
    (
        "country",
        "admin1",
        "continent",
        "region",
        "water",
        "neighbourhood",
        "mountain",
        "camp",
        "crossing",
        "landmark",
        "site",
        "district",
    )
)
# Arabic articles that begin a place name ("al-Tanf", "Ar Raqqah"): such a name is never looked
# up again with "Al" in front of it.
ARABIC_ARTICLES = ("al ", "al-", "el ", "el-", "ar ", "ar-", "as ", "as-", "ad ", "ad-", "an ", "an-")
# Tokens a place name may run on through before its next capitalised word ("Maarat al-Numan").
NAME_JOINERS = frozenset(("al", "el", "-", "ad", "an", "ar", "as", "ash", "at", "az", "de", "del", "la"))
NAME_MAX_TOKENS = 6  # the longest name whole names are looked for in
# The lists of ``data/place_words.tsv`` (its header comment says what each holds).
PLACE_WORD_LISTS = (
    "generic",
    "facility",
    "facility_org",
    "stop",
    "place_noun",
    "town_noun",
    "area_noun",
    "place_prep",
    "noun_prep",
    "within_prep",
    "site_prep",
)


@dataclass(frozen=True)
class PlaceWords:
    """The words of the geoparser that are no place names (``data/place_words.tsv``, read by
    :func:`sitroom.rules.load_rules`): built once by the composition root."""

    generic: frozenset[str]  # entity texts that alone are no place ("North", "Federal"), as written
    # Last words that make a name a facility or a part of a town ("Royal Street", "Jamsil Stadium",
    # "Liverpool Academy"): such a place lies in the town the article is about, whatever place
    # name it contains ("Washington Square" in New Orleans). Organisations count only with the
    # words of a building (facility_org): a "Court" or a "Centre" may be an institution.
    facility: frozenset[str]
    facility_org: frozenset[str]
    # One-word place names far more often something else in news text ("Mobile", "Reading"):
    # no EntityRuler pattern (Gazetteer.ruler_patterns), as written.
    stop: frozenset[str]
    # Common nouns that name a place ("village", "province", "outskirts"): a place name that
    # qualifies one still says where ("the Idlib countryside"); one that qualifies any other
    # noun says whose or which ("a U.S. strike", "Syria's army"). Read by the events stage.
    place_nouns: frozenset[str] = frozenset()
    # Of these, the nouns that stand for a town ("the town") or for a province or country ("the
    # province", "the republic"): such a phrase names the last place of its kind named before.
    town_nouns: frozenset[str] = frozenset()
    area_nouns: frozenset[str] = frozenset()
    # Prepositions that name where an act happened ("in", "near", "outside").
    place_preps: frozenset[str] = frozenset()
    # Prepositions that name where only before a place noun ("on a busy street", "along the
    # road"); a name after one is no place ("an attack on Smith", "talks on Syria").
    noun_preps: frozenset[str] = frozenset()
    # Prepositions that make an act part of another ("killed in a bombing in X", "wounded
    # during clashes near Y"): the place of the one named after it is the other's too; after
    # any other ("protested against the fighting in Z") it is the named act's alone.
    within_preps: frozenset[str] = frozenset()
    # Prepositions after a site's noun that still say which site it is ("a pharmacy on Main
    # Street", "a village near X"), kept in an event's site.
    site_preps: frozenset[str] = frozenset()


def parse_place_words(rows: Sequence[Row]) -> PlaceWords:
    """Build :class:`PlaceWords` from the rows of ``place_words.tsv`` (a user's rows add words)."""
    lists: dict[str, set[str]] = {name: set() for name in PLACE_WORD_LISTS}
    for row in rows:
        name, word = row.cells
        if name not in lists or not word or len(word.split()) != 1:
            raise row.error(
                f"needs a list ({', '.join(PLACE_WORD_LISTS)}) and one word; got {list(row.cells)!r}"
            )
        lists[name].add(word if name in ("generic", "stop") else word.lower())
    return PlaceWords(
        generic=frozenset(lists["generic"]),
        facility=frozenset(lists["facility"]),
        facility_org=frozenset(lists["facility_org"]),
        stop=frozenset(lists["stop"]),
        place_nouns=frozenset(lists["place_noun"] | lists["town_noun"] | lists["area_noun"]),
        town_nouns=frozenset(lists["town_noun"]),
        area_nouns=frozenset(lists["area_noun"]),
        place_preps=frozenset(lists["place_prep"]),
        noun_preps=frozenset(lists["noun_prep"]),
        within_preps=frozenset(lists["within_prep"]),
        site_preps=frozenset(lists["site_prep"]),
    )


# Precisions a document's focus may have: the town (or county) its facilities are placed in.
FOCUS_PRECISIONS = frozenset(("city", "neighbourhood", "district", "admin2"))
_POSSESSIVE = re.compile(r"(?:['’]s?)$")
# The words after a name that make it an administrative unit ("Idlib province", "Kaduna state"),
# within a mention ("Marib Province") or after it.
UNIT_WORDS = frozenset({"state", "province", "governorate", "region", "oblast", "county", "district"})
_ADMIN_WORDS = re.compile(rf"\s+(?:{'|'.join(sorted(UNIT_WORDS))})$", re.IGNORECASE)
_CITY_WORDS = re.compile(r"^(?:City of\s+)|\s+City$")


@dataclass(frozen=True)
class ResolutionContext:
    """What a document has said so far that helps choose between namesakes."""

    gazetteer: Gazetteer
    countries: frozenset[str] = frozenset()  # ISO3
    admin1s: frozenset[tuple[str, str]] = frozenset()  # (ISO3, admin1 name)
    outlet_country: str | None = None
    # Votes of the document's names: (ISO3, admin1) or ISO3 -> {name key: weight}.
    admin1_votes: Mapping[tuple[str, str], Mapping[str, float]] = field(default_factory=dict)
    country_votes: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    list_precision: str | None = None  # the precision of the other names of the mention's list

    def with_places(self, places: Iterable[Place]) -> ResolutionContext:
        """This context plus the countries and admin1 units of ``places``."""
        countries, admin1s = set(self.countries), set(self.admin1s)
        for place in places:
            if place.country:
                countries.add(place.country)
                if place.admin1 and place.precision != "country":
                    admin1s.add((place.country, place.admin1))
        return replace(self, countries=frozenset(countries), admin1s=frozenset(admin1s))

    def with_votes(self, names: Iterable[str]) -> ResolutionContext:
        """This context with the votes of ``names`` (each name's vote split over its candidates)."""
        admin1_votes: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        country_votes: dict[str, dict[str, float]] = defaultdict(dict)
        for name in {normalise_name(n): n for n in names}.values():
            placed = [
                (e, e.country)
                for e in _candidates(name, self.gazetteer)[0]
                if e.country and e.kind != "continent"
            ]
            if not placed:
                continue
            key, weight = normalise_name(name), 1.0 / len(placed)
            for entry, country in placed:
                votes = country_votes[country]
                votes[key] = votes.get(key, 0.0) + weight
                if entry.admin1 and entry.kind != "country":
                    unit = admin1_votes[(country, entry.admin1)]
                    unit[key] = unit.get(key, 0.0) + weight
        return replace(self, admin1_votes=dict(admin1_votes), country_votes=dict(country_votes))

    def admin1_votes_for(self, entry: GazetteerEntry, name: str) -> float:
        """Votes of the other names for the admin1 unit of ``entry``."""
        if not entry.country or not entry.admin1 or entry.kind == "country":
            return 0.0
        key = normalise_name(name)
        return sum(w for n, w in self.admin1_votes.get((entry.country, entry.admin1), {}).items() if n != key)

    def votes(self, entry: GazetteerEntry, name: str) -> float:
        """What the document's other names say for ``entry`` (0 without votes)."""
        if not entry.country or entry.kind == "country":
            return 0.0
        key = normalise_name(name)
        country = sum(w for n, w in self.country_votes.get(entry.country, {}).items() if n != key)
        score = min(COUNTRY_VOTE * country, COUNTRY_VOTE_CAP)
        if (entry.country, entry.admin1) not in self.admin1s:  # named outright: counted once, above
            score += min(ADMIN1_VOTE * self.admin1_votes_for(entry, name), ADMIN1_VOTE_CAP)
        return score


def _score(entry: GazetteerEntry, context: ResolutionContext, alternate: bool, name: str = "") -> float:
    score = KIND_PRIOR.get(entry.kind, 0.0) + math.log10(entry.population + 1) + context.votes(entry, name)
    if entry.id in context.gazetteer.capitals:
        score += CAPITAL_BONUS
    if entry.country and entry.country in context.countries and entry.kind not in ("country", "continent"):
        score += IN_CONTEXT_COUNTRY
    if entry.country and (entry.country, entry.admin1) in context.admin1s:
        score += {"admin1": ADMIN1_NAMED, "admin2": COUNTY_IN_CONTEXT_ADMIN1}.get(
            entry.kind, IN_CONTEXT_ADMIN1
        )
    if entry.country and entry.country == context.outlet_country:
        score += OUTLET_COUNTRY
    if context.list_precision is not None and entry.precision == context.list_precision:
        score += LIST_PRECISION
    return score - (ALTERNATE_NAME_PENALTY if alternate else 0.0)


def _plausible(entry: GazetteerEntry, context: ResolutionContext, name: str = "") -> bool:
    # Small towns and small admin units (Long Island, Bahamas, for "Long Island") are plausible
    # only inside the countries the document names, or vouched for by its other names.
    if entry.kind not in ("city", "admin1", "admin2") or entry.population >= SMALL_PLACE_POPULATION:
        return True
    if entry.id.startswith("sitroom:"):  # our own or the user's gazetteer: meant to be found
        return True
    if entry.country in context.countries or entry.country == context.outlet_country:
        return True
    # Other names of the document with candidates in the same admin1 unit vouch for it.
    return context.admin1_votes_for(entry, name) >= PLAUSIBLE_ADMIN1_VOTES


def _candidates(name: str, gazetteer: Gazetteer) -> tuple[tuple[GazetteerEntry, ...], bool]:
    """Entries for ``name`` and whether they were found only under alternate names."""
    found = gazetteer.lookup(name)
    if found:
        return found, False
    bare = _POSSESSIVE.sub("", name).strip()
    if bare != name and (found := gazetteer.lookup(bare)):
        return found, False
    if _ADMIN_WORDS.search(bare):
        admin = tuple(
            e for e in gazetteer.lookup(_ADMIN_WORDS.sub("", bare)) if e.kind in ("admin1", "admin2")
        )
        if admin:
            return admin, False
    if _CITY_WORDS.search(bare):
        cities = tuple(e for e in gazetteer.lookup(_CITY_WORDS.sub("", bare)) if e.kind == "city")
        if cities:
            return cities, False
    if (alternate := gazetteer.lookup_alternate(bare)) or bare.lower().startswith(ARABIC_ARTICLES):
        return alternate, True
    # "Qamishli" is GeoNames' "Al Qamishli": the Arabic article is often left out in English.
    return next(
        (found for article in ("Al ", "Al-") if (found := gazetteer.lookup(article + bare))), ()
    ), False


def _prefer_cities(
    entries: tuple[GazetteerEntry, ...], name: str, gazetteer: Gazetteer
) -> tuple[GazetteerEntry, ...]:
    """ "Aleppo" and "New York" are the cities, not the admin1 units named after them.

    An admin1 candidate gives way to a city of the same name inside it, found under its name or
    under a GeoNames alternate name (New York City is "New York" there).
    """
    cities = {(e.country, e.admin1): e for e in entries if e.kind == "city"}
    for alt in gazetteer.lookup_alternate(name):
        if alt.kind == "city" and alt.population >= PATTERN_MIN_POPULATION:
            cities.setdefault((alt.country, alt.admin1), alt)
    kept = [e for e in entries if not (e.kind == "admin1" and (e.country, e.admin1) in cities)]
    kept += [
        c
        for key, c in cities.items()
        if c not in kept and any(e.kind == "admin1" and (e.country, e.admin1) == key for e in entries)
    ]
    return tuple(kept)


def choose_entry(name: str, context: ResolutionContext) -> GazetteerEntry | None:
    """The gazetteer entry ``name`` most likely means in ``context``, or None."""
    head, _, tail = name.partition(",")
    if tail.strip():
        # "Paris, Texas": resolve the head inside what the tail names.
        qualifier = choose_entry(tail.strip(), context)
        if qualifier is not None:
            context = context.with_places([_to_place(qualifier, tail.strip(), -1, -1)])
        name = head.strip()
    entries, alternate = _candidates(name, context.gazetteer)
    if not _ADMIN_WORDS.search(name):
        entries = _prefer_cities(entries, name, context.gazetteer)
    entries = tuple(e for e in entries if _plausible(e, context, name))
    if not entries:
        return None
    best = max(entries, key=lambda e: (_score(e, context, alternate, name), e.id))
    return _famous_unless_named(best, entries, context)


def _famous_unless_named(
    best: GazetteerEntry, entries: tuple[GazetteerEntry, ...], context: ResolutionContext
) -> GazetteerEntry:
    """A capital or a city FAMOUS_RATIO times bigger than ``best`` in another country is the
    place meant unless the article names ``best``'s own province: naming its country is not
    evidence enough ("Warsaw" in a U.S. report is Poland's, "Warsaw, Indiana" is not)."""
    if best.kind != "city" or (best.country, best.admin1) in context.admin1s:
        return best
    famous = [
        e
        for e in entries
        if e.kind == "city"
        and e.country != best.country
        and e.population >= FAMOUS_RATIO * max(best.population, 1)
        and (e.id in context.gazetteer.capitals or e.population >= FAMOUS_MIN_POPULATION)
    ]
    return max(famous, key=lambda e: (e.population, e.id)) if famous else best


def _to_place(entry: GazetteerEntry, text: str, start: int, end: int) -> Place:
    if entry.id.startswith("geonames:"):
        source = "geonames"
    elif entry.id.startswith("sitroom:"):
        source = f"gazetteer:{entry.id.removeprefix('sitroom:')}"
    else:
        source = entry.kind if entry.kind in ("country", "admin1") else entry.id.split(":", 1)[0]
    return Place(
        text=text,
        name=entry.name,
        start=start,
        end=end,
        lat=entry.lat,
        lon=entry.lon,
        country=entry.country,
        admin1=entry.admin1 if entry.kind != "country" else None,
        precision=entry.precision,
        geonameid=entry.geonameid,
        source=source,
    )


# --- mentions in a Doc -----------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    demonym: bool = False
    embedded: bool = False  # part of a longer name ("Mississippi" in "Mississippi State")
    facility: bool = False  # a street, building or square ("Royal Street"): see PlaceWords.facility
    unit: str = ""  # the unit word after the name ("Idlib province": "province"), if any


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and a trailing possessive or punctuation from an entity."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].tag_ == "POS" or (doc[end - 1].is_punct and doc[end - 1].text != ".")
    ):
        end -= 1
    return doc[start:end] if end > start else None


def _is_adjective(span: Span) -> bool:
    """An adjective of nationality ("Syrian forces"), not a people ("the Syrians")."""
    last = span[-1]
    return (last.tag_ in ("JJ", "NNP") and last.dep_ in ("amod", "compound", "nmod")) or last.tag_ == "JJ"


def _knows_as_place(text: str, gazetteer: Gazetteer, *, cities: bool = True) -> bool:
    """Whether ``text`` is a country, region, curated place or county named as one ("Orange
    County"), or, with ``cities``, a big city."""
    county = _ADMIN_WORDS.search(text) is not None
    return any(
        e.kind in RELABEL_KINDS
        or (county and e.kind == "admin2")
        or (cities and e.kind == "city" and e.population >= PATTERN_MIN_POPULATION)
        for e in gazetteer.lookup(text)
    )


def _facility_entry(text: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """The gazetteer's entry for a name ending in a facility word, unless it is only a small
    namesake town ("Washington Square, Pennsylvania" is not the square in New Orleans)."""
    return next(
        (e for e in gazetteer.lookup(text) if e.kind != "city" or e.population >= PATTERN_MIN_POPULATION),
        None,
    )


def _embedded(
    span: Span, gazetteer: Gazetteer, generic: frozenset[str], *, head: bool = True
) -> list[_Mention]:
    """Place names and adjectives of nationality inside a longer entity, longest first.

    ``head=False`` leaves out a name in the entity's last word: in a place's name that is the
    head noun ("Delta" in "Nile Delta"), not a place of its own. ``generic`` words are no place.
    """
    found: list[_Mention] = []
    i = span.start
    while i < span.end:
        for size in range(min(EMBEDDED_MAX_TOKENS, span.end - i), 0, -1):
            part = span.doc[i : i + size]
            whole = part.start == span.start and part.end == span.end
            if whole or (not head and part.end == span.end):
                continue
            if not part[0].text[:1].isupper() or part.text in generic:
                continue
            if _knows_as_place(part.text, gazetteer) or gazetteer.demonym(part.text):
                found.append(
                    _Mention(
                        part.start_char,
                        part.end_char,
                        part.text,
                        demonym=gazetteer.demonym(part.text) is not None,
                        embedded=True,
                    )
                )
                i += size - 1
                break
        i += 1
    return found


def _is_facility(span: Span, label: str, words: PlaceWords) -> bool:
    """A name of at least two words ending in a facility word, for organisations a building's."""
    last = words.facility_org if label == "ORG" else words.facility
    return len(span) >= 2 and span[-1].lower_ in last and span[0].text[:1].isupper()


def _with_facility_word(span: Span, facility: frozenset[str]) -> Span:
    """The place name with a capitalised facility word after it ("Washington" + "Square")."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.text[:1].isupper() and after.lower_ in facility and after.ent_iob_ != "B":
        return span.doc[span.start : span.end + 1]
    return span


def collect_mentions(
    doc: Doc, gazetteer: Gazetteer, words: PlaceWords, *, modifiers: bool = False
) -> list[_Mention]:
    """Stage 1: the toponym spans of ``doc`` (see the module docstring)."""
    mentions: list[_Mention] = []
    for ent in doc.ents:
        span = _trim(ent)
        if span is None or span.text in words.generic:
            continue
        if ent.label_ in PLACE_LABELS and span.end == ent.end:
            span = _with_facility_word(span, words.facility)
        facility = _is_facility(span, ent.label_, words)
        known = (
            _facility_entry(span.text, gazetteer) is not None
            if facility
            else bool(gazetteer.lookup(span.text))
        )
        if facility and not known and ent.label_ in PLACE_LABELS | {"ORG"}:
            mentions.append(_Mention(span.start_char, span.end_char, span.text, facility=True))
        elif (
            ent.label_ in PLACE_LABELS
            and modifiers
            and not known
            and (inner := _embedded(span, gazetteer, words.generic, head=False))
        ):
            mentions.extend(inner)  # "the Montgomery County Democrats", tagged GPE
        elif ent.label_ in PLACE_LABELS:
            mentions.append(
                _Mention(
                    span.start_char,
                    span.end_char,
                    span.text,
                    demonym=gazetteer.demonym(span.text) is not None,
                )
            )
        elif ent.label_ in RELABEL_LABELS and _knows_as_place(
            span.text, gazetteer, cities=ent.label_ != "PERSON"
        ):
            mentions.append(_Mention(span.start_char, span.end_char, span.text))
        elif modifiers and ent.label_ == "NORP" and gazetteer.demonym(span.text) and _is_adjective(span):
            mentions.append(_Mention(span.start_char, span.end_char, span.text, demonym=True))
        elif modifiers and ent.label_ in EMBEDDING_LABELS:
            mentions.extend(_embedded(span, gazetteer, words.generic))
    return mentions


def _whole_name(doc: Doc, mention: _Mention, gazetteer: Gazetteer) -> _Mention:
    """The longest name the gazetteer knows that holds ``mention`` and runs on through capitalised
    words and joiners after it ("San" -> "San Ysidro"), else the mention."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return mention
    end = span.end
    while end < len(doc) and end - span.start < NAME_MAX_TOKENS:
        token = doc[end]
        if not (token.text[:1].isupper() or token.lower_ in NAME_JOINERS) or token.ent_type_ == "DATE":
            break
        end += 1
    for stop in range(end, span.end, -1):
        if doc[stop - 1].lower_ in NAME_JOINERS:
            continue
        whole = doc[span.start : stop]
        if gazetteer.lookup(whole.text):
            return replace(mention, end=whole.end_char, text=whole.text)
    return mention


def join_names(doc: Doc, mentions: list[_Mention], gazetteer: Gazetteer) -> list[_Mention]:
    """Multi-word names whole before their parts: a mention runs on into the longer name the
    gazetteer knows ("San Ysidro", not "San" in Mali), and mentions joined by a hyphen are one
    name ("Maarat al" + "-Numan": never "Numan" in Nigeria), known or not."""
    joined: list[_Mention] = []
    for mention in mentions:
        last = joined[-1] if joined else None
        if last is not None and mention.start < last.end:
            continue  # inside the name the previous mention ran on into
        if (
            last is not None
            and not (last.demonym or mention.demonym or last.facility or mention.facility)
            and doc.text[last.end : mention.start] in ("-", "")
        ):
            joined[-1] = replace(
                last, end=mention.end, text=doc.text[last.start : mention.end], embedded=False
            )
            continue
        joined.append(
            mention if mention.demonym or mention.facility else _whole_name(doc, mention, gazetteer)
        )
    return joined


def with_units(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Each name with the unit word after it, if any ("Idlib province", "Kaduna state"): the
    province or state of that name, not its town. The mention's span stays the name's."""
    found = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        after = doc[span.end] if span is not None and span.end < len(doc) else None
        if after is not None and after.lower_ in UNIT_WORDS and not (mention.demonym or mention.facility):
            mention = replace(mention, unit=after.lower_)
        found.append(mention)
    return found


def _resolve_mention(mention: _Mention, context: ResolutionContext) -> Place:
    if mention.demonym:
        entry = context.gazetteer.demonym(mention.text)
    elif mention.facility:  # a curated landmark, or (see _place_facilities) the document's focus
        entry = _facility_entry(mention.text, context.gazetteer)
    else:
        entry = (
            choose_entry(f"{mention.text} {mention.unit}", context) if mention.unit else None
        ) or choose_entry(mention.text, context)
    if entry is None:
        return Place(text=mention.text, name=mention.text, start=mention.start, end=mention.end)
    return _to_place(entry, mention.text, mention.start, mention.end)


def document_focus(places: Iterable[Place], mentions: Iterable[_Mention], lede_end: int = 0) -> Place | None:
    """The town the document is about: its most often named resolved town, a name in the dateline
    or first sentence (before ``lede_end``) counting twice; the first named on a tie."""
    counts: dict[tuple[str, float, float], int] = defaultdict(int)
    first: dict[tuple[str, float, float], Place] = {}
    for place, mention in zip(places, mentions, strict=True):
        if mention.facility or mention.embedded or mention.demonym or place.precision not in FOCUS_PRECISIONS:
            continue
        if place.lat is None or place.lon is None:
            continue
        key = (place.name, place.lat, place.lon)
        counts[key] += 2 if place.start < lede_end else 1
        first.setdefault(key, place)
    if not counts:
        return None
    return first[max(counts, key=lambda k: counts[k])]  # max keeps the first of equal counts


def _place_facility(
    place: Place, focus: Place | None, doc: Doc, context: ResolutionContext, generic: frozenset[str]
) -> Place:
    """A facility the gazetteer does not know: at the document's focus (with its precision) or,
    in a document without one, at the first place its name contains ("Vatican Gardens")."""
    if focus is not None:
        return replace(
            focus, text=place.text, start=place.start, end=place.end, source=f"focus:{focus.source}"
        )
    span = doc.char_span(place.start, place.end)
    inner = (
        [m for m in _embedded(span, context.gazetteer, generic, head=False) if not m.demonym]
        if span is not None
        else []
    )
    if not inner:  # "Percy French Hotel" is not in France
        return place
    found = _resolve_mention(inner[0], context)
    return replace(found, text=place.text, start=place.start, end=place.end) if found.resolved else place


def _place_facilities(
    places: list[Place],
    mentions: list[_Mention],
    doc: Doc,
    context: ResolutionContext,
    generic: frozenset[str],
) -> list[Place]:
    """Every unresolved facility mention placed by :func:`_place_facility`."""
    lede_end = next(iter(doc.sents)).end_char if doc.has_annotation("SENT_START") and len(doc) else 0
    focus = document_focus(places, mentions, lede_end)
    return [
        _place_facility(p, focus, doc, context, generic) if m.facility and not p.resolved else p
        for p, m in zip(places, mentions, strict=True)
    ]


def list_precisions(doc: Doc, mentions: list[_Mention], places: list[Place]) -> list[str | None]:
    """For each mention in a list of at least LIST_MIN_NAMES names ("Utah, Colorado and Idaho"),
    the precision all the list's other resolved names share; None elsewhere."""
    hints: list[str | None] = [None] * len(mentions)
    text = doc.text  # Doc.text joins every token on each call
    run = [0]
    for i in range(1, len(mentions) + 1):
        if i < len(mentions) and _LIST_SEPARATOR.match(text[mentions[i - 1].end : mentions[i].start]):
            run.append(i)
            continue
        if len(run) >= LIST_MIN_NAMES:
            for j in run:
                others = {places[k].precision for k in run if k != j and places[k].resolved}
                if len(others) == 1 and sum(places[k].resolved for k in run if k != j) >= LIST_MIN_NAMES - 1:
                    hints[j] = others.pop()
        run = [i]
    return hints


def resolve_places(
    doc: Doc,
    gazetteer: Gazetteer,
    words: PlaceWords,
    *,
    outlet_country: str | None = None,
    modifiers: bool = False,
) -> tuple[Place, ...]:
    """Every place mention of ``doc``, resolved where the gazetteer and context allow; ``words``
    is :attr:`sitroom.rules.Rules.place_words`.

    ``modifiers`` also returns adjectival and embedded references ("Syrian officials",
    "Pakistan Army"), which GeoWebNews counts as toponyms but which rarely locate an event.
    """
    mentions = with_units(
        doc, join_names(doc, collect_mentions(doc, gazetteer, words, modifiers=modifiers), gazetteer)
    )
    context = ResolutionContext(gazetteer, outlet_country=outlet_country)
    first = [_resolve_mention(m, context) for m in mentions]
    # A state inside a team's or a university's name ("Mississippi State") sets no admin1 context.
    confident = [
        p
        for p, m in zip(first, mentions, strict=True)
        if p.resolved and (p.precision == "country" or (p.precision == "admin1" and not m.embedded))
    ]
    voters = [m.text for m in mentions if not m.demonym]
    # Names spaCy did not call places still vote ("Castlegar", tagged PERSON, for Nelson, B.C.).
    voters += [e.text for e in doc.ents if e.label_ in RELABEL_LABELS and e.text not in words.generic]
    context = context.with_places(confident).with_votes(voters)
    hints = list_precisions(doc, mentions, first)
    second = [
        _resolve_mention(m, replace(context, list_precision=hint) if hint else context)
        for m, hint in zip(mentions, hints, strict=True)
    ]
    return tuple(_place_facilities(second, mentions, doc, context, words.generic))
