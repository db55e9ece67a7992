"""The composition root's ingest loop: failures of one item never take the batch down."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text as sql

from sitroom import pipeline, stages
from sitroom.cli import cli
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
    monkeypatch.setattr(pipeline, "analyze_articles", lambda articles, resources, outlets, **_: ({}, []))
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


def test_an_unexpected_error_in_one_items_extraction_rejects_that_item_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyze_articles", lambda articles, resources, outlets, **_: ({}, []))
    extract = stages.extract_article

    def fragile(raw: Any) -> Article:
        if raw.origin.endswith("r1.txt"):
            raise RecursionError("maximum recursion depth exceeded\nwhile walking the tree")
        return extract(raw)

    monkeypatch.setattr(stages, "extract_article", fragile)
    app = make_app(tmp_path)
    report = app.ingest([str(write_reports(tmp_path, 3))])
    assert (report.stored, report.rejected) == (2, 1)
    assert report.errors[0].startswith(f"rejected {tmp_path / 'in' / 'r1.txt'}: extraction failed (")
    assert "RecursionError: maximum recursion depth exceeded)" in report.errors[0]
    assert [r.code for r in app.store.rejections()] == ["extract-failed"]


def test_a_parse_that_fails_on_one_article_costs_only_that_articles_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysed: list[str] = []

    def analyze(doc: Any, article: Article, resources: Any, outlets: Any) -> Analysis:
        analysed.append(doc)
        return Analysis(Reading(article.id, ()))

    monkeypatch.setattr(stages, "analyze_article", analyze)

    class FailingParser:
        """Parses texts lazily, as spaCy's pipe does; raises E088 on one of them."""

        def parse(self, texts: Any, batch_size: int) -> Any:
            for text in texts:
                if text.startswith("Report 1."):
                    raise ValueError(
                        "[E088] Text of length 1080142 exceeds maximum of 1000000.\nThe parser ..."
                    )
                yield text

    app = make_app(tmp_path)
    app.__dict__["resources"] = type("R", (), {"parser": FailingParser()})()
    report = app.ingest([str(write_reports(tmp_path, 4))])
    assert (report.stored, report.rejected) == (4, 1)
    assert sorted(doc[:9] for doc in analysed) == ["Report 0.", "Report 2.", "Report 3."]
    assert (
        "failed (ValueError: [E088] Text of length 1080142 exceeds maximum of 1000000.); stored"
        in report.errors[0]
    )
    assert [r.code for r in app.store.rejections()] == ["analysis"]


def test_the_cli_exits_1_naming_an_item_whose_extraction_broke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyze_articles", lambda articles, resources, outlets, **_: ({}, []))

    def broken(raw: Any) -> Article:
        raise KeyError("lang")

    monkeypatch.setattr(stages, "extract_article", broken)
    folder = write_reports(tmp_path, 2)
    result = CliRunner().invoke(
        cli, ["ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'c.db'}", "-q"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert f"rejected {folder / 'r0.txt'}: extraction failed (KeyError: 'lang')" in result.stderr


LONG_ARTICLE_EVENT = (
    "Shelling hit the market in Ariha on Thursday, killing seven civilians, local officials said."
)


def long_article_text() -> str:
    """A cheap text past spaCy's limit (one million characters): few, long words that name
    nothing, then ``LONG_ARTICLE_EVENT`` after the limit."""
    filler = "\n\n".join(" ".join(["zzzz" * 2_500] * 10) for _ in range(11))
    return f"{filler}\n\n{LONG_ARTICLE_EVENT}"


@pytest.mark.model
def test_an_article_over_spacys_max_length_is_read_in_pieces_with_offsets_kept(tmp_path: Path) -> None:
    # the event after the limit: its evidence must point into the article's text
    long_text = long_article_text()
    assert len(long_text) > 1_000_000
    lines = [
        {"url": "https://example.org/a", "text": f"Report A. {REPORT}"},
        {"url": "https://example.org/long", "text": long_text},
        {"url": "https://example.org/b", "text": f"Report B. {REPORT}"},
    ]
    (tmp_path / "batch.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{tmp_path / 't.db'}"}))
    report = app.ingest([str(tmp_path / "batch.jsonl")])
    assert (report.stored, report.rejected, report.errors) == (3, 0, [])
    long_article = next(a for a in app.store.articles() if a.url == "https://example.org/long")
    assert long_article.text == long_text
    with app.store.engine.connect() as conn:
        records = [
            json.loads(r) if isinstance(r, str) else r
            for (r,) in conn.execute(
                sql("SELECT record FROM event_mentions WHERE article_id = :a"), {"a": long_article.id}
            )
        ]
    assert records, "the event after the first million characters was not found"
    for record in records:
        evidence = record["evidence"]
        assert evidence["start"] > 1_000_000
        assert long_text[evidence["start"] : evidence["end"]] == evidence["sentence"] == LONG_ARTICLE_EVENT


def test_an_item_that_breaks_the_writing_code_becomes_a_rejection_and_the_rest_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyze_articles", lambda articles, resources, outlets, **_: ({}, []))
    original = Store.write_articles

    def breaking(self: Store, items: Sequence[Any], analyses: Any = None) -> Any:
        if any(not isinstance(i, Rejection) and i[0].text.startswith("Report 1.") for i in items):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return original(self, items, analyses)

    monkeypatch.setattr(Store, "write_articles", breaking)
    app = make_app(tmp_path)
    report = app.ingest([str(write_reports(tmp_path, 3))])
    assert (report.stored, report.rejected) == (2, 1)
    assert "r1.txt: could not be stored (UnicodeEncodeError: 'utf-8' codec can't encode" in report.errors[0]
    assert [r.code for r in app.store.rejections()] == ["store"]
