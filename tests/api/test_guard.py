"""The request guard: a write without the token is refused before its body is read, and
every body is capped (up front on its Content-Length, else while it streams)."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field, replace
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sitroom.api import create_app, routes
from sitroom.api.auth import require_reviewer, require_token
from sitroom.api.guard import READ_METHODS
from sitroom.config import Settings
from sitroom.errors import ConfigError
from sitroom.pipeline import Sitroom
from tests.api.conftest import TOKEN

AUTH = (b"authorization", f"Bearer {TOKEN}".encode())
CHUNK = 64 * 1024
JSON = (b"content-type", b"application/json")
NDJSON = (b"content-type", b"application/x-ndjson")


@dataclass
class Exchange:
    """One request driven through the ASGI app, its body produced on demand and counted."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0


def drive(
    api: FastAPI, method: str, path: str, headers: list[tuple[bytes, bytes]], size: int, chunk: bytes = b"x"
) -> Exchange:
    """Send ``size`` bytes of body (``chunk`` repeated) in 64 KiB messages, only as the app asks
    for them, and record how many it pulled."""
    seen = Exchange()
    data = (chunk * (CHUNK // len(chunk) + 1))[:CHUNK]

    async def receive() -> dict[str, Any]:
        if seen.pulled >= size:
            return {"type": "http.request", "body": b"", "more_body": False}
        piece = data[: min(CHUNK, size - seen.pulled)]
        seen.pulled += len(piece)
        return {"type": "http.request", "body": piece, "more_body": seen.pulled < size}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            seen.status = message["status"]
            seen.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            seen.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    anyio.run(api, scope, receive, send)
    return seen


@pytest.fixture
def api(sitroom: Sitroom) -> FastAPI:
    return create_app(sitroom)


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/api/outlets/x"), ("POST", "/api/watches"), ("POST", "/api/ingest"), ("POST", "/api/nowhere")],
)
@pytest.mark.parametrize("length", [None, 1_000_000_000], ids=["chunked", "content-length-1GB"])
@pytest.mark.parametrize("auth", [[], [(b"authorization", b"Bearer wrong")]], ids=["no-token", "wrong-token"])
def test_a_write_without_the_token_is_401_before_its_body_is_read(
    api: FastAPI, method: str, path: str, length: int | None, auth: list[tuple[bytes, bytes]]
) -> None:
    headers = [JSON, *auth] + ([(b"content-length", str(length).encode())] if length else [])
    seen = drive(api, method, path, headers, size=8_000_000)
    assert (seen.status, seen.pulled) == (401, 0)
    assert seen.headers["content-type"].startswith("application/problem+json")
    assert seen.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path", "media", "setting"),
    [
        ("PUT", "/api/outlets/x", JSON, "max_body_bytes"),
        ("POST", "/api/watches", JSON, "max_body_bytes"),
        ("POST", "/api/ingest", NDJSON, "max_ingest_body_bytes"),
    ],
)
def test_a_chunked_body_over_the_cap_is_413_and_not_read_past_it(
    sitroom: Sitroom, method: str, path: str, media: tuple[bytes, bytes], setting: str
) -> None:
    sitroom.settings = replace(sitroom.settings, **{setting: 200_000})
    seen = drive(create_app(sitroom), method, path, [media, AUTH], size=5_000_000, chunk=b"{}\n")
    assert seen.status == 413 and seen.pulled <= 200_000 + CHUNK
    assert f"200,000-byte cap (setting {setting})" in seen.body.decode()


@pytest.mark.parametrize(
    ("path", "setting", "cap"),
    [("/api/outlets/x", "max_body_bytes", 2_000_000), ("/api/ingest", "max_ingest_body_bytes", 25_000_000)],
)
def test_a_content_length_over_the_cap_is_413_before_any_byte_is_read(
    api: FastAPI, path: str, setting: str, cap: int
) -> None:
    headers = [JSON, AUTH, (b"content-length", str(cap + 1).encode())]
    seen = drive(api, "POST" if path == "/api/ingest" else "PUT", path, headers, size=cap + 1)
    assert (seen.status, seen.pulled) == (413, 0)
    assert (
        f"request body of {cap + 1:,} bytes is over the {cap:,}-byte cap (setting {setting})"
        in seen.body.decode()
    )


def test_bodies_within_the_caps_are_served_as_before(api: FastAPI) -> None:
    client = TestClient(api)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    graded = client.put("/api/outlets/Reuters", json={"reliability": "B", "notes": "n" * 2000}, headers=auth)
    assert graded.status_code == 200, graded.text
    # a JSONL upload over max_body_bytes but within max_ingest_body_bytes is read whole: its one
    # (unterminated) line of 3 MB is rejected as such
    line = b'{"text": "' + b"x" * 3_000_000 + b'"\n'
    ingested = client.post(
        "/api/ingest", content=line, headers={"Content-Type": "application/x-ndjson", **auth}
    )
    assert ingested.status_code == 200, ingested.text
    assert ingested.json()["rejected"] == 1 and "malformed JSON" in ingested.json()["errors"][0]
    assert client.get("/api/events").status_code == 200


def test_a_malformed_content_length_is_400(api: FastAPI) -> None:
    seen = drive(api, "PUT", "/api/outlets/x", [JSON, AUTH, (b"content-length", b"12abc")], size=12)
    assert (seen.status, seen.pulled) == (400, 0)


def test_every_write_endpoint_requires_the_token() -> None:
    """The guard refuses any method but GET, HEAD and OPTIONS without the token: true to the
    routes only while every one of them that writes requires the token too."""
    checked = 0
    for module in pkgutil.iter_modules(routes.__path__, routes.__name__ + "."):
        for route in importlib.import_module(module.name).router.routes:
            assert isinstance(route, APIRoute)
            writes = route.methods - READ_METHODS
            needs = any(d.call in (require_token, require_reviewer) for d in route.dependant.dependencies)
            assert bool(writes) == needs, f"{sorted(route.methods)} {route.path}"
            checked += bool(writes)
    assert checked >= 5


@pytest.mark.parametrize("name", ["max_body_bytes", "max_ingest_body_bytes"])
def test_body_caps_below_1024_bytes_are_refused(name: str) -> None:
    with pytest.raises(ConfigError, match=f"{name} must be at least 1024"):
        Settings().with_overrides({name: 100})
