"""Write endpoints (bearer token required): ``POST /api/ingest``."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sitroom.api.auth import require_token
from sitroom.api.deps import get_sitroom
from sitroom.api.problems import InvalidParameter
from sitroom.api.schemas import IngestRequest, IngestResult
from sitroom.pipeline import IngestReport, Sitroom

router = APIRouter(tags=["write"], dependencies=[Depends(require_token)])
PATH = "/api/ingest"  # its bodies are capped by max_ingest_body_bytes, not max_body_bytes
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
    PATH,
    response_model=IngestResult,
    summary="Ingest URLs or JSONL reports",
    openapi_extra=INGEST_BODY,
)
async def ingest(request: Request, sitroom: Annotated[Sitroom, Depends(get_sitroom)]) -> dict[str, Any]:
    """Ingest ``{"urls": [...]}`` (``http(s)://`` pages or feeds, fetched by the server; any other
    item, such as a path on the server, is refused with 422 and nothing is ingested) or a JSONL body
    (one report a line, as ``sitroom ingest -`` reads it). Rejected items are listed in
    ``errors`` and recorded in the store; the others are stored."""
    body = await request.body()  # at most max_ingest_body_bytes (sitroom.api.guard)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise InvalidParameter("urls", f'expected {{"urls": [...]}}: {exc}', where="body") from None
        try:
            urls = IngestRequest.model_validate(payload).urls
        except ValidationError as exc:
            # one error per refused item, located as FastAPI locates a body's own
            raise RequestValidationError(
                [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
            ) from None
        report = await run_in_threadpool(sitroom.ingest, urls)
    elif media in JSONL_TYPES:
        report = await run_in_threadpool(sitroom.ingest, ["-"], stdin=io.BytesIO(body))
    else:
        raise HTTPException(
            415,
            f'send application/json ({{"urls": [...]}}) or application/x-ndjson, not {media or "no type"}',
        )
    return _result(report)
