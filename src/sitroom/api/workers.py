"""``sitroom serve --workers N``: N server processes, each with a listening socket of its own.

uvicorn's own supervisor hands every worker one shared listening socket. A worker that wakes
up for a new connection accepts every connection waiting (asyncio accepts up to the backlog
at a time), so a burst of clients lands on whichever process woke first: with 50 clients
connecting at once, one process took 49, 50 or 29 of them from one run to the next, and the
list endpoint served 450 to 930 requests/s with p95 from 91 to 148 ms accordingly (2 cores,
bench/api_load.py). On Linux each worker here gets a socket of its own bound to the same
port with ``SO_REUSEPORT``, and the kernel spreads connections over them by their
addresses, so the workers share the clients evenly.

A worker that dies is replaced on the same socket (connections the kernel queued on it wait
there meanwhile); a worker that fails before it starts serving stops the server, as with
uvicorn. Elsewhere (macOS and Windows do not balance ``SO_REUSEPORT``) uvicorn's supervisor
runs with its shared socket.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
from types import FrameType

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

from sitroom.errors import SitroomError

# seconds between two checks that every worker is alive and answering
CHECK_EVERY = 0.5


def balanced() -> bool:
    """Whether the kernel spreads connections over sockets sharing a port (Linux)."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def listening_sockets(host: str, port: int, count: int, backlog: int = 2048) -> list[socket.socket]:
    """``count`` listening sockets on ``host:port`` (port 0: one free port for them all), with
    ``SO_REUSEPORT`` and ``TCP_NODELAY`` (accepted sockets inherit it: uvicorn's workers leave
    Nagle on, and a small answer then waits 40 ms for the client's delayed ACK)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.listen(backlog)
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def serve_processes(config: Config) -> None:
    """Serve ``config``'s application in ``config.workers`` processes until SIGINT or SIGTERM."""
    if not balanced():
        sock = config.bind_socket()
        # accepted sockets inherit TCP_NODELAY from the listener (see listening_sockets)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        Multiprocess(config, sockets=[sock]).run()
        return
    try:
        sockets = listening_sockets(config.host, config.port, config.workers, config.backlog)
    except OSError as exc:
        raise SitroomError(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}") from exc
    try:
        run_workers(config, sockets)
    finally:
        for sock in sockets:
            sock.close()


def run_workers(config: Config, sockets: list[socket.socket]) -> None:
    """Serve ``config``'s application in one process per socket until SIGINT or SIGTERM."""
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers = [Process(config, [sock]) for sock in sockets]
    try:
        for worker in workers:
            worker.start()
        while not stop.wait(CHECK_EVERY):
            for slot, worker in enumerate(workers):
                if worker.is_alive(timeout=config.timeout_worker_healthcheck):
                    continue
                worker.kill()  # hung, or gone
                worker.join()
                if worker.exitcode == STARTUP_FAILURE or stop.is_set():
                    stop.set()
                    break
                workers[slot] = Process(config, [sockets[slot]])
                workers[slot].start()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
