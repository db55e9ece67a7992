"""The web application: the REST API under ``/api``, the dashboard at ``/``, one process.

Everything it serves comes from this process: no CDN, no tile server. The Content Security
Policy says so to the browser too, so neither a script in an article nor a slip in the
dashboard can load or send anything elsewhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from sitroom.api.problems import install_problem_handlers
from sitroom.api.routes import articles, clusters, events, exports, ingest, monitor, outlets
from sitroom.pipeline import Sitroom

WEB = Path(__file__).resolve().parents[1] / "web"
STATIC = WEB / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(app: Sitroom) -> FastAPI:
    """The FastAPI application over one :class:`Sitroom` (its store and settings).

    The OpenAPI document is at ``/openapi.json``; the interactive docs pages are off because
    they load scripts from a CDN.
    """
    api = FastAPI(
        title="sitroom",
        version=version("sitroom"),
        summary="A sourced situation picture from conflict news reports: events with evidence and attribution.",
        docs_url=None,
        redoc_url=None,
    )
    api.state.sitroom = app
    install_problem_handlers(api)

    @api.middleware("http")
    async def _security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    for module in (events, articles, clusters, outlets, monitor, exports, ingest):
        api.include_router(module.router)

    api.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    @api.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    return api
