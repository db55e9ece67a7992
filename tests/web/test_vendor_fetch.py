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
    assert {"world-atlas", "supercluster"} <= names
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
