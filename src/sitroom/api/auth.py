"""The bearer token that guards the write endpoints (``Settings.api_token``)."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

bearer = HTTPBearer(auto_error=False, description="the token set as api_token (SITROOM_API_TOKEN)")
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def check_token(expected: str | None, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Raise 401 unless a token is configured and the request carries exactly it."""
    if not expected:
        raise HTTPException(
            401, "write endpoints are disabled: set api_token (SITROOM_API_TOKEN) to enable them", CHALLENGE
        )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "missing bearer token: send 'Authorization: Bearer <api_token>'", CHALLENGE)
    if not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(401, "wrong bearer token", CHALLENGE)


async def require_token(request: Request) -> None:
    """FastAPI dependency for write endpoints."""
    credentials = await bearer(request)
    check_token(request.app.state.sitroom.settings.api_token, credentials)
