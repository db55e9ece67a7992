"""Background events (issue 19, sitroom.background): history recalled in a report is kept and
marked, listed only with the filter (``?background=``, ``--background``), and left out of the
header's counts, the escalation series, signals, alerts and the protection view.

The history here: a 2026 report recalling that artillery killed 40 civilians in Ariha in June
1967, on top of the API sample (five events, a disputed Ariha shelling among them)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitroom.background import is_background, is_news
from sitroom.cli import cli
from sitroom.models import Count, EventMention
from sitroom.pipeline import Sitroom
from tests.api.conftest import TOKEN
from tests.api.sample import Sample
from tests.factories import CIVILIANS, SAA
from tests.monitor.builders import store_mentions

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HISTORY = "Residents recalled that artillery killed 40 civilians in Ariha on 5 June 1967."
WAR_DAY = date(1967, 6, 5)
# monitoring as of the week of the 1967 shelling: were it counted, it would be in every view
AS_OF_1967 = "today=1967-06-12"


@pytest.fixture
def history(sitroom: Sitroom, sample: Sample) -> EventMention:
    (mention,) = store_mentions(
        sitroom.store,
        [
            {
                "text": HISTORY,
                "published": "2026-01-08T09:00:00+00:00",
                "when": WAR_DAY,
                "dead": Count(40, 40, "40"),
                "protection": ("civilian_casualties",),
                "actor": (SAA,),
                "recipient": (CIVILIANS,),
            }
        ],
    )
    return mention


def ids(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return {e["id"] for e in response.json()["events"]}


def test_a_background_event_is_listed_only_with_the_filter(client: TestClient, history: EventMention) -> None:
    default = ids(client.get("/api/events", params={"limit": 1000}))
    assert history.id not in default and len(default) > 1
    every = ids(client.get("/api/events", params={"background": "include", "limit": 1000}))
    assert every == default | {history.id}
    assert ids(client.get("/api/events", params={"background": "only", "group": "report"})) == {history.id}
    record = client.get(f"/api/events/{history.id}").json()
    record = record.get("event", record)
    assert record["background"] is True and record["date"] == "1967-06-05"
    news = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    assert news["background"] is False
    bad = client.get("/api/events", params={"background": "maybe"})
    assert bad.status_code == 422 and "background" in bad.text


def test_the_header_counts_leave_a_background_event_out(client: TestClient, history: EventMention) -> None:
    before = client.get("/api/summary").json()
    shown = client.get("/api/summary", params={"background": "include"}).json()
    assert shown["reports"] == before["reports"] + 1
    # shown, it is still left out of the dead (history, not today's toll)
    assert shown["dead"] == before["dead"] and shown["left_out"].get("background") == 1


def test_the_monitor_leaves_a_background_event_out(client: TestClient, history: EventMention) -> None:
    series = client.get(f"/api/escalation?place=Ariha&period=day&periods=14&{AS_OF_1967}").json()["series"]
    assert sum(p["events"] for p in series) == 0 and sum(p["fatalities"] for p in series) == 0
    rows = client.get("/api/protection").json()["rows"]
    assert all(history.id not in r["event_ids"] for r in rows)
    assert not [r for r in rows if r["start"] < "2000-01-01"]
    signals = client.get(f"/api/signals?{AS_OF_1967}").json()["signals"]
    assert signals == []
    watch = {"name": "ariha-1967", "place": "Ariha", "event_type": "assault", "threshold": 1}
    assert client.post("/api/watches?today=1967-06-01", json=watch, headers=AUTH).status_code == 201
    run = client.post(f"/api/alerts/evaluate?{AS_OF_1967}", headers=AUTH).json()
    assert run["new"] == []


def test_an_analysts_date_correction_moves_an_event_out_of_the_background(
    client: TestClient, history: EventMention
) -> None:
    """ "1967" was a misreading: corrected to last week, the event is news again, listed and counted."""
    body = {"action": "correct", "date": "2026-01-06", "date_precision": "day", "reason": "misread year"}
    answer = client.post(f"/api/events/{history.id}/review", json=body, headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert answer.json()["event"]["background"] is False
    assert history.id in ids(client.get("/api/events", params={"group": "report", "limit": 1000}))


def test_the_cli_lists_a_background_event_only_with_the_filter_and_marks_it(
    sitroom: Sitroom, history: EventMention
) -> None:
    db = ["--db", sitroom.settings.db]
    runner = CliRunner()
    default = runner.invoke(cli, ["events", *db, "--format", "jsonl", "--per-report", "--limit", "1000"])
    assert default.exit_code == 0, default.output
    assert history.id not in default.output
    only = runner.invoke(cli, ["events", *db, "--background", "only", "--format", "jsonl"])
    (record,) = [json.loads(line) for line in only.output.splitlines() if line.startswith("{")]
    assert record["id"] == history.id and record["background"] is True
    hint = runner.invoke(cli, ["events", *db], env={"COLUMNS": "200"})
    assert "1 background (history) left out: --background include" in hint.output
    table = runner.invoke(cli, ["events", *db, "--background", "include"], env={"COLUMNS": "200"})
    assert "left out" not in table.output
    assert "occurred, background" in table.output
    shown = runner.invoke(cli, ["show", history.id, *db])
    assert "occurred, background" in shown.output
    bad = runner.invoke(cli, ["events", *db, "--background", "maybe"])
    assert bad.exit_code == 2 and "--background" in bad.output


@pytest.mark.parametrize(
    ("day", "precision", "source", "published", "expected"),
    [
        (date(1967, 6, 5), "day", "text", date(2026, 1, 8), True),
        (date(2024, 12, 1), "month", "text", date(2026, 1, 8), True),  # all of December 2024 > a year back
        (date(2025, 1, 1), "year", "text", date(2026, 1, 8), False),  # last year: news, not history
        (date(2024, 1, 1), "year", "text", date(2026, 1, 8), True),
        (date(2025, 10, 1), "day", "text", date(2026, 1, 8), False),  # a late report of the event
        (date(1990, 1, 1), "decade", "text", date(2026, 1, 8), True),  # "the 1990s"
        (date(1300, 1, 1), "century", "text", None, True),  # "a 14th-century plague"
        (date(1967, 6, 5), "week", "report", date(1967, 6, 5), False),  # the report's own day
        (date(2020, 1, 1), "day", "text", None, False),  # no publication to measure from
    ],
)
def test_one_definition_of_background(day, precision, source, published, expected) -> None:
    assert is_background(day, precision, source, published) is expected


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        (date(2026, 12, 4), "day", True),  # "on Friday"
        (date(2026, 11, 29), "day", True),  # a week back
        (date(2026, 11, 28), "day", False),  # eight days back
        (date(2026, 11, 1), "month", True),  # "last month" reaches into the week before
        (date(2026, 4, 1), "month", False),  # "in April"
        (date(2013, 4, 15), "day", False),
        (date(2020, 1, 1), "decade", False),
    ],
)
def test_the_news_of_a_report_is_its_week(day, precision, expected) -> None:
    assert is_news(day, precision, date(2026, 12, 6)) is expected
