"""The sources to follow: one a line, ``URL [INTERVAL] [OUTLET NAME]``.

``INTERVAL`` is seconds, or a number with ``s``, ``m`` or ``h`` (``90``, ``10m``, ``1h``);
without it the ``--interval`` given (default 300 s). The rest of the line names the outlet
the source's reports are credited to (else the feed's or page's own). Blank lines and
lines starting with ``#`` are skipped. A bad line is reported by its number and skipped;
the others are followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sitroom.follow.state import SourceSpec

# the shortest interval accepted: sites are polled no more often than this
MIN_INTERVAL_S = 10
_INTERVAL = re.compile(r"(\d+)([smh]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


@dataclass
class ReadSources:
    specs: list[SourceSpec] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_interval(value: str) -> int | None:
    """``90``, ``90s``, ``10m``, ``1h`` as seconds; None when it is not an interval."""
    match = _INTERVAL.fullmatch(value.strip().lower())
    return int(match.group(1)) * _UNIT[match.group(2)] if match else None


def check_source(url: str, interval_s: int) -> str | None:
    """Why this source cannot be followed, or None when it can."""
    if not url.lower().startswith(("http://", "https://")):
        return f"{url!r} is not an http(s) URL"
    if interval_s < MIN_INTERVAL_S:
        return f"interval {interval_s} s is under the {MIN_INTERVAL_S} s floor"
    return None


def read_sources(lines: Iterable[str], origin: str, default_interval: int) -> ReadSources:
    """The sources of a sources file's lines (``origin`` names it in errors)."""
    read = ReadSources()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        url, *rest = line.split()
        interval = parse_interval(rest[0]) if rest else None
        if interval is not None:
            rest = rest[1:]
        spec = SourceSpec(url, interval if interval is not None else default_interval, " ".join(rest) or None)
        problem = check_source(spec.url, spec.interval_s)
        if problem:
            read.errors.append(f"{origin}:{number}: {problem}")
        else:
            read.specs.append(spec)
    return read
