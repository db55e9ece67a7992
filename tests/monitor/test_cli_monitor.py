"""The monitoring commands, driven in-process with click's CliRunner."""

from __future__ import annotations

import json
from datetime import date

import feedparser
from click.testing import CliRunner

from sitroom.cli import cli
from sitroom.models import Count
from sitroom.store import open_store
from tests.factories import ALEPPO, CIVILIANS
from tests.monitor.builders import Hook, cluster, store_mentions

TODAY = "2026-01-14"


def run(*args: str, webhook: str | None = None) -> tuple[int, str, str]:
    env = {"SITROOM_WEBHOOK_URL": webhook} if webhook else {}
    result = CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def populate(db_url: str) -> None:
    store = open_store(db_url)
    mentions = store_mentions(
        store,
        [
            {"when": date(2026, 1, 12), "dead": Count(4, 4, "four")},
            {"when": date(2026, 1, 12), "dead": Count(6, 6, "six")},
            {"when": date(2026, 1, 13), "recipient": (CIVILIANS,), "protection": ("civilian_casualties",), "dead": Count(2, 2, "two")},
            {"when": date(2026, 1, 13), "where": ALEPPO, "event_type": "RETREAT", "mode": "ceasefire"},
        ],
    )  # fmt: skip
    store.write_clusters([cluster("c-strike", mentions[:2])])
    store.close()


def test_watch_commands(db_url: str) -> None:
    assert run("watch", "add", "ariha", "--place", "Ariha", "--threshold", "2", "--db", db_url)[:2] == (
        0,
        "watch ariha: place Ariha: 2+ in 7 day(s)\n",
    )
    code, _, err = run("watch", "add", "nothing", "--threshold", "2", "--db", db_url)
    assert code == 2 and "watches nothing: give a place, an actor, an event type or a protection kind" in err
    code, _, err = run("watch", "add", "ariha", "--actor", "army", "--threshold", "2", "--db", db_url)
    assert (
        code == 1
        and err == "Error: a watch named 'ariha' exists already; remove it first or pick another name\n"
    )
    code, out, _ = run("watch", "list", "--db", db_url)
    assert code == 0 and out.startswith("ariha  place Ariha: 2+ in 7 day(s)  (added 20")
    assert run("watch", "remove", "ariha", "--db", db_url)[:2] == (0, "removed watch ariha\n")
    code, _, err = run("watch", "remove", "ariha", "--db", db_url)
    assert code == 1 and err == "Error: no watch named 'ariha'; list them with 'sitroom watch list'\n"


def test_alerts_are_raised_once_posted_and_published(db_url: str, hook: Hook) -> None:
    populate(db_url)
    run("watch", "add", "ariha", "--place", "Ariha", "--threshold", "2", "--today", TODAY, "--db", db_url)
    code, out, err = run("alerts", "--format", "jsonl", "--today", TODAY, "--db", db_url, webhook=hook.url)
    assert code == 0 and err == "1 new alert(s)\n"
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["key"] == "watch:ariha:2026-01-12" and record["count"] == 2 and record["delivered_at"]
    assert [b["key"] for b in hook.bodies] == ["watch:ariha:2026-01-12"]
    code, out, err = run("alerts", "--format", "atom", "--today", TODAY, "--db", db_url, webhook=hook.url)
    assert code == 0 and err == "0 new alert(s)\n" and len(hook.bodies) == 1
    feed = feedparser.parse(out)
    assert not feed.bozo and [e.title.split(":")[0] for e in feed.entries] == ["ariha"]


def test_escalation_and_protection(db_url: str) -> None:
    populate(db_url)
    code, out, _ = run(
        "escalation",
        "--place",
        "Ariha",
        "--weekly",
        "--periods",
        "2",
        "--format",
        "jsonl",
        "--today",
        TODAY,
        "--db",
        db_url,
    )
    points = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(p["start"], p["events"], p["fatalities"]) for p in points] == [
        ("2026-01-05", 0, 0),
        ("2026-01-12", 2, 6),
    ]
    code, out, _ = run("escalation", "--place", "Aleppo", "--today", TODAY, "--db", db_url)
    assert code == 0 and "deescalation" in out and "ceasefire: 1 event(s)" in out
    code, out, _ = run(
        "escalation",
        "--dyad",
        "Syrian Arab Army,Civilians (Syria)",
        "--weekly",
        "--today",
        TODAY,
        "--db",
        db_url,
    )
    assert code == 0 and "2026-01-12" in out
    code, _, err = run("escalation", "--dyad", "only-one", "--db", db_url)
    assert code == 2 and "two actor names separated by a comma" in err
    assert run("escalation", "--today", TODAY, "--db", db_url)[0] == 0
    code, out, _ = run("protection", "--place", "Ariha", "--format", "jsonl", "--db", db_url)
    assert code == 0 and [(r["kind"], r["events"], r["dead"]) for r in map(json.loads, out.splitlines())] == [
        ("civilian_casualties", 1, 2)
    ]
