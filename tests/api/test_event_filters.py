"""A bad event filter answers 422 naming the parameter and its valid values, on the event
list and on the export alike (the same EventFilter checks both, and the CLI's options)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ("event_type=BOMBING", "event_type", "'BOMBING' is not a PLOVER event type (valid: AGREE, CONSULT,"),
        ("status=maybe", "status", "'occurred', 'ongoing', 'planned'"),
        ("civilian_protection=picnic", "civilian_protection", "'evacuation', 'corridor'"),
        ("bbox=10,0,5,1", "bbox", "is not a box"),
        ("since=2026-01-10&until=2026-01-01", "until", "before since"),
        ("cursor=abc", "cursor", "is not a cursor"),
    ],
)
@pytest.mark.parametrize("path", ["/api/events", "/api/export"])
def test_a_bad_filter_answers_422_naming_the_valid_values(
    client: TestClient, path: str, query: str, field: str, says: str
) -> None:
    answer = client.get(f"{path}?{query}")
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["type"] == "urn:sitroom:problem:validation" and says in body["detail"]
    assert [err["loc"] for err in body["errors"]] == [["query", field]]


def test_an_actor_filter_of_a_percent_sign_matches_no_name_without_one(client: TestClient) -> None:
    assert client.get("/api/events?actor=%25").json()["events"] == []
    assert client.get("/api/events?actor=h_yat").json()["events"] == []
    assert client.get("/api/events?actor=hayat").json()["events"] != []


@pytest.mark.parametrize("query", ["group=cluster", "group=", "place=Idlib&group=Event"])
def test_a_bad_group_answers_422_naming_it(client: TestClient, query: str) -> None:
    answer = client.get(f"/api/events?{query}")
    assert answer.status_code == 422, answer.text
    assert [err["loc"] for err in answer.json()["errors"]] == [["query", "group"]]
