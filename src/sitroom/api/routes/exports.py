"""``/api/export``: the event records in one of the export formats, as a download."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from sitroom.api.deps import event_filter, get_sitroom
from sitroom.exports import EXPORT_FORMATS, FILE_SUFFIXES, write_export
from sitroom.pipeline import Sitroom
from sitroom.store.filters import EventFilter

router = APIRouter(tags=["exports"])
ExportFormat = Literal["jsonl", "plover-jsonl", "acled-csv", "geojson", "hxl-csv"]
# exports are spooled in memory up to this size, then on disk, so a large export stays flat in memory
SPOOL_BYTES = 8_000_000
CHUNK = 64 * 1024


@router.get(
    "/api/export",
    summary="Export the matching events (all pages)",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in set(EXPORT_FORMATS.values())}}},
)
def export_events(
    sitroom: Annotated[Sitroom, Depends(get_sitroom)],
    flt: Annotated[EventFilter, Depends(event_filter)],
    format: Annotated[
        ExportFormat, Query(description="jsonl, plover-jsonl, acled-csv, geojson or hxl-csv")
    ] = "jsonl",
    coarsen: Annotated[bool, Query(description="coarsen the places of civilian-protection events")] = False,
) -> StreamingResponse:
    """Every event matching the filters (``limit`` and ``cursor`` are ignored) in one file."""
    # closed by the response's generator once the last chunk is sent
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
    records = sitroom.store.iter_events(replace(flt, cursor=None))
    write_export(records, format, spool, coarsen=coarsen)  # type: ignore[arg-type]
    spool.seek(0)

    def chunks() -> Iterator[str]:
        with spool:
            while block := spool.read(CHUNK):
                yield block

    filename = "sitroom-events" + FILE_SUFFIXES[format]
    return StreamingResponse(
        chunks(),
        media_type=EXPORT_FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
