"""Safe, polite HTTP fetching.

Every request: a clear User-Agent, connect/read timeouts, one deadline for the whole fetch
(resolving, connecting, every redirect and the body: a server trickling a byte a second is cut
off), a cap on the body size (read as a stream, so a huge response is cut off, not loaded), a
cap on redirects (followed by hand so each hop's address is checked), an allow-list of content
types, and no requests to loopback, private, link-local or otherwise non-public addresses
unless the user passes ``--allow-private``.

Each host is resolved once and the connection goes to the very addresses that were checked
(DNS rebinding cannot swap in a private address between the check and the connection); the
Host header, TLS SNI and certificate verification stay those of the host name. An IPv6 address
that carries an IPv4 one (IPv4-mapped or -compatible, NAT64, 6to4, Teredo, ISATAP) is judged
by the IPv4 address too.

Conditional GET (``headers`` with ``If-None-Match`` / ``If-Modified-Since``): a 304 answer
comes back as a :class:`Fetched` without a body, and every answer carries the validators
(ETag, Last-Modified) to send next time. 429 and 503 raise :class:`ServerBusy` with the
server's ``Retry-After`` in seconds.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import httpcore
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
# Whole-fetch budget: a 25 MB page at 1 MB/s, with room for DNS, TLS and a few redirects.
FETCH_DEADLINE = 30.0
# IPv6 prefixes whose last 32 bits are an IPv4 address (RFC 6052 NAT64 well-known and local-use
# prefixes, read as /96 as DNS64 synthesises them; RFC 4291 IPv4-compatible; RFC 2765
# IPv4-translated). IPv4-mapped, 6to4 and Teredo are decoded by ``ipaddress`` itself.
IPV4_SUFFIX_NETWORKS = tuple(
    ipaddress.IPv6Network(net) for net in ("64:ff9b::/96", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96")
)
ISATAP_IDS = (0x00005EFE, 0x02005EFE)  # RFC 5214: interface id 0:5efe:a.b.c.d (or 200:5efe:...)


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    timeout: float = 20.0
    max_bytes: int = 25_000_000
    max_redirects: int = 5
    allow_private: bool = False
    deadline: float = FETCH_DEADLINE
    """Seconds one fetch may take in all: resolving, connecting, redirects and the body."""


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


def embedded_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo, ISATAP)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo:
        found.extend(address.teredo)
    low = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in IPV4_SUFFIX_NETWORKS) or (int(address) >> 32) & 0xFFFFFFFF in ISATAP_IDS:
        found.append(low)
    return found


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address``, and every IPv4 address it carries, is a global unicast address."""
    return all(a.is_global and not a.is_multicast for a in (address, *embedded_ipv4(address)))


@dataclass
class _Deadline:
    """The time left to one fetch; every network wait is cut to it."""

    seconds: float
    end: float = field(init=False)

    def __post_init__(self) -> None:
        self.end = time.monotonic() + self.seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def clamp(self, timeout: float | None, timed_out: type[Exception]) -> float:
        """``timeout`` cut to the time left; ``timed_out`` raised when none is left."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise timed_out(f"the {self.seconds:g}-second fetch deadline passed")
        return left if timeout is None else min(timeout, left)


def _deadline_error(url: str, deadline: _Deadline) -> FetchError:
    return FetchError(
        f"{url}: no complete response within the {deadline.seconds:g}-second fetch deadline",
        code="fetch-deadline",
    )


def _getaddrinfo(url: str, host: str, port: int, deadline: _Deadline | None) -> list[Any]:
    """``socket.getaddrinfo``, given up on (in a daemon thread left to finish) at the deadline."""
    if deadline is None:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    answer: dict[str, Any] = {}

    def resolve() -> None:
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as exc:  # handed to the fetching thread below
            answer["error"] = exc

    worker = threading.Thread(target=resolve, name=f"sitroom-resolve-{host}", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline.end - time.monotonic()))
    if worker.is_alive():
        raise _deadline_error(url, deadline)
    if "error" in answer:
        raise answer["error"]
    return list(answer["infos"])


def check_address(url: str, allow_private: bool, deadline: _Deadline | None = None) -> tuple[str, ...]:
    """Resolve the host of ``url`` once; return its addresses, every one checked to be public
    (unless ``allow_private``). The fetch connects to these addresses and no others."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})", code="fetch-url") from exc
    if parsed.scheme not in {"http", "https"}:
        raise FetchError(f"{url}: only http and https URLs can be fetched", code="fetch-scheme")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise FetchError(f"{url}: no host in URL", code="fetch-url")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = _getaddrinfo(url, host, port, deadline)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{url}: cannot resolve host {host!r} ({exc})", code="fetch-dns") from exc
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"{url}: host {host!r} has no address", code="fetch-dns")
    if not allow_private:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%")[0])
            if not is_public(address):
                raise FetchError(
                    f"{url}: host {host} resolves to non-public address {address}; pass --allow-private to fetch it",
                    code="fetch-private",
                )
    return addresses


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake is cut to the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # the handshake verifies the certificate for server_hostname: the URL's host, not the IP
        budget = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, budget), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects a host only to the addresses :func:`check_address` returned for it (``pins``)."""

    def __init__(self, pins: dict[str, tuple[str, ...]], deadline: _Deadline) -> None:
        self._pins = pins
        self._deadline = deadline
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get(host)
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not resolved and checked before connecting")
        failure: Exception | None = None
        for address in addresses:
            budget = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._backend.connect_tcp(address, port, budget, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert failure is not None
        raise failure


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over :class:`_PinnedBackend` (httpx takes no network backend itself)."""

    def __init__(self, backend: _PinnedBackend) -> None:
        context = httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=context, trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=backend)


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


def fetch(url: str, policy: FetchPolicy, *, headers: Mapping[str, str] | None = None) -> Fetched:
    """GET ``url`` under ``policy`` (``headers`` added to the request, e.g. the validators of a
    conditional GET); raise :class:`FetchError` with a one-line reason."""
    deadline = _Deadline(policy.deadline)
    pins: dict[str, tuple[str, ...]] = {}
    with httpx.Client(
        headers={
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
        },
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        trust_env=False,
        transport=_PinnedTransport(_PinnedBackend(pins, deadline)),
    ) as client:
        current = url
        for _hop in range(policy.max_redirects + 1):
            pins[httpx.URL(current).raw_host.decode("ascii")] = check_address(
                current, policy.allow_private, deadline
            )
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
                if deadline.passed():
                    raise _deadline_error(current, deadline) from exc
                raise FetchError(
                    f"{current}: timed out after {policy.timeout:g} s", code="fetch-timeout"
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{current}: {exc.__class__.__name__}: {exc}", code="fetch-unreachable"
                ) from exc
        raise FetchError(f"{url}: more than {policy.max_redirects} redirects", code="fetch-redirects")
