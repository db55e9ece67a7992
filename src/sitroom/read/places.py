"""Place mentions: find toponyms in a parsed article and put them on the map.

Stages, run by :func:`resolve_places` over one ``Doc``:

1. collect mentions: GPE/LOC/FAC entities (boundaries trimmed of "the" and possessives); NORP
   and mislabelled ORG/PERSON entities whose whole text the gazetteer knows as a place
   ("Aleppo" tagged NORP); with ``modifiers=True`` also adjectives of nationality ("Syrian
   officials" -> Syria) and place names inside organisation names ("Pakistan Army").
2. first pass: resolve every mention with only the outlet's country as context; the countries
   and admin1 units of confident results become the document's context.
3. second pass: resolve again with that context, so "Paris" in an article about Texas is Paris,
   Texas, and a small namesake on another continent is left unresolved, never guessed. The
   other names of the document vote as well, resolved or not: a candidate gains where other
   names have candidates in the same admin1 unit or country, each name's vote split over its
   candidates ("Nelson" beside "Castlegar" and "Victoria" is Nelson, British Columbia).

Every mention comes back as a :class:`~sitroom.models.Place`; one that cannot be resolved keeps
its text with ``lat``/``lon`` None. :func:`resolve_name` is the same resolution without spaCy.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span

from sitroom.models import Place
from sitroom.read.gazetteer import PATTERN_MIN_POPULATION, Gazetteer, GazetteerEntry, normalise_name

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
    "country": 4.0, "continent": 3.0, "admin1": -1.0, "admin2": -1.0, "city": 0.0,
    "region": 8.0, "water": 8.0, "neighbourhood": 8.0, "mountain": 8.0, "camp": 8.0,
    "crossing": 8.0, "landmark": 8.0, "site": 8.0, "district": 8.0,
}
CAPITAL_BONUS = 1.5  # national capitals: "Washington" is the city more often than the state
IN_CONTEXT_COUNTRY = 2.0  # candidate lies in a country the article names
IN_CONTEXT_ADMIN1 = 1.5  # candidate lies in an admin1 unit the article names ("Paris" in a Texas story)
OUTLET_COUNTRY = 1.0  # candidate lies in the outlet's country
ALTERNATE_NAME_PENALTY = 1.5  # matched only through a GeoNames other-language name
# Votes of the document's other names (see the module docstring): per unit of vote, and the cap.
ADMIN1_VOTE, ADMIN1_VOTE_CAP = 1.0, 2.0
COUNTRY_VOTE, COUNTRY_VOTE_CAP = 0.5, 1.0
# Admin1 votes that make a small place plausible outside the countries the article names.
PLAUSIBLE_ADMIN1_VOTES = 0.75
# An admin1 candidate that the document names in other words too ("Wash.", or its cities).
ADMIN1_NAMED = 2.0
# Populated places smaller than this resolve only inside a country the article (or outlet)
# names: a small namesake elsewhere is more likely wrong than right.
SMALL_PLACE_POPULATION = 20_000
# Relabelled ORG/PERSON entities become places only when they name one of these kinds, or a
# city of at least PATTERN_MIN_POPULATION.
RELABEL_KINDS = frozenset(("country", "admin1", "continent", "region", "water", "neighbourhood",
                           "mountain", "camp", "crossing", "landmark", "site", "district"))
# Entity texts that are directions or generic words, not places, when they stand alone.
GENERIC_NAMES = frozenset(("North", "South", "East", "West", "Central", "Centre", "Federal", "Midwest",
                           "Northern", "Southern", "Eastern", "Western", "Capital", "Union"))
_POSSESSIVE = re.compile(r"(?:['’]s?)$")
_ADMIN_WORDS = re.compile(r"\s+(?:State|Province|Governorate|Region|Oblast|County|District)$")
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
            placed = [(e, e.country) for e in _candidates(name, self.gazetteer)[0] if e.country and e.kind != "continent"]
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
        score += IN_CONTEXT_ADMIN1 if entry.kind != "admin1" else ADMIN1_NAMED
    if entry.country and entry.country == context.outlet_country:
        score += OUTLET_COUNTRY
    return score - (ALTERNATE_NAME_PENALTY if alternate else 0.0)


def _plausible(entry: GazetteerEntry, context: ResolutionContext, name: str = "") -> bool:
    if entry.kind != "city" or entry.population >= SMALL_PLACE_POPULATION:
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
        admin = tuple(e for e in gazetteer.lookup(_ADMIN_WORDS.sub("", bare)) if e.kind in ("admin1", "admin2"))
        if admin:
            return admin, False
    if _CITY_WORDS.search(bare):
        cities = tuple(e for e in gazetteer.lookup(_CITY_WORDS.sub("", bare)) if e.kind == "city")
        if cities:
            return cities, False
    return gazetteer.lookup_alternate(bare), True


def _prefer_cities(entries: tuple[GazetteerEntry, ...], name: str, gazetteer: Gazetteer) -> tuple[GazetteerEntry, ...]:
    """"Aleppo" and "New York" are the cities, not the admin1 units named after them.

    An admin1 candidate gives way to a city of the same name inside it, found under its name or
    under a GeoNames alternate name (New York City is "New York" there).
    """
    cities = {(e.country, e.admin1): e for e in entries if e.kind == "city"}
    for alt in gazetteer.lookup_alternate(name):
        if alt.kind == "city" and alt.population >= PATTERN_MIN_POPULATION:
            cities.setdefault((alt.country, alt.admin1), alt)
    kept = [e for e in entries if not (e.kind == "admin1" and (e.country, e.admin1) in cities)]
    kept += [c for key, c in cities.items() if c not in kept and any(
        e.kind == "admin1" and (e.country, e.admin1) == key for e in entries)]
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
    return max(entries, key=lambda e: (_score(e, context, alternate, name), e.id))


def _to_place(entry: GazetteerEntry, text: str, start: int, end: int) -> Place:
    if entry.id.startswith("geonames:"):
        source = "geonames"
    elif entry.id.startswith("sitroom:"):
        source = f"gazetteer:{entry.id.removeprefix('sitroom:')}"
    else:
        source = entry.kind if entry.kind in ("country", "admin1") else entry.id.split(":", 1)[0]
    return Place(
        text=text, name=entry.name, start=start, end=end, lat=entry.lat, lon=entry.lon,
        country=entry.country, admin1=entry.admin1 if entry.kind != "country" else None,
        precision=entry.precision, geonameid=entry.geonameid, source=source,
    )


def resolve_name(name: str, context: ResolutionContext) -> Place | None:
    """Resolve one place name without spaCy (offsets -1); None when the gazetteer has no fit."""
    entry = choose_entry(name, context)
    return _to_place(entry, name, -1, -1) if entry is not None else None


# --- mentions in a Doc -----------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    demonym: bool = False
    embedded: bool = False  # part of a longer name ("Mississippi" in "Mississippi State")


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and a trailing possessive or punctuation from an entity."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or (doc[end - 1].is_punct and doc[end - 1].text != ".")):
        end -= 1
    return doc[start:end] if end > start else None


def _is_adjective(span: Span) -> bool:
    """An adjective of nationality ("Syrian forces"), not a people ("the Syrians")."""
    last = span[-1]
    return (last.tag_ in ("JJ", "NNP") and last.dep_ in ("amod", "compound", "nmod")) or last.tag_ == "JJ"


def _knows_as_place(text: str, gazetteer: Gazetteer, *, cities: bool = True) -> bool:
    """Whether ``text`` is a country, region or curated place (or, with ``cities``, a big city)."""
    return any(
        e.kind in RELABEL_KINDS or (cities and e.kind == "city" and e.population >= PATTERN_MIN_POPULATION)
        for e in gazetteer.lookup(text)
    )


def _embedded(span: Span, gazetteer: Gazetteer) -> list[_Mention]:
    """Place names and adjectives of nationality inside a longer entity, longest first."""
    found: list[_Mention] = []
    i = span.start
    while i < span.end:
        for size in range(min(EMBEDDED_MAX_TOKENS, span.end - i), 0, -1):
            part = span.doc[i: i + size]
            whole = part.start == span.start and part.end == span.end
            if whole or not part[0].text[:1].isupper() or part.text in GENERIC_NAMES:
                continue
            if _knows_as_place(part.text, gazetteer) or gazetteer.demonym(part.text):
                found.append(_Mention(part.start_char, part.end_char, part.text,
                                      demonym=gazetteer.demonym(part.text) is not None, embedded=True))
                i += size - 1
                break
        i += 1
    return found


def collect_mentions(doc: Doc, gazetteer: Gazetteer, *, modifiers: bool = False) -> list[_Mention]:
    """Stage 1: the toponym spans of ``doc`` (see the module docstring)."""
    mentions: list[_Mention] = []
    for ent in doc.ents:
        span = _trim(ent)
        if span is None or span.text in GENERIC_NAMES:
            continue
        if ent.label_ in PLACE_LABELS:
            mentions.append(_Mention(span.start_char, span.end_char, span.text,
                                     demonym=gazetteer.demonym(span.text) is not None))
        elif ent.label_ in RELABEL_LABELS and _knows_as_place(span.text, gazetteer, cities=ent.label_ != "PERSON"):
            mentions.append(_Mention(span.start_char, span.end_char, span.text))
        elif modifiers and ent.label_ == "NORP" and gazetteer.demonym(span.text) and _is_adjective(span):
            mentions.append(_Mention(span.start_char, span.end_char, span.text, demonym=True))
        elif modifiers and ent.label_ in EMBEDDING_LABELS:
            mentions.extend(_embedded(span, gazetteer))
    return mentions


def _resolve_mention(mention: _Mention, context: ResolutionContext) -> Place:
    entry = context.gazetteer.demonym(mention.text) if mention.demonym else choose_entry(mention.text, context)
    if entry is None:
        return Place(text=mention.text, name=mention.text, start=mention.start, end=mention.end)
    return _to_place(entry, mention.text, mention.start, mention.end)


def resolve_places(
    doc: Doc, gazetteer: Gazetteer, *, outlet_country: str | None = None, modifiers: bool = False
) -> tuple[Place, ...]:
    """Every place mention of ``doc``, resolved where the gazetteer and context allow.

    ``modifiers`` also returns adjectival and embedded references ("Syrian officials",
    "Pakistan Army"), which GeoWebNews counts as toponyms but which rarely locate an event.
    """
    mentions = collect_mentions(doc, gazetteer, modifiers=modifiers)
    context = ResolutionContext(gazetteer, outlet_country=outlet_country)
    first = [_resolve_mention(m, context) for m in mentions]
    # A state inside a team's or a university's name ("Mississippi State") sets no admin1 context.
    confident = [p for p, m in zip(first, mentions, strict=True) if p.resolved and (
        p.precision == "country" or (p.precision == "admin1" and not m.embedded))]
    voters = [m.text for m in mentions if not m.demonym]
    # Names spaCy did not call places still vote ("Castlegar", tagged PERSON, for Nelson, B.C.).
    voters += [e.text for e in doc.ents if e.label_ in RELABEL_LABELS and e.text not in GENERIC_NAMES]
    context = context.with_places(confident).with_votes(voters)
    return tuple(_resolve_mention(m, context) for m in mentions)
