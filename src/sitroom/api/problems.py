"""Errors as ``application/problem+json`` (RFC 9457): ``type``, ``title``, ``status``, ``detail``.

Every error the API answers goes through here: HTTP errors raised by routes, request
validation errors (422, with the offending fields under ``errors``), sitroom's domain
errors (by their ``code``) and anything unexpected (500, without internals).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom.errors import (
    ConfigError,
    EventNotFound,
    InputError,
    ReviewError,
    SitroomError,
    SourceError,
    StoreError,
)

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE = "urn:sitroom:problem:"
log = logging.getLogger(__name__)

# the HTTP status each domain error kind answers with
DOMAIN_STATUS: dict[type[SitroomError], int] = {
    SourceError: 400,
    InputError: 400,
    ConfigError: 500,
    StoreError: 503,
    EventNotFound: 404,  # before ReviewError: the first kind that matches answers
    ReviewError: 422,
}


class InvalidParameter(ValueError):
    """A query parameter that passed type checks but means nothing (answered 422, like validation)."""

    def __init__(self, name: str, message: str, where: str = "query") -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.where = where


def problem(
    status: int, detail: str, *, kind: str | None = None, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """A problem document response."""
    body = {
        "type": PROBLEM_TYPE + kind if kind else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _status_of(exc: SitroomError) -> int:
    for kind, status in DOMAIN_STATUS.items():
        if isinstance(exc, kind):
            return status
    return 500


def install_problem_handlers(api: FastAPI) -> None:
    """Answer every error of ``api`` with a problem document."""

    @api.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).description
        return problem(exc.status_code, detail, headers=dict(exc.headers or {}))

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, f"invalid request: {where}", kind="validation", errors=errors)

    @api.exception_handler(InvalidParameter)
    async def _bad_parameter(_request: Request, exc: InvalidParameter) -> JSONResponse:
        errors = [{"loc": [exc.where, exc.name], "msg": str(exc), "type": "value_error"}]
        return problem(422, f"invalid request: {exc}", kind="validation", errors=errors)

    @api.exception_handler(SitroomError)
    async def _domain(_request: Request, exc: SitroomError) -> JSONResponse:
        return problem(_status_of(exc), exc.message, kind=exc.code)

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "unexpected server error; the server log has the details", kind="internal")
