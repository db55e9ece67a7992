"""The monitoring endpoints in-process: escalation, signals, civilian protection, watches,
alerts (JSON and Atom) and outlet grades; auth and problem documents."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.cli import cli
from sitroom.corroborate.update import recluster_all
from sitroom.pipeline import Sitroom
from tests.api.conftest import TOKEN
from tests.api.monitor_sample import STEP_WEEK, TODAY, MonitorSample, populate_monitoring
from tests.api.sample import Sample
from tests.api.test_api import assert_problem
from tests.monitor.builders import Hook

AUTH = {"Authorization": f"Bearer {TOKEN}"}
AS_OF = f"today={TODAY}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def monitored(sitroom: Sitroom, sample: Sample) -> MonitorSample:
    return populate_monitoring(sitroom.store)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


# --- escalation and signals -----------------------------------------------------------


def test_weekly_escalation_of_a_place_shows_the_step_and_its_signal(
    client: TestClient, monitored: MonitorSample
) -> None:
    body = ok(client.get(f"/api/escalation?place=ariha&periods=6&{AS_OF}"))
    assert body["subject"] == "ariha" and body["period"] == "week" and body["record_start"] == "2025-12-08"
    weeks = {p["start"]: p for p in body["series"]}
    assert list(weeks) == ["2025-12-08", "2025-12-15", "2025-12-22", "2025-12-29", "2026-01-05", "2026-01-12"]
    assert [p["events"] for p in body["series"]] == [1, 1, 2, 1, 5, 0]
    step = weeks[str(STEP_WEEK)]
    assert (
        step["fatalities"] == 7 + 2 + 3 + 4
        and step["intensity"] > weeks["2025-12-29"]["intensity"]
        and step["complete"]
    )
    assert weeks["2026-01-12"]["complete"] is False
    trend = [s for s in body["signals"] if s["kind"].startswith(("increase", "decrease"))]
    assert [(s["kind"], s["start"], s["value"], s["baseline"]) for s in trend] == [
        ("increase_large", "2026-01-05", 5.0, 1.25)
    ]
    assert (
        body["incidents"] == 4 + 4 + 2
    )  # the quiet month, the step week (cluster counted once), shields, aid


def test_daily_series_and_the_default_span(client: TestClient, monitored: MonitorSample) -> None:
    days = ok(client.get(f"/api/escalation?place=Idlib&period=day&periods=7&{AS_OF}"))["series"]
    assert [p["start"] for p in days] == [f"2026-01-{d:02d}" for d in range(6, 13)]
    assert [p["events"] for p in days] == [1, 2, 1, 0, 1, 0, 0]
    assert len(ok(client.get(f"/api/escalation?place=Idlib&{AS_OF}"))["series"]) == 12
    assert len(ok(client.get(f"/api/escalation?place=Idlib&period=day&{AS_OF}"))["series"]) == 28


def test_escalation_latest_ends_at_the_places_own_newest_event(
    client: TestClient, monitored: MonitorSample
) -> None:
    """A store of mixed dates (its clock or newest report far past the place's): the place's
    chart shows its own weeks, not empty weeks up to the store's newest."""
    later = "today=2027-06-01&periods=4"
    assert sum(p["events"] for p in ok(client.get(f"/api/escalation?place=Aleppo&{later}"))["series"]) == 0
    body = ok(client.get(f"/api/escalation?place=Aleppo&latest=true&{later}"))
    assert body["today"] == "2026-01-11"  # the Sunday after its newest event (2026-01-09, an evacuation)
    assert [p["start"] for p in body["series"]][-1] == "2026-01-05" and body["series"][-1][
        "deescalation"
    ] == 1
    nowhere = ok(client.get(f"/api/escalation?place=Nowhere&latest=true&{later}"))
    assert nowhere["today"] == "2027-06-01" and nowhere["incidents"] == 0


def test_escalation_of_a_dyad(client: TestClient, monitored: MonitorSample) -> None:
    body = ok(client.get(f"/api/escalation?dyad=Syrian Arab Army, Civilians (Syria)&periods=6&{AS_OF}"))
    assert body["level"] == "dyad" and body["subject"] == "Civilians (Syria) – Syrian Arab Army"
    assert [p["events"] for p in body["series"]] == [1, 1, 2, 1, 5, 0]


def test_deescalation_signal_of_a_completed_evacuation(
    client: TestClient, monitored: MonitorSample, sample: Sample
) -> None:
    signals = ok(client.get(f"/api/escalation?place=Aleppo&{AS_OF}"))["signals"]
    assert [(s["kind"], s["reason"].split(":")[0], s["event_ids"]) for s in signals] == [
        ("deescalation", "evacuation completed", [sample.evac])
    ]


@pytest.mark.parametrize(
    ("query", "options", "trend"),
    [
        ("place=ariha&period=day&periods=7", ("--place", "ariha", "--periods", "7"), []),
        ("place=ariha&period=day", ("--place", "ariha"), ["increase_large"]),
        ("place=ariha&periods=6", ("--place", "ariha", "--weekly", "--periods", "6"), ["increase_large"]),
        ("dyad=Syrian Arab Army,Civilians (Syria)&period=day&periods=3", ("--dyad", "Syrian Arab Army,Civilians (Syria)", "--periods", "3"), []),
    ],
)  # fmt: skip
def test_cli_and_api_show_the_same_escalation(
    sitroom: Sitroom,
    client: TestClient,
    monitored: MonitorSample,
    query: str,
    options: tuple[str, ...],
    trend: list[str],
) -> None:
    """The command and the endpoint give the same series and signals of one store, subject
    and span. Trend signals are those of the weeks in the span: a daily view of the last
    seven days (or three) holds only the incomplete week of today, not the step week."""
    body = ok(client.get(f"/api/escalation?{query}&{AS_OF}"))
    result = CliRunner().invoke(
        cli, ["escalation", *options, "--format", "jsonl", "--today", str(TODAY), "--db", sitroom.settings.db]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r for r in rows if "kind" not in r] == body["series"]
    assert [r for r in rows if "kind" in r] == body["signals"]
    assert [s["kind"] for s in body["signals"] if s["kind"].startswith(("increase", "decrease"))] == trend


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "place"),
        ("place=Ariha&dyad=A,B", "dyad"),
        ("dyad=Syrian Arab Army", "dyad"),
        ("dyad=A,", "dyad"),
        ("place=Ariha&period=month", "period"),
        ("place=Ariha&periods=0", "periods"),
        ("place=Ariha&periods=5000", "periods"),
        ("place=Ariha&today=soon", "today"),
    ],
)
def test_bad_escalation_requests_are_422_problems(client: TestClient, query: str, field: str) -> None:
    body = assert_problem(client.get(f"/api/escalation?{query}"), 422)
    assert any(err["loc"][-1] == field for err in body["errors"]), body


def test_signal_scan_lists_every_place_and_filters(client: TestClient, monitored: MonitorSample) -> None:
    body = ok(client.get(f"/api/signals?{AS_OF}"))
    assert body["today"] == str(TODAY) and body["record_start"] == "2025-12-08"
    found = {(s["kind"], s["level"], s["subject"]) for s in body["signals"]}
    assert {
        ("increase_large", "admin1", "Idlib"),
        ("increase_large", "city", "Ariha"),
        ("deescalation", "admin1", "Aleppo"),
    } <= found
    calmer = ok(client.get(f"/api/signals?direction=de-escalation&{AS_OF}"))["signals"]
    assert calmer and {s["direction"] for s in calmer} == {"de-escalation"}
    dyads = ok(client.get(f"/api/signals?level=dyad&{AS_OF}"))["signals"]
    assert dyads and {s["level"] for s in dyads} == {"dyad"}
    assert ok(client.get("/api/signals?today=2025-06-01"))["signals"] == []  # before the record
    assert_problem(client.get("/api/signals?level=street"), 422)


def test_signals_default_to_the_clock_at_the_edge(client: TestClient, monitored: MonitorSample) -> None:
    body = ok(client.get("/api/signals"))
    assert body["today"] > "2026-01-12"  # the data is older than the clock


# --- civilian protection --------------------------------------------------------------


def test_protection_view_rows_by_week_place_and_kind(
    client: TestClient, monitored: MonitorSample, sample: Sample
) -> None:
    rows = ok(client.get("/api/protection"))["rows"]
    keys = [(r["start"], r["place"], r["kind"]) for r in rows]
    assert keys[:3] == [
        ("2026-01-05", "Aleppo", "evacuation"),
        ("2026-01-05", "Aleppo", "corridor"),
        ("2026-01-05", "Aleppo", "protected_site"),
    ]
    evac = rows[0]
    assert (
        evac["events"] == 1
        and evac["completed"] == 1
        and evac["sites"] == ["hospital"]
        and evac["event_ids"] == [sample.evac]
    )
    casualties = next(r for r in rows if r["kind"] == "civilian_casualties")
    assert casualties["place"] == "Idlib" and casualties["events"] == 3 and casualties["dead"] == 2 + 3 + 4
    assert set(casualties["event_ids"]) == set(monitored.step)
    shields = next(r for r in rows if r["kind"] == "human_shields")
    assert shields["start"] == "2025-12-22" and shields["event_ids"] == [monitored.shields]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("place=Aleppo", {("Aleppo", "evacuation"), ("Aleppo", "corridor"), ("Aleppo", "protected_site")}),
        ("kind=human_shields&kind=aid_access", {("Idlib", "human_shields"), ("Idlib", "aid_access")}),
        (
            "since=2026-01-07&until=2026-01-09&level=city",
            {("Ariha", k) for k in ("civilian_casualties", "displacement", "aid_access")}
            | {("Al-Razi hospital", k) for k in ("evacuation", "corridor", "protected_site")},
        ),
        ("until=2025-12-31", {("Idlib", "human_shields")}),
    ],
)
def test_protection_filters(
    client: TestClient, monitored: MonitorSample, query: str, expected: set[tuple[str, str]]
) -> None:
    rows = ok(client.get(f"/api/protection?{query}"))["rows"]
    assert {(r["place"], r["kind"]) for r in rows} == expected


def test_daily_protection_rows(client: TestClient, monitored: MonitorSample) -> None:
    rows = ok(client.get("/api/protection?period=day&kind=civilian_casualties"))["rows"]
    assert [(r["start"], r["end"]) for r in rows] == [
        ("2026-01-10", "2026-01-10"),
        ("2026-01-07", "2026-01-07"),
        ("2026-01-06", "2026-01-06"),
    ]


@pytest.mark.parametrize(
    "query", ["kind=picnic", "period=month", "level=street", "since=2026-01-10&until=2026-01-01"]
)
def test_bad_protection_requests_are_422_problems(client: TestClient, query: str) -> None:
    assert_problem(client.get(f"/api/protection?{query}"), 422)


# --- watches and alerts ---------------------------------------------------------------

WATCH = {"name": "ariha-shelling", "place": "Ariha", "event_type": "assault", "threshold": 3}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/watches", WATCH),
        ("delete", "/api/watches/ariha-shelling", None),
        ("post", "/api/alerts/evaluate", None),
        ("put", "/api/outlets/Reuters", {"reliability": "A"}),
    ],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_monitor_writes_need_the_token(
    client: TestClient, method: str, path: str, body: Any, headers: dict[str, str]
) -> None:
    response = client.request(method.upper(), path, json=body, headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_watches_are_added_listed_and_removed(client: TestClient) -> None:
    assert ok(client.get("/api/watches")) == []
    saved = ok(client.post("/api/watches?today=2026-01-05", json=WATCH, headers=AUTH), 201)
    assert saved["event_type"] == "ASSAULT" and saved["added"] == "2026-01-05" and saved["window_days"] == 7
    assert saved["description"] == "place Ariha, type ASSAULT: 3+ in 7 day(s)"
    assert [w["name"] for w in ok(client.get("/api/watches"))] == ["ariha-shelling"]
    assert (
        "exists already"
        in assert_problem(client.post("/api/watches", json=WATCH, headers=AUTH), 409)["detail"]
    )
    assert ok(client.delete("/api/watches/ariha-shelling", headers=AUTH), 204) is None
    assert ok(client.get("/api/watches")) == []
    assert (
        "no watch named"
        in assert_problem(client.delete("/api/watches/ariha-shelling", headers=AUTH), 404)["detail"]
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "nothing", "threshold": 2}, 400),
        ({**WATCH, "event_type": "BOMBING"}, 400),
        ({**WATCH, "name": "   "}, 400),
        ({**WATCH, "threshold": 0}, 422),
        ({**WATCH, "window_days": 400}, 422),
        ({**WATCH, "protection": "picnic"}, 422),
        ({"place": "Ariha"}, 422),
    ],
)
def test_bad_watches_are_problems(client: TestClient, body: dict[str, Any], status: int) -> None:
    assert_problem(client.post("/api/watches", json=body, headers=AUTH), status)


def test_alerts_are_raised_once_listed_and_published_as_atom(
    client: TestClient, monitored: MonitorSample, sample: Sample
) -> None:
    ok(client.post("/api/watches?today=2026-01-05", json=WATCH, headers=AUTH), 201)
    run = ok(client.post(f"/api/alerts/evaluate?{AS_OF}", headers=AUTH))
    assert [(a["watch"], a["window_start"], a["count"]) for a in run["new"]] == [
        ("ariha-shelling", "2026-01-05", 4)
    ]
    assert run["deliveries"] == []  # no webhook_url set
    assert ok(client.post(f"/api/alerts/evaluate?{AS_OF}", headers=AUTH))["new"] == []
    alerts = ok(client.get("/api/alerts"))
    assert len(alerts) == 1 and alerts[0]["attempts"] == 0 and alerts[0]["delivered_at"] is None
    (cluster_report,) = set(alerts[0]["event_ids"]) - set(
        monitored.step
    )  # one report of the disputed cluster
    assert cluster_report in {sample.wire, sample.monitor} and alerts[0]["places"] == ["Ariha"]
    assert ok(client.get("/api/alerts?watch=other")) == []
    feed = client.get("/api/alerts.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.text)
    self_links = [link.get("href") for link in root.findall(f"{ATOM}link[@rel='self']")]
    assert root.tag == f"{ATOM}feed" and self_links == ["http://testserver/api/alerts.atom"]
    (entry,) = root.findall(f"{ATOM}entry")
    links = {link.get("href") for link in entry.findall(f"{ATOM}link[@rel='related']")}
    assert f"http://testserver/api/events/{cluster_report}" in links and len(links) == 4


def test_alerts_posted_to_the_webhook(sitroom: Sitroom, monitored: MonitorSample) -> None:
    hook = Hook()
    hook.thread.start()
    try:
        sitroom.settings = replace(sitroom.settings, webhook_url=hook.url)
        client = TestClient(create_app(sitroom))
        ok(client.post("/api/watches?today=2026-01-05", json=WATCH, headers=AUTH), 201)
        run = ok(client.post(f"/api/alerts/evaluate?{AS_OF}", headers=AUTH))
    finally:
        hook.server.shutdown()
        hook.server.server_close()
    assert [d["ok"] for d in run["deliveries"]] == [True] and hook.bodies[0]["type"] == "sitroom.alert"
    assert ok(client.get("/api/alerts"))[0]["delivered_at"] is not None


def test_monitor_routes_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/escalation",
        "/api/signals",
        "/api/protection",
        "/api/alerts",
        "/api/alerts.atom",
        "/api/alerts/evaluate",
        "/api/watches",
        "/api/watches/{name}",
        "/api/outlets/{name}",
    } <= set(paths)
    assert {"get", "post"} <= set(paths["/api/watches"]) and "put" in paths["/api/outlets/{name}"]


# --- outlet grades ---------------------------------------------------------------------


def test_an_outlet_grade_is_kept_over_the_table(client: TestClient) -> None:
    row = ok(client.put("/api/outlets/reuters", json={"reliability": "a"}, headers=AUTH))
    assert row == {
        **row,
        "name": "reuters",
        "reliability": "A",
        "group": "Reuters",
        "country": "GBR",
        "domains": ["reuters.com"],
    }
    listed = {o["name"].casefold(): o for o in ok(client.get("/api/outlets"))}
    assert listed["reuters"]["reliability"] == "A"
    new = ok(
        client.put(
            "/api/outlets/Frontline Monitor",
            json={"reliability": "C", "country": "syr", "domains": ["www.frontline.example"]},
            headers=AUTH,
        )
    )
    assert (new["reliability"], new["country"], new["domains"], new["group"]) == (
        "C",
        "SYR",
        ["frontline.example"],
        None,
    )
    cleared = ok(client.put("/api/outlets/Reuters", json={"reliability": "B", "group": ""}, headers=AUTH))
    assert cleared["group"] is None and cleared["country"] == "GBR"
    assert len([o for o in ok(client.get("/api/outlets")) if o["name"].casefold() == "reuters"]) == 1


@pytest.mark.parametrize(
    "body", [{"reliability": "G"}, {"reliability": "AB"}, {}, {"reliability": "A", "country": "Syria"}]
)
def test_bad_outlet_grades_are_422_problems(client: TestClient, body: dict[str, Any]) -> None:
    assert_problem(client.put("/api/outlets/Reuters", json=body, headers=AUTH), 422)


def test_corroboration_grades_with_the_stored_outlet_grade(
    client: TestClient, sitroom: Sitroom, sample: Sample
) -> None:
    def credibility() -> int:
        recluster_all(sitroom.store, sitroom.outlets)
        record = sitroom.store.event(sample.evac)
        assert record is not None
        return int(record["credibility"])

    assert credibility() == 3  # one unhedged report from an unjudged (F) outlet
    ok(client.put("/api/outlets/Aid Bulletin", json={"reliability": "B"}, headers=AUTH))
    assert credibility() == 2  # one unhedged report from a B outlet
