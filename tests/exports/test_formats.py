"""The export formats are listed once (sitroom.exports.EXPORT_FORMATS): the CLI's choices, the
API's parameter, the dashboard's menu and the README's table follow that list."""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.cli import cli
from sitroom.config import Settings
from sitroom.exports import EXPORT_FORMATS, write_export
from sitroom.pipeline import Sitroom

ROOT = Path(__file__).resolve().parents[2]
NAMES = list(EXPORT_FORMATS)


def test_the_cli_offers_every_format() -> None:
    help_text = CliRunner().invoke(cli, ["export", "--help"]).stdout
    assert re.sub(r"\s+", "", help_text).find("[" + "|".join(NAMES) + "]") >= 0, help_text


def test_the_api_documents_and_refuses_by_the_same_list(tmp_path: Path) -> None:
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'api.db'}"))
    try:
        client = TestClient(create_app(app, cache_mb=0))
        spec = client.get("/openapi.json").json()["paths"]["/api/export"]["get"]
        (format_parameter,) = [p for p in spec["parameters"] if p["name"] == "format"]
        assert format_parameter["schema"]["enum"] == NAMES
        refused = client.get("/api/export?format=xlsx")
        assert refused.status_code == 422 and "valid: " + ", ".join(NAMES) in refused.json()["detail"]
        for name, fmt in EXPORT_FORMATS.items():
            answer = client.get(f"/api/export?format={name}")
            assert answer.status_code == 200 and answer.headers["content-type"].startswith(fmt.media_type)
            assert answer.headers["content-disposition"].endswith(f'sitroom-events{fmt.suffix}"')
    finally:
        app.store.close()


def test_the_readme_and_the_dashboard_list_every_format() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| format | what |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.MULTILINE) == NAMES
    page = (ROOT / "src/sitroom/web/static/index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'data-format="([a-z-]+)"', page)) == sorted(NAMES)  # the menu's own order


def test_every_format_writes_no_records_and_an_unknown_one_is_refused() -> None:
    for name in NAMES:
        assert write_export([], name, io.StringIO()) == 0
    try:
        write_export([], "xlsx", io.StringIO())
    except ValueError as exc:
        assert "choose one of " + ", ".join(NAMES) in str(exc)
    else:
        raise AssertionError("xlsx was accepted")
