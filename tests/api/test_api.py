"""The REST API in-process: every endpoint, filters, pagination, auth and problem documents."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitroom.api.schemas import EventPage
from sitroom.exports import ACLED_COLUMNS
from tests.api.conftest import TOKEN
from tests.api.sample import EVAC, Sample

PROBLEM = "application/problem+json"


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["id"] for e in response.json()["events"]}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == status and body["detail"]
    return body


def test_events_are_listed_newest_first_with_the_event_record(client: TestClient, sample: Sample) -> None:
    body = client.get("/api/events?group=report").json()
    assert {e["id"] for e in body["events"]} == sample.all and body["next_cursor"] is None
    dates = [e["date"] or "" for e in body["events"]]
    assert dates == sorted(dates, reverse=True)
    wire = next(e for e in body["events"] if e["id"] == sample.wire)
    assert wire["evidence"]["outlet"] == "Demo Wire" and wire["attribution"]["chain"] == [
        "Demo Wire",
        "local health officials",
    ]
    assert (
        wire["cluster_id"] == sample.cluster and wire["independent_sources"] == 2 and wire["credibility"] == 2
    )
    assert wire["contradictions"] == [
        {"field": "dead", "values": ["7", "9"], "disputed": True, "reports": []}
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("place=Idlib", {"wire", "monitor"}),
        ("place=SYR", {"wire", "monitor", "evac", "protest"}),
        ("bbox=37.0,36.0,37.5,36.5", {"evac"}),
        ("actor=hayat", {"monitor"}),
        ("event_type=protest", {"protest"}),
        ("event_type=ASSAULT&status=occurred", {"wire", "monitor", "hostile"}),
        ("since=2026-01-09&until=2026-01-10", {"evac"}),
        ("until=2026-01-06", {"hostile"}),
        ("min_sources=2", {"wire", "monitor"}),
        ("civilian_protection=corridor", {"evac"}),
        ("cluster_id=ev-ariha", {"wire", "monitor"}),
        ("status=denied", set()),
    ],
)
def test_event_filters(client: TestClient, sample: Sample, query: str, expected: set[str]) -> None:
    assert ids(client.get(f"/api/events?group=report&{query}")) == {
        getattr(sample, name) for name in expected
    }
    # one row per event (the default): the Ariha cluster's matching reports are one row
    events = client.get(f"/api/events?{query}").json()["events"]
    assert {k for e in events for k in e["report_ids"]} == {getattr(sample, name) for name in expected}
    assert len(events) == len({e["cluster_id"] or e["id"] for e in events})


@pytest.mark.parametrize(("group", "rows"), [("report", 5), ("event", 4)])
def test_cursor_pagination_visits_every_event_once(
    client: TestClient, sample: Sample, group: str, rows: int
) -> None:
    seen: list[str] = []
    reports: list[str] = []
    url = f"/api/events?group={group}&limit=2"
    while True:
        body = client.get(url).json()
        assert len(body["events"]) <= 2
        seen += [e["id"] for e in body["events"]]
        reports += [k for e in body["events"] for k in e.get("report_ids") or [e["id"]]]
        if body["next_cursor"] is None:
            break
        url = f"/api/events?group={group}&limit=2&cursor={body['next_cursor']}"
    assert len(seen) == len(set(seen)) == rows
    assert sorted(reports) == sorted(sample.all)


def test_article_filter_and_pagination_keep_other_filters(client: TestClient, sample: Sample) -> None:
    first = client.get("/api/events?group=report&place=Idlib&limit=1").json()
    second = client.get(f"/api/events?group=report&place=Idlib&limit=1&cursor={first['next_cursor']}").json()
    assert {e["id"] for e in first["events"] + second["events"]} == {sample.wire, sample.monitor}
    assert second["next_cursor"] is None
    assert ids(client.get(f"/api/events?article_id={sample.wire_article}")) == {sample.wire}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=10,0,5,1", "bbox"),
        ("event_type=BOMBING", "event_type"),
        ("status=maybe", "status"),
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("since=yesterday", "since"),
        ("since=2026-01-10&until=2026-01-01", "until"),
        ("min_sources=0", "min_sources"),
        ("civilian_protection=picnic", "civilian_protection"),
        ("cursor=%25%25%25", "cursor"),
    ],
)
def test_invalid_parameters_answer_422_problems(client: TestClient, query: str, field: str) -> None:
    body = assert_problem(client.get(f"/api/events?{query}"), 422)
    assert body["type"] == "urn:sitroom:problem:validation"
    assert any(err["loc"][-1] == field for err in body["errors"]), body


def test_one_event_with_evidence_in_its_article_cluster_and_other_reports(
    client: TestClient, sample: Sample
) -> None:
    body = client.get(f"/api/events/{sample.wire}").json()
    event, article, excerpt = body["event"], body["article"], body["excerpt"]
    assert article["id"] == sample.wire_article and article["text"].startswith("Shelling hit")
    assert (
        article["text"][event["evidence"]["start"] : event["evidence"]["end"]]
        == event["evidence"]["sentence"]
    )
    assert excerpt["evidence"] == event["evidence"]["sentence"] and excerpt["after"].startswith(
        " Officials said"
    )
    assert body["cluster"]["id"] == sample.cluster and body["cluster"]["contradictions"] == [
        {"field": "dead", "values": ["7", "9"], "disputed": True, "reports": []}
    ]
    assert [r["id"] for r in body["reports"]] == [sample.monitor]
    assert body["reports"][0]["attribution"]["chain"] == ["Frontline Monitor", "a monitor"]


def test_an_event_without_cluster_has_no_other_reports(client: TestClient, sample: Sample) -> None:
    body = client.get(f"/api/events/{sample.evac}").json()
    assert body["cluster"] is None and body["reports"] == [] and body["excerpt"]["evidence"] == EVAC


@pytest.mark.parametrize(
    "path", ["/api/events/nope", "/api/articles/nope", "/api/clusters/nope", "/api/no-such-thing"]
)
def test_unknown_things_are_404_problems(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_articles_list_without_text_and_pages_by_offset(client: TestClient, sample: Sample) -> None:
    body = client.get("/api/articles?limit=3").json()
    assert len(body["articles"]) == 3 and body["next_offset"] == 3
    assert all(a["text"] is None for a in body["articles"])
    rest = client.get("/api/articles?limit=3&offset=3").json()
    assert len(rest["articles"]) == 2 and rest["next_offset"] is None
    assert [a["outlet"] for a in client.get("/api/articles?outlet=City Herald").json()["articles"]] == [
        "City Herald"
    ]


def test_one_article_with_sightings_entities_and_events(client: TestClient, sample: Sample) -> None:
    body = client.get(f"/api/articles/{sample.wire_article}").json()
    assert body["article"]["text"].startswith("Shelling hit") and body["article"]["sha256"]
    assert [s["url"] for s in body["sightings"]] == ["https://demowire.example/1"]
    assert body["event_ids"] == [sample.wire]
    assert isinstance(body["entity_mentions"], list)


def test_clusters_list_and_one_cluster_side_by_side(client: TestClient, sample: Sample) -> None:
    clusters = client.get("/api/clusters").json()
    assert [c["id"] for c in clusters] == [sample.cluster]
    assert clusters[0]["headline"]["id"] in {sample.wire, sample.monitor}
    assert client.get("/api/clusters?min_sources=3").json() == []
    body = client.get(f"/api/clusters/{sample.cluster}").json()
    assert body["cluster"]["independent_sources"] == 2 and body["cluster"]["credibility"] == 2
    assert {r["id"] for r in body["reports"]} == {sample.wire, sample.monitor}
    assert sorted(r["size"]["dead"]["min"] for r in body["reports"]) == [7, 9]


def test_rejections_are_listed(client: TestClient) -> None:
    assert client.get("/api/rejections").json() == []


def test_outlet_table_is_listed_with_reliability_grades(client: TestClient) -> None:
    outlets = client.get("/api/outlets").json()
    assert outlets and all(o["reliability"] in "ABCDEF" and o["name"] for o in outlets)


@pytest.mark.parametrize(
    ("fmt", "media", "first"),
    [
        ("jsonl", "application/x-ndjson", "{"),
        ("plover-jsonl", "application/x-ndjson", "{"),
        ("acled-csv", "text/csv", ",".join(ACLED_COLUMNS)),
        ("hxl-csv", "text/csv", "event_id,"),
        ("geojson", "application/geo+json", '{"type": "FeatureCollection"'),
    ],
)
def test_export_endpoint_streams_every_format(client: TestClient, fmt: str, media: str, first: str) -> None:
    response = client.get(f"/api/export?format={fmt}&place=SYR")
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.startswith(first)


def test_export_endpoint_filters_ignore_paging_and_coarsen(client: TestClient, sample: Sample) -> None:
    lines = client.get("/api/export?format=jsonl&limit=1").text.splitlines()
    assert len(lines) == 5
    evac = json.loads(client.get("/api/export?format=jsonl&civilian_protection=evacuation&coarsen=true").text)
    assert (
        evac["id"] == sample.evac and evac["location"]["lat"] == 36.2 and evac["location"]["name"] == "Aleppo"
    )
    assert_problem(client.get("/api/export?format=xlsx"), 422)


# --- write endpoints ----------------------------------------------------------------

BAD_LINE = b"this is not json\n"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}],
)
def test_ingest_without_the_right_token_is_401(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/api/ingest", content=BAD_LINE, headers={"Content-Type": "application/x-ndjson", **headers}
    )
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_write_endpoints_are_401_when_no_token_is_configured(sitroom: Any, sample: Sample) -> None:
    from dataclasses import replace

    from sitroom.api import create_app

    sitroom.settings = replace(sitroom.settings, api_token=None)
    response = TestClient(create_app(sitroom)).post(
        "/api/ingest",
        content=BAD_LINE,
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    assert "disabled" in assert_problem(response, 401)["detail"]


def test_ingest_jsonl_with_the_token_reports_each_item(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post(
        "/api/ingest", content=BAD_LINE, headers={"Content-Type": "application/x-ndjson", **auth}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rejected"] == 1 and body["stored"] == 0 and len(body["errors"]) == 1
    assert client.get("/api/rejections").json()[0]["code"] == "bad-json"


def test_ingest_urls_are_fetched_under_the_fetch_policy(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = client.post("/api/ingest", json={"urls": ["http://127.0.0.1:9/private"]}, headers=auth).json()
    assert body["rejected"] == 1 and "127.0.0.1" in body["errors"][0]


@pytest.mark.parametrize(
    ("content", "media", "status"),
    [
        (b'{"urls": []}', "application/json", 422),
        (b"{not json", "application/json", 422),
        (b"<xml/>", "application/xml", 415),
    ],
)
def test_bad_ingest_bodies_are_problems(client: TestClient, content: bytes, media: str, status: int) -> None:
    response = client.post(
        "/api/ingest", content=content, headers={"Content-Type": media, "Authorization": f"Bearer {TOKEN}"}
    )
    assert_problem(response, status)


def test_ingest_refuses_bodies_over_max_ingest_body_bytes(sitroom: Any, sample: Sample) -> None:
    from dataclasses import replace

    from sitroom.api import create_app

    sitroom.settings = replace(sitroom.settings, max_ingest_body_bytes=2048)
    body = io.BytesIO(b"x" * 4096).getvalue()
    response = TestClient(create_app(sitroom)).post(
        "/api/ingest",
        content=body,
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    assert_problem(response, 413)


# --- the document and the page --------------------------------------------------------


def test_openapi_document_lists_every_endpoint_and_docs_pages_are_off(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}", "/api/clusters",
        "/api/clusters/{cluster_id}", "/api/rejections", "/api/outlets", "/api/export", "/api/ingest",
    } <= paths  # fmt: skip
    assert client.get("/docs").status_code == 404


def test_dashboard_page_loads_only_local_assets_under_a_strict_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy
    assert 'src="/static/js/main.js"' in response.text and "https://" not in response.text
    for asset in ("/static/js/main.js", "/static/js/map.js", "/static/app.css"):
        assert client.get(asset).status_code == 200


def test_a_list_page_sent_as_stored_is_an_event_page_of_the_schema(
    client: TestClient, sample: Sample
) -> None:
    body = client.get("/api/events", params={"limit": 50}).json()
    assert body["events"] and EventPage.model_validate(body).model_dump(mode="json") == body
