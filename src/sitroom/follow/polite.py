"""Politeness towards the sites followed: robots.txt, spacing per host, backoff on errors.

Every request the follower makes (a feed, a page, an entry's page) goes through
:class:`PoliteFetcher`: robots.txt is read once per host (cached for
:data:`ROBOTS_TTL_S`) and honoured for sitroom's User-Agent, and two requests to one host
are at least ``host_spacing_s`` apart (or the host's ``Crawl-delay``, when longer).
The requests themselves are :func:`sitroom.ingest.fetch.fetch`'s: same address guard,
size cap and timeouts as ``sitroom ingest``.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from sitroom.errors import FetchError
from sitroom.ingest.fetch import Fetched, FetchPolicy, fetch

# robots.txt is read again after this long (RFC 9309 asks caches to keep it at most a day)
ROBOTS_TTL_S = 3600.0
# a failing source waits interval x 2^(errors-1), jittered up by at most this share, never more than MAX_BACKOFF_S
BACKOFF_JITTER = 0.5
MAX_BACKOFF_S = 6 * 3600.0
_STATUS = re.compile(r": HTTP (\d{3})\b")

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def backoff_delay(
    errors: int, interval_s: float, retry_after: float | None = None, rng: random.Random | None = None
) -> float:
    """Seconds until a source that failed ``errors`` times in a row is polled again:
    exponential in the errors from its interval, jittered (so followers and sources that
    failed together do not come back together), capped at :data:`MAX_BACKOFF_S` (or the
    interval, when longer), and never sooner than the server's ``Retry-After``."""
    base = min(max(MAX_BACKOFF_S, interval_s), interval_s * 2 ** max(errors - 1, 0))
    jittered = base * (1 + (rng or random).uniform(0, BACKOFF_JITTER))
    return max(jittered, retry_after or 0.0)


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: no robots.txt, everything allowed
    read_at: float


@dataclass
class PoliteFetcher:
    """``fetch`` with robots.txt honoured and requests to one host spaced out. Thread-safe."""

    policy: FetchPolicy
    host_spacing_s: float = 1.0
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    fetcher: Callable[..., Fetched] = fetch
    requests: int = 0  # every request made, robots.txt included
    bodies: int = 0  # answers that carried a body (not 304)
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, url: str, policy: FetchPolicy | None = None) -> Fetched:
        """GET a page or feed (the ``Fetcher`` of :class:`sitroom.ingest.sources.SourceOptions`)."""
        return self.get(url)

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` if robots.txt allows it, after the host's spacing; FetchError otherwise."""
        if not self.allowed(url):
            raise FetchError(f"{url}: robots.txt of {host_of(url)} disallows it for sitroom", code="robots")
        return self._request(url, headers)

    def _request(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        host = host_of(url)
        with self._lock:
            gap = max(self.host_spacing_s, self._crawl_delay(host))
            wait = self._last.get(host, float("-inf")) + gap - self.clock()
            # the slot is taken now, so a second thread waits for the one after it
            self._last[host] = self.clock() + max(wait, 0.0)
            self.requests += 1
        if wait > 0:
            self.sleep(wait)
        got = self.fetcher(url, self.policy, headers=headers) if headers else self.fetcher(url, self.policy)
        if not got.not_modified:
            self.bodies += 1
        return got

    def _crawl_delay(self, host: str) -> float:
        robots = self._robots.get(host)
        if robots is None or robots.parser is None:
            return 0.0
        delay = robots.parser.crawl_delay(self.policy.user_agent)
        return float(delay) if delay else 0.0

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets sitroom's User-Agent fetch ``url`` (read when
        not cached; none there, or a 4xx for it, allows everything). FetchError when the
        robots.txt cannot be read (unreachable, 5xx): the source is tried again later."""
        host = host_of(url)
        robots = self._robots.get(host)
        if robots is None or self.clock() - robots.read_at > ROBOTS_TTL_S:
            robots = self._robots[host] = _Robots(self._read_robots(host), self.clock())
        return robots.parser is None or robots.parser.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, host: str) -> RobotFileParser | None:
        try:
            got = self._request(f"{host}/robots.txt")
        except FetchError as exc:
            status = _STATUS.search(exc.message)
            if exc.code == "fetch-type" or (status and 400 <= int(status.group(1)) < 500):
                return None  # no robots.txt: everything allowed (RFC 9309, 2.3.1.3)
            raise FetchError(
                f"{host}/robots.txt cannot be read ({exc.message}); polled again later", code="robots"
            ) from exc
        parser = RobotFileParser()
        parser.parse(got.data.decode("utf-8", errors="replace").splitlines())
        return parser
