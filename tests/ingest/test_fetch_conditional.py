"""Conditional GET and busy servers, against a real HTTP server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.errors import ServerBusy
from sitroom.ingest.fetch import FetchPolicy, fetch, retry_after_seconds

BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
ETAG = '"v1"'
MODIFIED = "Sun, 06 Dec 2026 10:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/busy":
            self.send_response(429)
            self.send_header("Retry-After", "120")
            self.end_headers()
            return
        if self.path == "/down":
            self.send_response(503)
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == MODIFIED:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", MODIFIED)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


POLICY = FetchPolicy(user_agent="sitroom-test/1", timeout=5.0, max_bytes=10_000, allow_private=True)


def test_a_first_get_returns_the_validators_and_a_conditional_get_is_answered_304(server: str) -> None:
    first = fetch(f"{server}/feed", POLICY)
    assert (first.status, first.etag, first.last_modified, first.data) == (200, ETAG, MODIFIED, BODY)
    assert not first.not_modified
    again = fetch(f"{server}/feed", POLICY, headers={"If-None-Match": ETAG})
    assert again.not_modified and again.data == b"" and again.etag == ETAG
    by_date = fetch(f"{server}/feed", POLICY, headers={"If-Modified-Since": MODIFIED})
    assert by_date.not_modified


@pytest.mark.parametrize(("path", "wait"), [("/busy", 120.0), ("/down", None)])
def test_429_and_503_raise_server_busy_with_the_retry_after(
    server: str, path: str, wait: float | None
) -> None:
    with pytest.raises(ServerBusy) as caught:
        fetch(f"{server}{path}", POLICY)
    assert caught.value.retry_after == wait and caught.value.code == "fetch-busy"
    assert caught.value.message.startswith(f"{server}{path}: HTTP")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("30", 30.0), ("Sun, 06 Dec 2026 10:01:00 GMT", 60.0), ("soon", None), (None, None), ("", None)],
)
def test_retry_after_reads_seconds_and_http_dates(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=datetime(2026, 12, 6, 10, 0, tzinfo=UTC)) == seconds
