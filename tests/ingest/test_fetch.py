"""Fetching is safe and polite: checked against a real HTTP server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.errors import FetchError
from sitroom.ingest.fetch import FetchPolicy, check_address, fetch

SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        routes = {
            "/page": (200, "text/html; charset=utf-8", b"<html><body><p>Report</p></body></html>"),
            "/image": (200, "image/png", b"\x89PNG"),
            "/big": (200, "text/html", b"x" * 50_000),
            "/missing": (404, "text/html", b"not here"),
        }
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/hop":
            self.send_response(301)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        status, ctype, body = routes.get(self.path, (404, "text/plain", b""))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if self.path != "/big":  # let the cap work on the stream, not on the header
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def policy(**kw: object) -> FetchPolicy:
    base = {
        "user_agent": "sitroom-test/1",
        "timeout": 5.0,
        "max_bytes": 10_000,
        "max_redirects": 3,
        "allow_private": True,
    }
    base.update(kw)
    return FetchPolicy(**base)  # type: ignore[arg-type]


def test_fetches_a_page_with_our_user_agent_and_follows_redirects(server: str) -> None:
    got = fetch(f"{server}/hop", policy())
    assert got.url == f"{server}/page" and got.content_type == "text/html" and b"Report" in got.data
    assert SEEN_AGENTS[-1] == "sitroom-test/1"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/image", "fetch-type"),
        ("/big", "too-large"),
        ("/missing", "fetch-status"),
        ("/loop", "fetch-redirects"),
    ],
)
def test_refusals_name_the_url_and_reason(server: str, path: str, code: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}{path}", policy())
    assert caught.value.code == code
    assert server in caught.value.message


def test_loopback_is_refused_unless_allowed(server: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/page", policy(allow_private=False))
    assert caught.value.code == "fetch-private" and "--allow-private" in caught.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/x",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest",
        "http://[::1]/",
        "http://localhost/",
    ],
)
def test_private_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_address(url, allow_private=False)
    assert caught.value.code == "fetch-private"


def test_unreachable_host_is_a_fetch_error() -> None:
    with pytest.raises(FetchError) as caught:
        fetch("http://127.0.0.1:9/nothing", policy(timeout=2.0))
    assert caught.value.code in {"fetch-unreachable", "fetch-timeout"}


def test_other_schemes_are_refused() -> None:
    with pytest.raises(FetchError):
        check_address("file:///etc/passwd", allow_private=True)
