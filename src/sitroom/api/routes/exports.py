"""``/api/export``: the event records in one of the export formats, as a download."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from sitroom.api.deps import event_filter, get_sitroom
from sitroom.api.problems import InvalidParameter
from sitroom.exports import EXPORT_FORMATS, write_export
from sitroom.pipeline import Sitroom
from sitroom.store.filters import EventFilter

router = APIRouter(tags=["exports"])
# exports are spooled in memory up to this size, then on disk, so a large export stays flat in memory
SPOOL_BYTES = 8_000_000
CHUNK = 64 * 1024


@router.get(
    "/api/export",
    summary="Export the matching events (all pages)",
    response_class=StreamingResponse,
    responses={200: {"content": {f.media_type: {} for f in EXPORT_FORMATS.values()}}},
)
def export_events(
    sitroom: Annotated[Sitroom, Depends(get_sitroom)],
    flt: Annotated[EventFilter, Depends(event_filter)],
    format: Annotated[
        str, Query(description=", ".join(EXPORT_FORMATS), json_schema_extra={"enum": list(EXPORT_FORMATS)})
    ] = "jsonl",
    coarsen: Annotated[bool, Query(description="coarsen the places of civilian-protection events")] = False,
) -> StreamingResponse:
    """Every event matching the filters (``limit`` and ``cursor`` are ignored) in one file."""
    chosen = EXPORT_FORMATS.get(format)
    if chosen is None:
        raise InvalidParameter(
            "format", f"{format!r} is not an export format (valid: {', '.join(EXPORT_FORMATS)})"
        )
    # closed by the response's generator once the last chunk is sent
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
    records = sitroom.store.iter_events(replace(flt, cursor=None))
    write_export(records, chosen.name, spool, coarsen=coarsen)  # type: ignore[arg-type]
    spool.seek(0)

    def chunks() -> Iterator[str]:
        with spool:
            while block := spool.read(CHUNK):
                yield block

    filename = "sitroom-events" + chosen.suffix
    return StreamingResponse(
        chunks(),
        media_type=chosen.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
