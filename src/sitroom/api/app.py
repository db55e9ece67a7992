"""The web application: the REST API under ``/api``, the dashboard at ``/``.

``sitroom serve --workers N`` runs it in N processes (each builds its own with
:func:`create_worker_app`); one is the default.

Everything it serves comes from this process: no CDN, no tile server. The Content Security
Policy says so to the browser too, so neither a script in an article nor a slip in the
dashboard can load or send anything elsewhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anyio import CapacityLimiter
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom.api.cache import DEFAULT_CACHE_MB, QuickAnswers, ResponseCache, SharedAnswers, store_generation
from sitroom.api.guard import RequestGuard
from sitroom.api.problems import install_problem_handlers
from sitroom.api.routes import (
    articles,
    clusters,
    events,
    exports,
    ingest,
    monitor,
    outlets,
    places,
    sources,
    summary,
)
from sitroom.config import Settings
from sitroom.pipeline import Sitroom

if TYPE_CHECKING:
    from sitroom.follow.background import BackgroundFollower

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
# what `sitroom serve --workers N` hands its worker processes (see worker_environment)
WORKER_ENV = "_SITROOM_SERVE"


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself
    (plain ASGI: a fraction of the cost of an ``@app.middleware("http")`` function)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Threads of one server process reading the store for the event endpoints at once. More
# only contend for the interpreter: 50 clients on 2 processes (2 cores, bench/api_load.py,
# uncached lists of 100 events) were served 650-820 requests/s with p95 118-167 ms by the
# 40 threads the other endpoints share, and 1,000-1,040 requests/s with p95 69-73 ms by 4
# (1: 870-1,050 requests/s, p95 74-85 ms; 8: 810-1,000, p95 81-104 ms). Ingest, exports
# and monitoring keep the shared threads, so a long ingest does not hold up the event reads.
READ_THREADS = 4


def create_app(
    app: Sitroom,
    cache_mb: int = DEFAULT_CACHE_MB,
    shared_cache: str | None = None,
    follower: BackgroundFollower | None = None,
) -> FastAPI:
    """The FastAPI application over one :class:`Sitroom` (its store and settings).

    The event endpoints keep up to ``cache_mb`` MB of answers until the store changes
    (:mod:`sitroom.api.cache`; 0 turns that off), shared with the server's other processes
    through the SQLite file ``shared_cache`` when given. The OpenAPI document is at
    ``/openapi.json``; the interactive docs pages are off because they load scripts from a CDN.
    """
    api = FastAPI(
        title="sitroom",
        version=version("sitroom"),
        summary="A sourced situation picture from conflict news reports: events with evidence and attribution.",
        docs_url=None,
        redoc_url=None,
    )
    api.state.sitroom = app
    app.store.read_mostly()
    shared = SharedAnswers(shared_cache, cache_mb * 1_000_000) if shared_cache and cache_mb > 0 else None
    cache = ResponseCache(
        store_generation(app.store.engine) if cache_mb > 0 else None, cache_mb * 1_000_000, shared
    )
    api.state.response_cache = cache
    # a process's first look at the store moves the shared epoch (see sitroom.api.cache): take
    # it at start-up, not at a first request that would empty what the other processes kept
    api.router.on_startup.append(cache.stamp)
    if follower is not None:  # sitroom serve --follow: polls beside the API, stopped with it
        api.router.on_startup.append(follower.start)
        api.router.on_shutdown.append(follower.stop)
    # the event endpoints read the store in at most this many threads at once (the others
    # wait their turn): see READ_THREADS
    api.state.store_reads = CapacityLimiter(READ_THREADS)
    install_problem_handlers(api)
    # the last added is the outermost. The guard (token and body cap) is innermost: the kept
    # answers, GETs whose bodies nothing reads, skip it
    api.add_middleware(RequestGuard, sitroom=app, ingest_paths={ingest.PATH})
    # kept answers get the security headers too
    api.add_middleware(
        QuickAnswers,
        cache=cache,
        reads=api.state.store_reads,
        plain=lambda path, query: events.plain_answer(app, path, query),
    )
    api.add_middleware(SecurityHeaders)

    for module in (events, summary, articles, clusters, outlets, monitor, exports, ingest, sources, places):
        api.include_router(module.router)

    api.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    @api.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    return api


def worker_environment(settings: Settings, cache_mb: int, shared_cache: str | None = None) -> dict[str, str]:
    """The environment variable that tells :func:`create_worker_app` what to serve."""
    return {
        WORKER_ENV: json.dumps(
            {"settings": asdict(settings), "cache_mb": cache_mb, "shared_cache": shared_cache}
        )
    }


def create_worker_app() -> FastAPI:
    """The application of one ``sitroom serve --workers N`` process (a uvicorn factory), built
    from the settings the ``serve`` command resolved and passed in :data:`WORKER_ENV`."""
    given: dict[str, Any] = json.loads(os.environ[WORKER_ENV])
    return create_app(
        Sitroom(Settings().with_overrides(given["settings"])),
        cache_mb=given["cache_mb"],
        shared_cache=given.get("shared_cache"),
    )
