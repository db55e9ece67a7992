"""Write endpoints (bearer token required): ``POST /api/ingest``."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sitroom.api.auth import require_token
from sitroom.api.deps import get_sitroom
from sitroom.api.problems import InvalidParameter
from sitroom.api.schemas import IngestRequest, IngestResult
from sitroom.pipeline import IngestReport, Sitroom

router = APIRouter(tags=["write"], dependencies=[Depends(require_token)])
JSONL_TYPES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "text/plain"}

INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": IngestRequest.model_json_schema()},
            "application/x-ndjson": {
                "schema": {"type": "string"},
                "example": '{"url": "https://example.org/a", "text": "...", "published": "2026-01-10"}\n',
            },
        },
    }
}


def _result(report: IngestReport) -> dict[str, Any]:
    return asdict(report)


@router.post(
    "/api/ingest",
    response_model=IngestResult,
    summary="Ingest URLs or JSONL reports",
    openapi_extra=INGEST_BODY,
)
async def ingest(request: Request, sitroom: Annotated[Sitroom, Depends(get_sitroom)]) -> dict[str, Any]:
    """Ingest ``{"urls": [...]}`` (pages or feeds, fetched by the server) or a JSONL body
    (one report a line, as ``sitroom ingest -`` reads it). Rejected items are listed in
    ``errors`` and recorded in the store; the others are stored."""
    body = await request.body()
    if len(body) > sitroom.settings.max_bytes:
        raise HTTPException(
            413, f"body of {len(body)} bytes is over max_bytes ({sitroom.settings.max_bytes})"
        )
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            urls = IngestRequest.model_validate(json.loads(body)).urls
        except (ValueError, ValidationError) as exc:
            raise InvalidParameter("urls", f'expected {{"urls": [...]}}: {exc}', where="body") from None
        report = await run_in_threadpool(sitroom.ingest, urls)
    elif media in JSONL_TYPES:
        report = await run_in_threadpool(sitroom.ingest, ["-"], stdin=io.BytesIO(body))
    else:
        raise HTTPException(
            415,
            f'send application/json ({{"urls": [...]}}) or application/x-ndjson, not {media or "no type"}',
        )
    return _result(report)
