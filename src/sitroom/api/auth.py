"""The bearer tokens that guard the write endpoints, with their roles (settings ``tokens``
and ``api_token``, see :func:`sitroom.config.api_tokens`).

A review action (``POST /api/events/{id}/review``) needs the ``reviewer`` role or above;
every other write (ingest, outlets, watches, sources) needs ``admin``. A request without a
token, or with one that is not configured, answers 401; a token whose role is too low, 403.
"""

from __future__ import annotations

import re

from fastapi import HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sitroom.config import ApiToken, Settings, api_tokens, identify

bearer = HTTPBearer(
    auto_error=False,
    description="a token of setting tokens (name:role:token) or api_token (SITROOM_API_TOKEN)",
)
CHALLENGE = {"WWW-Authenticate": "Bearer"}
# the write paths a reviewer may use; every other write is an admin's
REVIEW_PATH = re.compile(r"/api/events/[^/]+/review")


def role_needed(path: str) -> str:
    """The least role a write to ``path`` needs."""
    return "reviewer" if REVIEW_PATH.fullmatch(path) else "admin"


def check_token(settings: Settings, credentials: HTTPAuthorizationCredentials | None, role: str) -> ApiToken:
    """The configured token the request carries, if its role is ``role`` or above; else
    401 (no token configured, none sent, or not a configured one) or 403 (role too low)."""
    if not api_tokens(settings):
        raise HTTPException(
            401,
            "write endpoints are disabled: set api_token (SITROOM_API_TOKEN) or tokens to enable them",
            CHALLENGE,
        )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "missing bearer token: send 'Authorization: Bearer <token>'", CHALLENGE)
    token = identify(settings, credentials.credentials)
    if token is None:
        raise HTTPException(401, "wrong bearer token", CHALLENGE)
    if not token.allows(role):
        raise HTTPException(403, f"token {token.name!r} has role {token.role}; this needs {role} or above")
    return token


async def require_token(request: Request) -> None:
    """FastAPI dependency of the admin's write endpoints."""
    check_token(request.app.state.sitroom.settings, await bearer(request), "admin")


async def require_reviewer(request: Request) -> ApiToken:
    """FastAPI dependency of the review endpoints: the reviewer's token (its name is logged)."""
    return check_token(request.app.state.sitroom.settings, await bearer(request), "reviewer")
