"""The follower beside the API (``sitroom serve --follow FILE``): a thread started with the
application and stopped with it, the item in hand finished first."""

from __future__ import annotations

import logging
import threading
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from sitroom.errors import ConfigError
from sitroom.follow import state
from sitroom.follow.follower import Follower, FollowOptions, RoundReport
from sitroom.follow.lock import follower_lock
from sitroom.follow.sources_file import read_sources
from sitroom.pipeline import Sitroom

log = logging.getLogger("sitroom.follow")


def follow_options(sitroom: Sitroom) -> FollowOptions:
    """The follower's options from the settings."""
    s = sitroom.settings
    return FollowOptions(host_spacing_s=s.follow_host_spacing, lease_s=s.follow_lease)


def load_sources_file(sitroom: Sitroom, path: Path) -> list[str]:
    """Follow the sources a file lists (saved in the store); returns one line per bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sources file {path}: cannot read it ({exc})") from exc
    read = read_sources(lines, str(path), sitroom.settings.follow_interval)
    state.save_sources(sitroom.store, read.specs, datetime.now(UTC))
    return read.errors


class BackgroundFollower:
    """Runs a :class:`Follower` in a thread of its own. Made before the server starts, so that
    another follower holding an SQLite store stops the command at once (ConfigError), not the
    server's start-up."""

    def __init__(self, sitroom: Sitroom) -> None:
        self.follower = Follower(sitroom, follow_options(sitroom))
        self._held = ExitStack()
        self._held.enter_context(follower_lock(sitroom.settings.db))
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sitroom-follow", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.follower.run(on_round=_log_round)
        except Exception:  # the API goes on serving what is stored; the log says why following stopped
            log.exception("the follower stopped")

    def stop(self, timeout: float = 60.0) -> None:
        """Ask the follower to stop after the item in hand and wait for it (at most ``timeout`` s)."""
        self.follower.stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._held.close()


def _log_round(report: RoundReport) -> None:
    for line in report.errors + report.ingest.errors:
        log.warning("%s", line)
    log.info("%s", report.summary())
