"""A local HTTP server of feeds and pages that change while a test runs (loopback only)."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from sitroom.config import load_settings
from sitroom.models import Analysis, Article, Reading
from sitroom.pipeline import Sitroom

PLACES = ["Ariha", "Idlib", "Aleppo", "Homs", "Hama", "Raqqa", "Deir ez-Zor", "Daraa"]


def report_text(feed: str, number: int) -> str:
    """A report long enough to be read inline (feeds.MIN_INLINE_CHARS), different for each item."""
    place = PLACES[number % len(PLACES)]
    return (
        f"Report {number} of {feed}. Shelling hit the market in {place} on Thursday, killing {number + 2} "
        "civilians, local officials said. Rescue workers searched the rubble through the night while "
        "families waited outside the hospital for news of relatives. " * 4
    )


@dataclass
class Feed:
    """One feed: its items (newest last), or an error status it answers with for now."""

    items: list[int] = field(default_factory=list)
    inline: bool = True  # entries carry their text; else they link a page each
    fail: int | None = None
    retry_after: str | None = None


class FeedServer:
    """Serves /feed/<name>.xml (RSS 2.0 with ETag and Last-Modified, 304 to a matching
    conditional GET), /page/<name>/<n>.html and /robots.txt; counts every request and 304."""

    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self.robots = ""
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.base = ""

    def url(self, name: str) -> str:
        return f"{self.base}/feed/{name}.xml"

    def rss(self, name: str) -> bytes:
        feed = self.feeds[name]
        entries = []
        for n in reversed(feed.items):
            link = f"{self.base}/page/{name}/{n}.html"
            body = (
                f"<description>{escape('<p>' + report_text(name, n) + '</p>')}</description>"
                if feed.inline
                else ""
            )
            entries.append(
                f"<item><title>Report {n} of {name}</title><link>{link}</link>"
                f"<guid>{name}-{n}</guid><pubDate>Thu, 03 Dec 2026 10:00:00 GMT</pubDate>{body}</item>"
            )
        return (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name} news</title>"
            f"<link>{self.base}/</link>{''.join(entries)}</channel></rss>"
        ).encode()

    def answer(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests[path] += 1
            if path == "/robots.txt":
                return (
                    (200, {"Content-Type": "text/plain"}, self.robots.encode())
                    if self.robots
                    else (404, {}, b"")
                )
            if path.startswith("/page/"):
                _, _, name, number = path.split("/")
                if not number.endswith(".html"):
                    return 404, {}, b""
                n = int(number.removesuffix(".html"))
                html = f"<html><head><title>Report {n}</title></head><body><article><p>{report_text(name, n)}</p></article></body></html>"
                return 200, {"Content-Type": "text/html; charset=utf-8"}, html.encode()
            name = path.removeprefix("/feed/").removesuffix(".xml")
            feed = self.feeds.get(name)
            if feed is None:
                return 404, {}, b""
            if feed.fail:
                return feed.fail, ({"Retry-After": feed.retry_after} if feed.retry_after else {}), b""
            body = self.rss(name)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if headers.get("If-None-Match"):
                self.conditional[path] += 1
            if headers.get("If-None-Match") == etag:
                self.not_modified[path] += 1
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, body


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    feeds = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, headers, body = feeds.answer(self.path, self.headers)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    feeds.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield feeds
    finally:
        httpd.shutdown()
        httpd.server_close()


class FakeParser:
    """Stands in for the NLP model: the follower's tests are about what is fetched and stored."""

    def parse(self, texts: Any, batch_size: int) -> Any:
        return iter(list(texts))


def no_analysis(doc: Any, article: Article, resources: Any, outlets: Any) -> Analysis:
    return Analysis(Reading(article.id, ()))


def make_sitroom(db: str, **settings: Any) -> Sitroom:
    """A Sitroom on ``db`` that fetches from loopback and reads without the NLP model
    (the caller patches ``stages.analyze_article`` with :func:`no_analysis`)."""
    app = Sitroom(load_settings({}, overrides={"db": db, "allow_private": True, **settings}))
    app.__dict__["resources"] = type("Resources", (), {"parser": FakeParser()})()
    return app
