"""The fetch guard's harder cases: IPv4 inside IPv6, DNS rebinding, TLS to a pinned address, and
the whole-fetch deadline, against real servers on loopback started here."""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from sitroom.errors import FetchError
from sitroom.ingest.fetch import FetchPolicy, check_address, embedded_ipv4, fetch, is_public

PAGE = b"<html><body><p>Report</p></body></html>"
TRICKLE_BYTES = 40
TRICKLE_PAUSE = 0.1  # a whole trickled answer takes 4 s; the deadline in these tests is 1 s


class Handler(BaseHTTPRequestHandler):
    seen_hosts: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen_hosts.append(self.headers.get("Host", ""))
        try:
            if self.path == "/gzip-bomb":  # 50 MB of zeros in about 50 kB
                body = gzip.compress(bytes(50_000_000), compresslevel=9)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if self.path == "/trickle-head":
                head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: {'x' * TRICKLE_BYTES}\r\n"
                for byte in head.encode():
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(TRICKLE_PAUSE)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if self.path == "/trickle-body":
                self.end_headers()
                for _ in range(TRICKLE_BYTES):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(TRICKLE_PAUSE)
                return
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        except OSError:  # the client gave up
            pass


def serve(address: str, context: ssl.SSLContext | None = None) -> tuple[ThreadingHTTPServer, int]:
    httpd = ThreadingHTTPServer((address, 0), Handler)
    httpd.daemon_threads = True
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, httpd.server_address[1]


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd, bound = serve("127.0.0.1")
    yield bound
    httpd.shutdown()


def policy(**kw: Any) -> FetchPolicy:
    base: dict[str, Any] = {"user_agent": "sitroom-test/1", "timeout": 5.0, "max_bytes": 10_000}
    return FetchPolicy(**{**base, "allow_private": True, **kw})


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[list[str]]]) -> dict[str, int]:
    """Resolve the names in ``answers`` to their next answer (the last one repeats); count the calls."""
    real = socket.getaddrinfo
    calls = dict.fromkeys(answers, 0)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kw: Any) -> Any:
        if host not in answers:
            return real(host, port, *args, **kw)
        sequence = answers[host]
        addresses = sequence[min(calls[host], len(sequence) - 1)]
        calls[host] += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


# IPv6 forms that carry a loopback, private or link-local IPv4 address
EMBEDDED = [
    ("::ffff:127.0.0.1", "IPv4-mapped"),
    ("::ffff:0:a00:1", "IPv4-translated 10.0.0.1"),
    ("::127.0.0.1", "IPv4-compatible"),
    ("::10.0.0.1", "IPv4-compatible"),
    ("64:ff9b::7f00:1", "NAT64 well-known prefix, 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 well-known prefix, 169.254.169.254"),
    ("64:ff9b:1::c0a8:101", "NAT64 local-use prefix, 192.168.1.1"),
    ("2002:7f00:1::1", "6to4, 127.0.0.1"),
    ("2002:a9fe:a9fe::", "6to4, 169.254.169.254"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, client 127.0.0.1"),
    ("2600::5efe:a00:1", "ISATAP, 10.0.0.1"),
]


@pytest.mark.parametrize(("address", "form"), EMBEDDED)
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(address: str, form: str) -> None:
    assert not is_public(ipaddress.ip_address(address)), form
    with pytest.raises(FetchError) as caught:
        check_address(f"http://[{address}]/", allow_private=False)
    assert caught.value.code == "fetch-private" and "--allow-private" in caught.value.message


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "2600::1", "8.8.8.8"])
def test_public_addresses_and_their_ipv6_forms_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_embedded_ipv4_decodes_each_form() -> None:
    assert embedded_ipv4(ipaddress.ip_address("64:ff9b::7f00:1")) == [ipaddress.IPv4Address("127.0.0.1")]
    assert ipaddress.IPv4Address("127.0.0.1") in embedded_ipv4(ipaddress.ip_address(EMBEDDED[9][0]))
    assert embedded_ipv4(ipaddress.ip_address("2002:c0a8:101::1")) == [ipaddress.IPv4Address("192.168.1.1")]
    assert embedded_ipv4(ipaddress.ip_address("2600::1")) == []


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"mixed.test": [["8.8.8.8", "127.0.0.1"]]})
    with pytest.raises(FetchError) as caught:
        check_address("http://mixed.test/", allow_private=False)
    assert caught.value.code == "fetch-private" and "127.0.0.1" in caught.value.message


class Internal(Handler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        super().do_GET()


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(
    monkeypatch: pytest.MonkeyPatch, port: int
) -> None:
    """DNS rebinding: the name answers a public address to the check and an internal one after.
    127.0.0.1 plays the public address here; 127.0.0.2, on the same port, the internal service."""
    internal = ThreadingHTTPServer(("127.0.0.2", port), Internal)
    threading.Thread(target=internal.serve_forever, daemon=True).start()
    is_global = ipaddress.IPv4Address.is_global
    monkeypatch.setattr(
        ipaddress.IPv4Address,
        "is_global",
        property(lambda a: str(a) == "127.0.0.1" or is_global.fget(a)),  # type: ignore[attr-defined]
    )
    calls = fake_dns(monkeypatch, {"news.test": [["127.0.0.1"], ["127.0.0.2"]]})
    Handler.seen_hosts.clear()
    try:
        got = fetch(f"http://news.test:{port}/page", policy(allow_private=False))
    finally:
        internal.shutdown()
        internal.server_close()
    assert Internal.hits == [] and got.data == PAGE and calls["news.test"] == 1
    assert Handler.seen_hosts == [f"news.test:{port}"]  # one request, its Host header the name


def test_a_name_never_checked_is_not_connected(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    """A redirect's host is resolved and checked too before any connection to it."""
    fake_dns(monkeypatch, {"inside.test": [["10.1.2.3"]]})
    with pytest.raises(FetchError) as caught:
        check_address(f"http://inside.test:{port}/", allow_private=False)
    assert caught.value.code == "fetch-private" and "10.1.2.3" in caught.value.message


@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-head"])
def test_a_trickling_server_is_cut_off_at_the_deadline(port: int, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}{path}", policy(deadline=1.0))
    elapsed = time.monotonic() - started
    assert caught.value.code == "fetch-deadline" and "1-second fetch deadline" in caught.value.message
    assert f"127.0.0.1:{port}{path}" in caught.value.message
    assert elapsed < 1.0 + 1.5, elapsed  # one trickle pause past the deadline at most, with slack


def test_slow_name_resolution_counts_against_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*_args: Any, **_kw: Any) -> Any:
        time.sleep(3)
        raise socket.gaierror("too late")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch("http://slow-dns.test/", policy(deadline=0.5))
    assert caught.value.code == "fetch-deadline" and time.monotonic() - started < 2.0


def test_a_gzip_bomb_is_cut_at_the_size_cap_while_inflating(port: int) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/gzip-bomb", policy(max_bytes=1_000_000))
    assert caught.value.code == "too-large"


def test_a_fetch_within_the_deadline_succeeds(port: int) -> None:
    assert fetch(f"http://127.0.0.1:{port}/page", policy(deadline=5.0)).data == PAGE


def _certificate(tmp: Path, name: str) -> tuple[Path, Path]:
    key, cert = tmp / f"{name}.key", tmp / f"{name}.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.fixture
def tls_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], tuple[int, list]]]:
    """An HTTPS server on 127.0.0.1 with a certificate for the given name, which the client trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    started: list[ThreadingHTTPServer] = []

    def start(name: str) -> tuple[int, list]:
        key, cert = _certificate(tmp_path, name)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        names: list[str | None] = []
        context.sni_callback = lambda _sock, sni, _ctx: names.append(sni)  # type: ignore[assignment,func-returns-value]
        httpd, bound = serve("127.0.0.1", context)
        started.append(httpd)
        monkeypatch.setattr(
            httpx, "create_ssl_context", lambda **_kw: ssl.create_default_context(cafile=str(cert))
        )
        return bound, names

    yield start
    for httpd in started:
        httpd.shutdown()


def test_tls_to_the_pinned_address_checks_the_certificate_for_the_host_name(
    monkeypatch: pytest.MonkeyPatch, tls_server: Callable[[str], tuple[int, list]]
) -> None:
    bound, names = tls_server("news.test")
    fake_dns(monkeypatch, {"news.test": [["127.0.0.1"]], "elsewhere.test": [["127.0.0.1"]]})
    got = fetch(f"https://news.test:{bound}/page", policy())
    assert got.data == PAGE and names == ["news.test"]  # SNI is the name, not the address
    with pytest.raises(FetchError) as caught:  # a certificate for another name is refused
        fetch(f"https://elsewhere.test:{bound}/page", policy())
    assert caught.value.code == "fetch-unreachable" and "CERTIFICATE_VERIFY_FAILED" in caught.value.message
