"""The composition root's ingest loop: failures of one item never take the batch down."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sitroom import pipeline, stages
from sitroom.config import load_settings
from sitroom.errors import StoreError
from sitroom.models import Analysis, Article, Reading, Rejection
from sitroom.pipeline import Sitroom
from sitroom.store.store import Store

REPORT = "Shelling hit the market in Ariha on Thursday, killing seven civilians, local officials said. " * 3


def make_app(tmp_path: Path) -> Sitroom:
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{tmp_path / 't.db'}"}))
    app.__dict__["resources"] = None  # no NLP model: analysis is replaced in these tests
    return app


def write_reports(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i}.txt").write_text(f"Report {i}. {REPORT}")
    return folder


def test_an_analysis_failure_keeps_the_article_and_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def analyze(doc: Any, article: Article, resources: Any, outlets: Any) -> Analysis:
        if article.text.startswith("Report 1."):
            raise ValueError("unexpected token")
        return Analysis(Reading(article.id, ()))

    monkeypatch.setattr(stages, "analyze_article", analyze)

    class FakeParser:
        def parse(self, texts: Any, batch_size: int) -> Any:
            return iter(list(texts))

    app = make_app(tmp_path)
    app.__dict__["resources"] = type("R", (), {"parser": FakeParser()})()
    report = app.ingest([str(write_reports(tmp_path, 3))])
    assert report.stored == 3 and report.rejected == 1
    assert "analysis of article" in report.errors[0] and "unexpected token" in report.errors[0]
    assert [r.code for r in app.store.rejections()] == ["analysis"]


def test_an_item_the_store_refuses_becomes_a_rejection_and_the_rest_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyze_articles", lambda articles, resources, outlets: ({}, []))
    original = Store.write_articles

    def flaky(self: Store, items: Sequence[Any], analyses: Any = None) -> Any:
        if any(not isinstance(i, Rejection) and i[0].text.startswith("Report 2.") for i in items):
            raise StoreError("disk says no")
        return original(self, items, analyses)

    monkeypatch.setattr(Store, "write_articles", flaky)
    app = make_app(tmp_path)
    report = app.ingest([str(write_reports(tmp_path, 4))])
    assert (report.stored, report.rejected) == (3, 1)
    assert "r2.txt: could not be stored (disk says no)" in report.errors[0]
    assert app.store.count("articles") == 3
