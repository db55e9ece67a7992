"""``q=`` and the folded place/actor filters of ``GET /api/events`` and ``GET /api/export``
(issue 22): in-process, over the search sample of tests/store/test_search.py."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.pipeline import Sitroom
from tests.store.test_search import populate


@pytest.fixture
def searched(sitroom: Sitroom) -> tuple[TestClient, dict[str, str]]:
    ids = populate(sitroom.store)
    return TestClient(create_app(sitroom, cache_mb=0)), ids


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("place=Ariha", {"ariha"}),
        ("place=Ar%C4%AB%E1%B8%A9%C4%81", {"ariha"}),  # Arīḩā
        ("place=Sheikh+Maksoud", {"sheikh"}),
        ("place=Sheikh+Maqsoud", {"sheikh"}),
        ("place=Syria", {"ariha", "sheikh", "syria", "damascus"}),
        ("place=SYR", {"ariha", "sheikh", "syria", "damascus"}),
        ("actor=hay%27at+tahrir", {"ariha"}),
        ("q=market", {"ariha"}),
        ("q=%22car+bomb%22", {"damascus"}),  # "car bomb"
        ("q=t%C3%A9l%C3%A9vis%C3%A9e", {"syria"}),  # the outlet, accented
        ("q=checkp*", {"damascus"}),
        ("q=NEAR(market", set()),
        ("q=syria&place=Aleppo", {"sheikh"}),
        ("q=", {"ariha", "sheikh", "syria", "damascus"}),  # empty: no search
    ],
)
def test_events_search_and_folded_filters(
    searched: tuple[TestClient, dict[str, str]], query: str, expected: set[str]
) -> None:
    client, ids = searched
    answer = client.get(f"/api/events?{query}")
    assert answer.status_code == 200, answer.text
    assert {e["id"] for e in answer.json()["events"]} == {ids[k] for k in expected}


@pytest.mark.parametrize("query", ["%22", "market+%22car", "*", "%28+*+%29", "%28%29", "-"])
@pytest.mark.parametrize("path", ["/api/events", "/api/export"])
def test_a_search_the_store_cannot_run_answers_422_never_500(
    searched: tuple[TestClient, dict[str, str]], path: str, query: str
) -> None:
    client, _ = searched
    answer = client.get(f"{path}?q={query}")
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert [err["loc"] for err in body["errors"]] == [["query", "q"]]
    assert "double quote" in body["detail"] or "no word" in body["detail"]


def test_export_searches(searched: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = searched
    answer = client.get("/api/export?format=geojson&q=%22car+bomb%22")
    assert answer.status_code == 200, answer.text
    assert [f["properties"]["id"] for f in answer.json()["features"]] == [ids["damascus"]]


def test_q_is_documented_in_the_openapi_schema(searched: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = searched
    parameters = client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]
    (q,) = [p for p in parameters if p["name"] == "q"]
    assert "full-text" in q["description"]
