"""Exports of event records: ``write_export(records, fmt, out, coarsen=...)``.

Formats (``EXPORT_FORMATS``): ``jsonl`` (our event record, INTERFACES.md), ``plover-jsonl``
(PLOVER's field names), ``acled-csv`` (ACLED's 31 columns in ACLED's order), ``geojson`` (a
FeatureCollection of points), ``hxl-csv`` (a header row, then the HXL hashtag row). Every
writer streams: records are read and written one at a time.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO

from sitroom.exports.acled import ACLED_COLUMNS, acled_row
from sitroom.exports.coarsen import coarsen_record
from sitroom.exports.geojson import write_feature_collection
from sitroom.exports.hxl import HXL_HEADER, HXL_TAGS, hxl_row
from sitroom.exports.plover import plover_record

Record = Mapping[str, Any]

EXPORT_FORMATS: dict[str, str] = {
    "jsonl": "application/x-ndjson",
    "plover-jsonl": "application/x-ndjson",
    "acled-csv": "text/csv",
    "geojson": "application/geo+json",
    "hxl-csv": "text/csv",
}
FILE_SUFFIXES = {
    "jsonl": ".jsonl",
    "plover-jsonl": ".plover.jsonl",
    "acled-csv": ".acled.csv",
    "geojson": ".geojson",
    "hxl-csv": ".hxl.csv",
}


def _write_lines(records: Iterable[Record], out: TextIO, shape: Callable[[Record], Any]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(shape(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(
    records: Iterable[Record],
    out: TextIO,
    header: tuple[str, ...],
    row: Callable[[Record], dict[str, Any]],
    tags: tuple[str, ...] = (),
) -> int:
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    if tags:
        writer.writerow(dict(zip(header, tags, strict=True)))
    count = 0
    for record in records:
        writer.writerow(row(record))
        count += 1
    return count


def write_export(records: Iterable[Record], fmt: str, out: TextIO, *, coarsen: bool = False) -> int:
    """Write event records to ``out`` in format ``fmt``; return how many were written.

    ``coarsen`` rounds the places of civilian-protection events (see :mod:`sitroom.exports.coarsen`).
    Raises ``ValueError`` for an unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if coarsen:
        records = (coarsen_record(r) for r in records)
    if fmt == "jsonl":
        return _write_lines(records, out, dict)
    if fmt == "plover-jsonl":
        return _write_lines(records, out, plover_record)
    if fmt == "acled-csv":
        return _write_csv(records, out, ACLED_COLUMNS, acled_row)
    if fmt == "hxl-csv":
        return _write_csv(records, out, HXL_HEADER, hxl_row, HXL_TAGS)
    return write_feature_collection(records, out)


__all__ = ["ACLED_COLUMNS", "EXPORT_FORMATS", "FILE_SUFFIXES", "HXL_HEADER", "HXL_TAGS", "write_export"]
