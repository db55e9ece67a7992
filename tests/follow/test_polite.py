"""Per-host spacing and robots.txt caching of the follower's fetcher (a fake clock, no network)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from sitroom.errors import FetchError
from sitroom.follow.polite import PoliteFetcher
from sitroom.ingest.fetch import Fetched, FetchPolicy

POLICY = FetchPolicy(user_agent="sitroom-test/1")


class FakeWeb:
    """Answers from a table of URL -> (status, body); records requests and the sleeps asked for."""

    def __init__(self, pages: Mapping[str, tuple[int, bytes]]) -> None:
        self.pages = dict(pages)
        self.now = 0.0
        self.slept: list[float] = []
        self.asked: list[str] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds

    def fetch(self, url: str, policy: FetchPolicy, headers: Mapping[str, str] | None = None) -> Fetched:
        self.asked.append(url)
        status, body = self.pages.get(url, (404, b""))
        if status >= 400:
            raise FetchError(f"{url}: HTTP {status}", code="fetch-status")
        return Fetched(url, body, "text/plain", status)


def polite(web: FakeWeb, spacing: float = 1.0) -> PoliteFetcher:
    return PoliteFetcher(POLICY, spacing, clock=web.clock, sleep=web.sleep, fetcher=web.fetch)


def test_requests_to_one_host_are_spaced_and_other_hosts_do_not_wait() -> None:
    web = FakeWeb(
        {
            "https://a.example/1": (200, b"x"),
            "https://a.example/2": (200, b"y"),
            "https://b.example/1": (200, b"z"),
        }
    )
    fetcher = polite(web, spacing=2.0)
    fetcher.get("https://a.example/1")  # robots.txt (404: all allowed), then the page: 2 s apart
    fetcher.get("https://b.example/1")  # another host: its robots.txt at once, then 2 s
    fetcher.get("https://a.example/2")
    assert web.asked == [
        "https://a.example/robots.txt", "https://a.example/1",
        "https://b.example/robots.txt", "https://b.example/1", "https://a.example/2",
    ]  # fmt: skip
    assert web.slept == [2.0, 2.0]  # a's page after its robots.txt, b's after its own; a/2 was due by then
    assert fetcher.requests == 5 and fetcher.bodies == 3


def test_robots_txt_is_read_once_per_host_and_its_crawl_delay_widens_the_spacing() -> None:
    robots = b"User-agent: *\nCrawl-delay: 5\nDisallow: /private\n"
    web = FakeWeb({"https://a.example/robots.txt": (200, robots), "https://a.example/feed": (200, b"f")})
    fetcher = polite(web, spacing=1.0)
    fetcher.get("https://a.example/feed")
    fetcher.get("https://a.example/feed")
    with pytest.raises(FetchError, match="disallows") as refused:
        fetcher.get("https://a.example/private/feed")
    assert refused.value.code == "robots"
    assert web.asked.count("https://a.example/robots.txt") == 1
    assert "https://a.example/private/feed" not in web.asked
    assert web.slept == [5.0, 5.0]


def test_a_robots_txt_that_cannot_be_read_is_an_error_to_retry_later() -> None:
    web = FakeWeb({"https://a.example/robots.txt": (500, b""), "https://a.example/feed": (200, b"f")})
    with pytest.raises(FetchError, match=r"HTTP 500.*polled again later") as failed:
        polite(web).get("https://a.example/feed")
    assert failed.value.code == "robots"
    assert web.asked == ["https://a.example/robots.txt"]
