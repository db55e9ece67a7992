"""Exports of event records: ``write_export(records, fmt, out, coarsen=...)``.

Formats: ``EXPORT_FORMATS``, the one list of them (what each holds: the README's table). Every
writer streams: records are read and written one at a time.

CSV cells are safe to open in a spreadsheet: a text cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return (a report's text can carry ``=HYPERLINK(...)``) gets a leading ``'``
as OWASP recommends, so it reads as text, not a formula; the numeric columns
(``ACLED_NUMERIC``, ``HXL_NUMERIC``) keep their numbers, negative ones included.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from sitroom.exports.acled import ACLED_COLUMNS, ACLED_NUMERIC, acled_row
from sitroom.exports.coarsen import coarsen_record
from sitroom.exports.geojson import write_feature_collection
from sitroom.exports.hxl import HXL_HEADER, HXL_NUMERIC, HXL_TAGS, hxl_row
from sitroom.exports.plover import plover_record

Record = Mapping[str, Any]

# What a spreadsheet may run as a formula when a cell starts with it (OWASP, "CSV Injection")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def neutralise_cell(value: Any, numeric: bool = False) -> Any:
    """``value`` as safe to open in a spreadsheet: a number in a ``numeric`` column as it is,
    any other text starting with a formula trigger behind a ``'``."""
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else str(value)
    if numeric and NUMBER.fullmatch(text):
        return value
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else value


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
    numeric: frozenset[str],
    tags: tuple[str, ...] = (),
) -> int:
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    if tags:
        writer.writerow(dict(zip(header, tags, strict=True)))
    count = 0
    for record in records:
        writer.writerow({k: neutralise_cell(v, k in numeric) for k, v in row(record).items()})
        count += 1
    return count


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name (``--format``, ``?format=``), the media type and file
    suffix of a download, and the writer of its records (how many it wrote)."""

    name: str
    media_type: str
    suffix: str
    write: Callable[[Iterable[Record], TextIO], int]


# The export formats, the one list the CLI's choices, the API's and the README's table follow.
EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("jsonl", "application/x-ndjson", ".jsonl", lambda rs, out: _write_lines(rs, out, dict)),
        ExportFormat(
            "plover-jsonl",
            "application/x-ndjson",
            ".plover.jsonl",
            lambda rs, out: _write_lines(rs, out, plover_record),
        ),
        ExportFormat(
            "acled-csv",
            "text/csv",
            ".acled.csv",
            lambda rs, out: _write_csv(rs, out, ACLED_COLUMNS, acled_row, ACLED_NUMERIC),
        ),
        ExportFormat("geojson", "application/geo+json", ".geojson", write_feature_collection),
        ExportFormat(
            "hxl-csv",
            "text/csv",
            ".hxl.csv",
            lambda rs, out: _write_csv(rs, out, HXL_HEADER, hxl_row, HXL_NUMERIC, HXL_TAGS),
        ),
    )
}


def write_export(records: Iterable[Record], fmt: str, out: TextIO, *, coarsen: bool = False) -> int:
    """Write event records to ``out`` in format ``fmt``; return how many were written.

    ``coarsen`` rounds the places of civilian-protection events (see :mod:`sitroom.exports.coarsen`).
    Raises ``ValueError`` for an unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if coarsen:
        records = (coarsen_record(r) for r in records)
    return EXPORT_FORMATS[fmt].write(records, out)


__all__ = ["ACLED_COLUMNS", "EXPORT_FORMATS", "HXL_HEADER", "HXL_TAGS", "ExportFormat", "write_export"]
