"""GET /api/places: gazetteer places by name, for picking an event's place under review."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample, populate

REVIEWER = "reviewer-token-0123456789"
ARIHA = "geonames:172994"  # Arīḩā, Idlib (GeoNames)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Sample]]:
    db = tmp_path_factory.mktemp("places") / "places.db"
    app = Sitroom(Settings(db=f"sqlite:///{db}", tokens=(f"ana:reviewer:{REVIEWER}",)))
    sample = populate(app.store)
    yield TestClient(create_app(app)), sample
    app.store.close()


@pytest.fixture
def client(served: tuple[TestClient, Sample]) -> TestClient:
    return served[0]


def ids(client: TestClient, query: str) -> list[str]:
    answer = client.get("/api/places", params={"q": query})
    assert answer.status_code == 200, answer.text
    return [p["id"] for p in answer.json()]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Ariha", ARIHA),  # the article's spelling finds Arīḩā
        ("ARĪḨĀ", ARIHA),
        ("Ariha, SYR", ARIHA),
        ("Halab", "geonames:170063"),  # an alternate name: Aleppo
        (ARIHA, ARIHA),  # an entry id
    ],
)
def test_a_name_finds_its_place_first(client: TestClient, query: str, first: str) -> None:
    assert ids(client, query)[0] == first


def test_the_start_of_a_name_finds_places_of_one_country(client: TestClient) -> None:
    found = client.get("/api/places", params={"q": "Arih, SYR", "limit": 50}).json()
    assert ARIHA in [p["id"] for p in found]
    assert {p["country"] for p in found} == {"SYR"}
    ariha = next(p for p in found if p["id"] == ARIHA)
    assert (ariha["name"], ariha["admin1"], ariha["precision"]) == ("Arīḩā", "Idlib", "city")
    assert ids(client, "Arih, FRA") == []


def test_a_name_nowhere_and_an_empty_query(client: TestClient) -> None:
    assert ids(client, "Nowhereville") == []
    assert client.get("/api/places", params={"q": ""}).status_code == 422
    assert client.get("/api/places", params={"q": "x", "limit": 500}).status_code == 422


def test_a_picked_id_corrects_the_place_under_the_entrys_name(served: tuple[TestClient, Sample]) -> None:
    client, sample = served
    answer = client.post(
        f"/api/events/{sample.hostile}/review",
        json={"action": "correct", "location": ARIHA, "reason": "picked from the list"},
        headers={"Authorization": f"Bearer {REVIEWER}"},
    )
    assert answer.status_code == 200, answer.text
    place = answer.json()["event"]["location"]
    assert (place["text"], place["name"], place["country"]) == ("Arīḩā", "Arīḩā", "SYR")


def test_a_point_finds_the_places_nearest_to_it(client: TestClient) -> None:
    found = client.get("/api/places", params={"lat": 35.52, "lon": 35.78, "limit": 3}).json()
    assert found[0]["name"] == "Latakia"
    assert found[0]["distance_km"] < 5
    assert [p["distance_km"] for p in found] == sorted(p["distance_km"] for p in found)
    assert {p["precision"] for p in found} <= {"site", "neighbourhood", "city"}  # no province centre
    # across the antimeridian: Fiji's towns from just east of it
    near_fiji = client.get("/api/places", params={"lat": -16.8, "lon": -179.99, "limit": 1}).json()
    assert near_fiji and near_fiji[0]["country"] == "FJI"
    assert client.get("/api/places", params={"lat": -60, "lon": 0}).json() == []  # the Southern Ocean


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"lat": 35.5},
        {"q": "Aleppo", "lat": 35.5, "lon": 35.8},
        {"q": "Aleppo", "lon": 35.8},
        {"lat": 95, "lon": 0},
    ],
)
def test_a_name_or_a_point_is_asked(client: TestClient, params: dict) -> None:
    assert client.get("/api/places", params=params).status_code == 422
