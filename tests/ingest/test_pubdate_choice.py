"""The publication-date chooser on top of htmldate, its rule table and its cross-validation."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura
from click.testing import CliRunner
from htmldate import find_date

from sitroom.cli import cli
from sitroom.errors import ConfigError
from sitroom.evaluation.datasets import Companions, files_sha256, find_data
from sitroom.evaluation.pubdate import PUBDATE_GOLD, read_pages
from sitroom.evaluation.pubdate import page_dates as dev_page_dates
from sitroom.ingest import pubdate_model
from sitroom.ingest.pubdate import (
    RULES,
    PageDates,
    RuleChoice,
    choose_published,
    load_chooser,
    shipped_chooser_path,
    tweet_time,
)
from tests.conftest import shared_data

CAPTURED = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
ALL_RULES = tuple(RuleChoice(name, 3 if name == "stated" else None) for name in RULES)


def page_dates(html: str, url: str) -> PageDates:
    return PageDates(trafilatura.load_html(html), html, (url,), CAPTURED)


def article(body: str, head: str = "") -> str:
    return f"<html><head><title>Floods</title>{head}</head><body><article>{body}</article></body></html>"


def json_ld(published: str) -> str:
    data = {"@type": "NewsArticle", "datePublished": published}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_no_rule_applies_so_the_answer_is_htmldate_alone() -> None:
    # no JSON-LD, no meta, no date in the address, not a home page, not 1 January
    html = article(
        "<p>Published on 12 March 2024 by our staff.</p><p>Rivers rose overnight in the valley.</p>"
    )
    alone = find_date(html, extensive_search=True, original_date=True)
    assert alone == "2024-03-12"
    assert choose_published(page_dates(html, "https://news.example/story/4411"), ALL_RULES) == alone


def test_rules_apply_in_table_order_and_keep_the_stated_time() -> None:
    url = "https://news.example/story/4411"
    night = article("<p>Rivers rose overnight.</p>", json_ld("2025-06-04T01:30:00Z"))
    assert choose_published(page_dates(night, url), ALL_RULES) == "2025-06-03"
    assert choose_published(page_dates(night, url), (RuleChoice("stated", 0),)) == "2025-06-04T01:30:00+00:00"
    home = article("<p>Today: floods, markets, weather.</p>", json_ld("2025-06-04T12:00:00Z"))
    assert choose_published(page_dates(home, "https://news.example/"), ALL_RULES) is None
    dated = article("<p>Rivers rose.</p>")
    assert (
        choose_published(page_dates(dated, "https://news.example/floods-20250602"), ALL_RULES) == "2025-06-02"
    )


@pytest.mark.parametrize(
    ("stated", "address_day", "hour", "expected"),
    [
        # the address gives the outlet's local day: the evening before in the Americas ...
        ("2025-06-04T02:30:00Z", "2025/06/03", 0, "2025-06-03"),
        # ... the next morning in Asia
        ("2025-06-03T20:00:00Z", "2025/06/04", 0, "2025-06-04"),
        # the address confirms the UTC day, so the small-hours guess yields to it
        ("2025-06-04T02:30:00Z", "2025/06/04", 3, "2025-06-04T02:30:00+00:00"),
        # 10:04 UTC is 4 June everywhere news is written: the address's 3 June is another day
        ("2025-06-04T10:04:00Z", "2025/06/03", 0, "2025-06-04T10:04:00+00:00"),
        # a time with its own offset is already local
        ("2025-06-04T02:30:00+02:00", "2025/06/03", 0, "2025-06-04T02:30:00+02:00"),
    ],
)
def test_a_utc_time_is_read_on_the_local_day_of_the_address(
    stated: str, address_day: str, hour: int, expected: str
) -> None:
    page = page_dates(
        article("<p>Rivers rose.</p>", json_ld(stated)), f"https://news.example/{address_day}/floods"
    )
    assert choose_published(page, (RuleChoice("stated", hour),)) == expected


def status_number(posted: datetime) -> int:
    """A Twitter/X status number for a post at ``posted`` (machine and sequence bits set)."""
    return (
        int((posted - datetime(2010, 11, 4, 1, 42, 54, 657000, tzinfo=UTC)).total_seconds() * 1000) << 22
    ) | 0x2A5F


def test_a_status_address_dates_the_post_by_its_number() -> None:
    posted = datetime(2024, 3, 9, 23, 40, 5, tzinfo=UTC)
    number = status_number(posted)
    assert tweet_time(f"https://x.com/newsdesk/status/{number}") == posted
    assert tweet_time(f"https://mobile.twitter.com/newsdesk/status/{number}/photo/1") == posted
    assert tweet_time(f"https://news.example/newsdesk/status/{number}") is None
    assert tweet_time("https://twitter.com/newsdesk/status/20") is None  # a serial number of 2006
    # the page shows other posts' dates; the address's number is the post's own (its UTC day)
    html = article("<p>Replies</p><p>5:12 PM - 14 Mar 2024</p><p>6:30 AM - 15 Mar 2024</p>")
    page = page_dates(html, f"https://twitter.com/newsdesk/status/{number}")
    assert choose_published(page, (RuleChoice("url_date"),)) == "2024-03-09"


def test_a_carriers_time_is_kept_for_the_day_a_rule_gives() -> None:
    page = page_dates(article("<p>Rivers rose.</p>"), "https://news.example/2025/06/03/floods")
    feed = "2025-06-03T14:05:00+00:00"
    assert choose_published(page, (RuleChoice("url_date"),), hint=feed) == feed
    assert choose_published(page, (RuleChoice("url_date"),), hint="2025-06-05T14:05:00+00:00") == "2025-06-03"


def test_shipped_table_names_known_rules() -> None:
    assert all(rule.name in RULES for rule in load_chooser())


def test_written_table_reads_back(tmp_path: Path) -> None:
    rules = (RuleChoice("home_page"), RuleChoice("stated", 2.5), RuleChoice("url_date"))
    pubdate_model.save_chooser(rules, tmp_path / "rules.tsv", {"data_sha256": "x"})
    assert load_chooser(tmp_path / "rules.tsv") == rules
    assert "# data_sha256: x" in (tmp_path / "rules.tsv").read_text(encoding="utf-8")


def table_record(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line[2:].split(": ", 1) for line in lines if line.startswith("# ") and ": " in line)


@pytest.mark.shared
def test_shipped_rules_are_those_chosen_on_the_dev_pages() -> None:
    data = shared_data("pubdate")
    paths = find_data(data, PUBDATE_GOLD)
    pages = read_pages(paths, Companions.under(data))
    record = table_record(shipped_chooser_path())
    assert record["data_sha256"] == files_sha256(paths)
    # the shipped choice is not below htmldate alone on pages it was not chosen on
    assert float(record["cv_accuracy"]) >= float(record["htmldate_accuracy"])
    candidates = [dev_page_dates(page, CAPTURED) for page in pages]
    assert pubdate_model.select_rules(candidates, [page.date for page in pages]) == load_chooser()


def test_bad_table_row_is_named(tmp_path: Path) -> None:
    table = tmp_path / "rules.tsv"
    table.write_text("rule\tvalue\nhome_page\t\nstated\tlate\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules.tsv: row 3: stated needs a value"):
        load_chooser(table)
    table.write_text("rule\tvalue\nguess\t\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"row 2: 'guess' is not a rule"):
        load_chooser(table)


URLS = [
    "https://www.a.example/1",
    "https://a.example/2",
    "https://b.example/1",
    "https://c.example/1",
    "https://c.example/2",
    "https://d.example/1",
    "https://e.example/1",
    "https://f.example/1",
    "https://g.example/1",
    "https://h.example/1",
]


def test_outlet_folds_are_disjoint_balanced_and_deterministic() -> None:
    folds = pubdate_model.outlet_folds(URLS, folds=3, seed=7)
    assert folds == pubdate_model.outlet_folds(URLS, folds=3, seed=7)
    assert len(folds) == len(URLS) and set(folds) == {0, 1, 2}
    # an outlet's pages (www. or not) share one fold, so no outlet is on both sides
    assert folds[0] == folds[1] and folds[3] == folds[4]
    sizes = [folds.count(f) for f in range(3)]
    assert max(sizes) - min(sizes) <= 2
    with pytest.raises(ValueError, match="at least 2 folds"):
        pubdate_model.outlet_folds(URLS, folds=1)


def test_cross_validation_chooses_on_the_other_folds_only() -> None:
    # ten home pages whose visible text holds a date; nine of them have no publication date
    pages, gold, homes = [], [], []
    for i, url in enumerate(URLS):
        home = url.rsplit("/", 1)[0] + "/"
        pages.append(page_dates(article(f"<p>Posted 2 April 2025.</p><p>Story {i}.</p>"), home))
        gold.append(None if i < 9 else "2025-04-02")
        homes.append(home)
    assert pubdate_model.right_days(pages, gold, ()) == 1  # htmldate alone
    validation = pubdate_model.cross_validate(pages, gold, homes, folds=5, seeds=(0, 1))
    assert validation == pubdate_model.cross_validate(pages, gold, homes, folds=5, seeds=(0, 1))
    assert len(validation.days) == 2 and all(len(run) == len(URLS) for run in validation.days)
    assert all(len(run) == 5 for run in validation.chosen)
    # every fold learns the home-page rule from its training pages and scores the others with it
    assert all(RuleChoice("home_page") in rules for run in validation.chosen for rules in run)
    mean, sd = validation.accuracy(gold)
    assert (mean, sd) == (pytest.approx(0.9), 0.0)


def night_and_noon_pages(noon_stated: bool) -> tuple[list[PageDates], list[str | None]]:
    """Eleven pages htmldate dates right at noon (stating it or not) and one whose stated UTC
    time, 01:30, is the evening before."""
    pages, gold = [], []
    for i in range(11):
        day = f"2025-05-{10 + i:02d}"
        head = json_ld(f"{day}T12:00:00+02:00") if noon_stated else ""
        pages.append(page_dates(article(f"<p>Posted {day}.</p><p>Rivers rose {i}.</p>", head), URLS[i % 10]))
        gold.append(day)
    night = article("<p>Rivers rose overnight.</p>", json_ld("2025-06-04T01:30:00Z"))
    pages.append(page_dates(night, "https://night.example/story/1"))
    gold.append("2025-06-03")
    return pages, gold


def test_a_rule_is_trusted_by_every_page_it_applies_to() -> None:
    # the stated date mends the night page either way; seen on that page only, it is not
    # trusted against htmldate's 11 of 12 (smoothed 2/3)
    pages, gold = night_and_noon_pages(noon_stated=False)
    assert pubdate_model.right_days(pages, gold, ()) == 11
    assert pubdate_model.rule_record(pages, gold, RuleChoice("stated", 2)) == (1, 1)
    assert pubdate_model.select_rules(pages, gold) == ()
    # right on the 11 pages where it agrees with htmldate too, it is (smoothed 13/14), with the
    # smallest hour that mends the night page
    pages, gold = night_and_noon_pages(noon_stated=True)
    assert pubdate_model.rule_record(pages, gold, RuleChoice("stated", 2)) == (12, 12)
    assert pubdate_model.select_rules(pages, gold) == (RuleChoice("stated", 2),)


def test_a_date_in_the_address_applies_where_htmldate_agrees_and_keeps_the_stated_time() -> None:
    html = article("<p>Rivers rose.</p>", json_ld("2025-06-02T14:05:00+02:00"))
    page = page_dates(html, "https://news.example/2025/06/02/floods")
    assert pubdate_model.rule_record([page], ["2025-06-02"], RuleChoice("url_date")) == (1, 1)
    assert choose_published(page, (RuleChoice("url_date"),)) == "2025-06-02T14:05:00+02:00"


def test_eval_prints_htmldate_alone_and_cross_validated_figures(tmp_path: Path) -> None:
    (tmp_path / "test_set").mkdir()
    gold = {}
    for i, url in enumerate(URLS[2:8]):
        name = f"{i}.html"
        body = f"<p>Rivers rose overnight in the valley {i}, officials said on Tuesday.</p>" * 3
        html = article(body, json_ld(f"2025-05-{10 + i:02d}T12:00:00+02:00"))
        (tmp_path / "test_set" / name).write_text(html, encoding="utf-8")
        gold[url] = {"file": name, "date": f"2025-05-{10 + i:02d}"}
    (tmp_path / "eval_mediacloud_2020.json").write_text(json.dumps(gold), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "pubdate", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "htmldate alone on the same pages: day accuracy 1.0000" in result.output
    assert "5-fold cross-validated by outlet (3 seeds), rules chosen on the other folds" in result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert {"htmldate_accuracy", "cv_accuracy", "cv_sd", "abstain_precision"} <= set(metrics)
    assert metrics["accuracy"] == metrics["htmldate_accuracy"] == 1.0
