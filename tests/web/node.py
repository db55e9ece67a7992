"""Run a dashboard module's functions under node: copy the modules into a folder, write a
script that imports them, run it and read the JSON it prints. Skips without node, fails in CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "sitroom" / "web" / "static"


def node_or_skip() -> str:
    """The node executable; skip the test without it (fail under CI)."""
    node = shutil.which("node")
    if not node:
        if os.environ.get("CI"):
            pytest.fail("node is missing in CI")
        pytest.skip("node not found")
    return node


def run_js(folder: Path, modules: tuple[str, ...], script: str, *args: str) -> Any:
    """The JSON that ``script`` (an ES module importing ``./<module>`` of ``js/``) prints when run
    in ``folder`` with ``args``."""
    node = node_or_skip()
    for name in modules:
        shutil.copy(STATIC / "js" / name, folder / name)
    (folder / "package.json").write_text('{"type": "module"}')
    (folder / "check.js").write_text(script)
    out = subprocess.run(
        [node, "check.js", *args], cwd=folder, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout)
