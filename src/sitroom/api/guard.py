"""What every request passes before a route reads its body: the bearer token of a write,
checked on the headers alone, and a cap on the body's size.

FastAPI reads and parses a route's body before it runs the route's dependencies, so a
client without the token could otherwise make the server hold a body of any size before
its 401; and ``await request.body()`` holds whatever arrives. Plain ASGI that wraps
``receive``: nothing is buffered here, and a body over its cap is not read past it.
"""

from __future__ import annotations

from collections.abc import Collection

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom.api.auth import bearer, check_token, role_needed
from sitroom.api.problems import problem
from sitroom.pipeline import Sitroom

# every other method writes, and every write endpoint needs a token of the role its path
# needs (require_token: admin; require_reviewer: reviewer, for the review paths)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestGuard:
    """Answers 401 to a write (any method but GET, HEAD, OPTIONS) without a configured token,
    and 403 to one whose token's role is too low for its path (``auth.role_needed``), before
    its body is read, and 413 to a body over ``max_body_bytes``
    (``max_ingest_body_bytes`` at ``ingest_paths``): at once when its ``Content-Length`` says
    so, else as soon as the bytes read pass the cap."""

    def __init__(self, app: ASGIApp, *, sitroom: Sitroom, ingest_paths: Collection[str]) -> None:
        self.app = app
        self.sitroom = sitroom
        self.ingest_paths = ingest_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.sitroom.settings
        request = Request(scope)  # its headers only: reading its body here would defeat the point
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        if scope["method"] not in READ_METHODS:
            try:
                check_token(settings, await bearer(request), role_needed(path))
            except HTTPException as exc:
                answer = problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))
                await answer(scope, receive, send)
                return
        if path in self.ingest_paths:
            cap, setting = settings.max_ingest_body_bytes, "max_ingest_body_bytes"
        else:
            cap, setting = settings.max_body_bytes, "max_body_bytes"
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                answer = problem(400, f"Content-Length {declared!r} is not a number of bytes")
                await answer(scope, receive, send)
                return
            if int(declared) > cap:
                await problem(413, _too_large(f"{int(declared):,} bytes", cap, setting))(scope, receive, send)
                return
        await self.app(scope, _capped(receive, cap, setting), send)


def _too_large(size: str, cap: int, setting: str) -> str:
    return f"request body of {size} is over the {cap:,}-byte cap (setting {setting})"


def _capped(receive: Receive, cap: int, setting: str) -> Receive:
    """``receive`` that raises 413 (answered by the problem handlers) once the body read
    passes ``cap`` bytes: a body sent without a Content-Length, or longer than it said."""
    read = 0

    async def receive_capped() -> Message:
        nonlocal read
        message = await receive()
        if message["type"] == "http.request":
            read += len(message.get("body", b""))
            if read > cap:
                raise HTTPException(413, _too_large(f"more than {cap:,} bytes", cap, setting))
        return message

    return receive_capped
