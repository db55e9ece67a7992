"""Safe, polite HTTP fetching.

Every request: a clear User-Agent, connect/read timeouts, a cap on the body size (read as
a stream, so a huge response is cut off, not loaded), a cap on redirects (followed by hand
so each hop's address is checked), an allow-list of content types, and no requests to
loopback, private, link-local or otherwise non-public addresses unless the user passes
``--allow-private``.

Conditional GET (``headers`` with ``If-None-Match`` / ``If-Modified-Since``): a 304 answer
comes back as a :class:`Fetched` without a body, and every answer carries the validators
(ETag, Last-Modified) to send next time. 429 and 503 raise :class:`ServerBusy` with the
server's ``Retry-After`` in seconds.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from sitroom.errors import FetchError, ServerBusy

ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
)
REDIRECT_CODES = {301, 302, 303, 307, 308}
BUSY_CODES = {429, 503}


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    timeout: float = 20.0
    max_bytes: int = 25_000_000
    max_redirects: int = 5
    allow_private: bool = False


@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    data: bytes
    content_type: str | None
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server answered 304 to a conditional GET: nothing changed, no body."""
        return self.status == 304


def check_address(url: str, allow_private: bool) -> None:
    """Refuse URLs whose host resolves to a non-public address (unless allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"{url}: only http and https URLs can be fetched", code="fetch-scheme")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: no host in URL", code="fetch-url")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{url}: cannot resolve host {host!r} ({exc})", code="fetch-dns") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"{url}: host {host} resolves to non-public address {address}; pass --allow-private to fetch it",
                code="fetch-private",
            )


def _content_type(response: httpx.Response) -> str | None:
    value = response.headers.get("content-type")
    return value.split(";")[0].strip().lower() if value else None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header (seconds, or an HTTP date) as seconds from now; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def fetch(
    url: str,
    policy: FetchPolicy,
    client: httpx.Client | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET ``url`` under ``policy`` (``headers`` added to the request, e.g. the validators of a
    conditional GET); raise :class:`FetchError` with a one-line reason."""
    own = client is None
    client = client or httpx.Client(
        headers={
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
        },
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        trust_env=False,
    )
    try:
        current = url
        for _hop in range(policy.max_redirects + 1):
            check_address(current, policy.allow_private)
            try:
                with client.stream("GET", current, headers=headers) as response:
                    if response.status_code in REDIRECT_CODES and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
                    if response.status_code == 304:
                        return Fetched(str(response.url), b"", None, 304, etag, modified)
                    if response.status_code in BUSY_CODES:
                        wait = retry_after_seconds(response.headers.get("retry-after"))
                        raise ServerBusy(
                            f"{current}: HTTP {response.status_code}"
                            + (f" (retry after {wait:g} s)" if wait is not None else ""),
                            retry_after=wait,
                        )
                    if response.status_code >= 400:
                        raise FetchError(f"{current}: HTTP {response.status_code}", code="fetch-status")
                    ctype = _content_type(response)
                    if ctype and not ctype.startswith(ACCEPTED_TYPES):
                        raise FetchError(
                            f"{current}: content type {ctype} is not a page or feed", code="fetch-type"
                        )
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > policy.max_bytes:
                        raise FetchError(
                            f"{current}: {int(declared):,} bytes exceeds the {policy.max_bytes:,}-byte cap",
                            code="too-large",
                        )
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > policy.max_bytes:
                            raise FetchError(
                                f"{current}: more than the {policy.max_bytes:,}-byte cap", code="too-large"
                            )
                        chunks.append(chunk)
                    return Fetched(
                        str(response.url), b"".join(chunks), ctype, response.status_code, etag, modified
                    )
            except httpx.TimeoutException as exc:
                raise FetchError(
                    f"{current}: timed out after {policy.timeout:g} s", code="fetch-timeout"
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{current}: {exc.__class__.__name__}: {exc}", code="fetch-unreachable"
                ) from exc
        raise FetchError(f"{url}: more than {policy.max_redirects} redirects", code="fetch-redirects")
    finally:
        if own:
            client.close()
