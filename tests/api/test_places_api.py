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
