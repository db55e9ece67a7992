#!/usr/bin/env python3
"""Fetch the dashboard's vendored files into ``src/sitroom/web/static/vendor/`` (run by scripts/install).

Each package is an npm tarball downloaded from the npm registry with the standard library
only (no node needed), checked against the SHA-256 pinned below and against the
``integrity`` hash the registry publishes for that version; only the listed files are
unpacked into ``vendor/<package>/``:

- ``world-atlas`` (ISC): Natural Earth (public domain) country boundaries as TopoJSON.
- ``supercluster`` (ISC, bundles ``kdbush``, ISC): the map's marker clustering, as its
  browser build (a classic script defining ``Supercluster``).

Running it again does nothing for a package whose pinned version is already there. Exit
status 1 when any download or check fails; the others are still fetched.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
VENDOR = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "web" / "static" / "vendor"
TIMEOUT = 60


@dataclass(frozen=True)
class Vendored:
    """One npm package the dashboard ships: which version, its tarball's SHA-256, which files."""

    name: str
    version: str
    sha256: str
    files: tuple[str, ...]
    without_it: str  # what the dashboard lacks until the fetch succeeds


PACKAGES = (
    Vendored(
        "world-atlas",
        "2.0.2",
        "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
        ("countries-110m.json", "countries-50m.json", "LICENSE"),
        "country boundaries",
    ),
    Vendored(
        "supercluster",
        "8.0.1",
        "9cc3a18707e07453270c5e0b1d2ec2419af03f1794b8c8ca7ac4e33d61f78673",
        ("dist/supercluster.min.js", "LICENSE"),
        "marker clustering (every event is drawn on its own)",
    ),
)


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


def check_pinned(data: bytes, package: Vendored) -> None:
    """Raise ValueError unless ``data`` has the SHA-256 pinned for ``package``."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != package.sha256:
        raise ValueError(
            f"{package.name}@{package.version} tarball SHA-256 is {actual}, pinned {package.sha256}"
        )


def unpack(tarball: bytes, dest: Path, files: tuple[str, ...]) -> list[str]:
    """Write the wanted files of an npm tarball (``package/<path>``) flat into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if name in files and member.isfile():
                handle = archive.extractfile(member)
                assert handle is not None
                (dest / Path(name).name).write_bytes(handle.read())
                written.append(name)
    missing = sorted(set(files) - set(written))
    if missing:
        raise ValueError(f"the tarball lacks {', '.join(missing)}")
    return written


def is_current(package: Vendored, dest: Path) -> bool:
    stamp = dest / "VERSION"
    return (
        stamp.is_file()
        and stamp.read_text().strip() == package.version
        and all((dest / Path(f).name).is_file() for f in package.files)
    )


def fetch(package: Vendored, vendor: Path = VENDOR) -> bool:
    """Fetch, check and unpack one package into ``vendor/<name>``; False (said on stderr) on failure."""
    dest = vendor / package.name
    label = f"{package.name}@{package.version}"
    if is_current(package, dest):
        print(f"vendor: {label} already in {dest}")
        return True
    try:
        meta = json.loads(read_url(f"{REGISTRY}/{package.name}/{package.version}"))
        dist = meta["dist"]
        tarball = read_url(dist["tarball"])
        check_pinned(tarball, package)
        check_integrity(tarball, dist["integrity"])
        written = unpack(tarball, dest, package.files)
    except (OSError, ValueError, KeyError, tarfile.TarError) as exc:
        print(f"vendor: cannot fetch {label} from {REGISTRY}: {exc}", file=sys.stderr)
        print(f"the dashboard has no {package.without_it} until this succeeds", file=sys.stderr)
        return False
    (dest / "VERSION").write_text(package.version + "\n")
    print(f"vendor: {label} ({', '.join(written)}) -> {dest}")
    return True


def main() -> int:
    results = [fetch(package) for package in PACKAGES]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
