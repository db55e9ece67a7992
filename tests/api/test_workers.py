"""``sitroom serve --workers N``: a listening socket per process, spread by the kernel, and a
supervisor that replaces a worker that dies on the same socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sitroom.api.workers import balanced, listening_sockets
from sitroom.store import open_store

pytestmark = pytest.mark.skipif(
    not balanced(), reason="the kernel spreads connections over sockets on Linux only"
)


def test_connections_are_spread_over_the_sockets_of_one_port() -> None:
    first, second = sockets = listening_sockets("127.0.0.1", 0, 2)
    port = first.getsockname()[1]
    assert second.getsockname()[1] == port
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]  # distinct source ports
    try:
        time.sleep(0.1)
        accepted = []
        for sock in sockets:
            sock.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        # each client lands on one socket; all on one would be 2 chances in 2**40
        assert sum(accepted) == 40 and min(accepted) > 0, accepted
    finally:
        for sock in [*clients, *sockets]:
            sock.close()


def test_a_taken_port_is_one_line_and_a_failed_status(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sitroom",
                "serve",
                "--db",
                f"sqlite:///{tmp_path / 'x.db'}",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(f"Error: cannot listen on 127.0.0.1:{port}")


def _children(pid: int) -> set[int]:
    """Worker processes of the server (its children started by multiprocessing's spawn)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    open_store(url).close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "sitroom", "serve", "--db", url, "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(_children(process.pid)) < 2 or not _answers_all(port, 4):
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=60)


def _answers_all(port: int, clients: int, timeout: float = 2) -> bool:
    """Whether ``clients`` fresh connections (spread over the workers' sockets) all get an answer."""
    try:
        for _ in range(clients):
            with httpx.Client(timeout=timeout) as client:
                client.get(f"http://127.0.0.1:{port}/api/events?limit=1").raise_for_status()
    except httpx.HTTPError:
        return False
    return True


def test_a_worker_that_dies_is_replaced_on_its_socket(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = server
    workers = _children(process.pid)
    assert len(workers) == 2
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    # connections hashed to the dead worker's socket wait there until its replacement serves
    deadline = time.monotonic() + 120
    while not ((now := _children(process.pid)) and len(now) == 2 and victim not in now):
        assert process.poll() is None and time.monotonic() < deadline, "the worker was not replaced"
        time.sleep(0.2)
    assert _answers_all(port, 20, timeout=60)


def test_sigterm_stops_the_server_and_its_workers(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, _ = server
    workers = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    time.sleep(0.5)
    assert not any(
        Path(f"/proc/{pid}").exists() and b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        for pid in workers
    )
