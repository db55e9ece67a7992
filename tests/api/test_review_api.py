"""Review and correction through the API (POST /api/events/{id}/review): each action, the
corrections log returned with the event, the review filter, roles, and what the log holds."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sitroom.api import create_app
from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from sitroom.store import schema as t
from tests.api.sample import Sample, populate

ADMIN = "admin-token-0123456789"
REVIEWER = "reviewer-token-0123456789"
READER = "reader-token-0123456789"
TOKENS = (f"ana:reviewer:{REVIEWER}", f"rita:reader:{READER}")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Sitroom]:
    sitroom = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'review.db'}", api_token=ADMIN, tokens=TOKENS))
    yield sitroom
    sitroom.store.close()


@pytest.fixture
def sample(app: Sitroom) -> Sample:
    return populate(app.store)


@pytest.fixture
def client(app: Sitroom, sample: Sample) -> TestClient:
    return TestClient(create_app(app))


def review(client: TestClient, event_id: str, token: str | None = REVIEWER, **body: str) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = client.post(f"/api/events/{event_id}/review", json=body, headers=headers)
    return answer.status_code, answer.json()


def listed(client: TestClient, query: str = "") -> set[str]:
    """The reports listed (one row per report: reviews are of reports)."""
    return {e["id"] for e in client.get(f"/api/events?group=report&{query}").json()["events"]}


def test_dismissing_an_event_takes_it_out_of_lists_exports_and_its_cluster(
    client: TestClient, sample: Sample
) -> None:
    status, answer = review(
        client, sample.wire, action="dismiss", kind="duplicate", reason="same as the monitor's"
    )
    assert status == 200, answer
    assert answer["event"]["review_status"] == "dismissed"
    assert answer["correction"]["changes"] == {"dismissed": "duplicate"}
    assert listed(client) == sample.all - {sample.wire}
    assert listed(client, "review=dismissed") == {sample.wire}
    exported = client.get("/api/export?format=jsonl").text.splitlines()
    assert {json.loads(line)["id"] for line in exported} == sample.all - {sample.wire}
    # the monitor's report is the event's only report left: one source, no contradiction
    monitor = client.get(f"/api/events/{sample.monitor}").json()["event"]
    assert (monitor["independent_sources"], monitor["contradictions"]) == (1, [])
    assert client.get(f"/api/events/{sample.wire}").json()["event"]["cluster_id"] is None


def test_a_correction_changes_the_event_everywhere_and_says_which_fields(
    client: TestClient, sample: Sample
) -> None:
    status, answer = review(
        client, sample.hostile, action="correct", event_type="coerce", dead="3-4", reason="an arrest raid, AP"
    )
    assert status == 200, answer
    event = answer["event"]
    assert (event["event_type"], event["size"]["dead"]) == ("COERCE", {"min": 3, "max": 4, "text": "3-4"})
    assert (event["review_status"], event["corrected"]) == ("corrected", ["event_type", "size.dead"])
    assert listed(client, "event_type=COERCE") == {sample.hostile}
    assert sample.hostile not in listed(client, "event_type=ASSAULT")
    assert listed(client, "review=corrected") == {sample.hostile}
    detail = client.get(f"/api/events/{sample.hostile}").json()
    [entry] = detail["corrections"]
    assert entry["changes"]["event_type"] == {"before": "ASSAULT", "after": "COERCE"}
    assert entry["changes"]["size.dead"]["before"] is None
    assert (entry["reviewer"], entry["reason"], entry["action"]) == ("ana", "an arrest raid, AP", "correct")
    row = next(
        json.loads(line)
        for line in client.get("/api/export?format=jsonl").text.splitlines()
        if json.loads(line)["id"] == sample.hostile
    )
    assert row["corrected"] == ["event_type", "size.dead"]


def test_a_place_is_picked_from_the_gazetteer_by_name(client: TestClient, sample: Sample) -> None:
    status, answer = review(
        client, sample.hostile, action="correct", location="Ariha", reason="the town named"
    )
    assert status == 200, answer
    place = answer["event"]["location"]
    assert (place["text"], place["country"], place["precision"]) == ("Ariha", "SYR", "city")
    assert abs(place["lat"] - 35.81) < 0.1 and abs(place["lon"] - 36.61) < 0.1
    assert sample.hostile in listed(client, "place=Ariha")
    status, problem = review(client, sample.hostile, action="correct", location="Nowhereville", reason="x")
    assert status == 422 and "'Nowhereville' is not in the gazetteer" in problem["detail"]


def test_confirming_is_a_filterable_status(client: TestClient, sample: Sample) -> None:
    assert listed(client, "review=unreviewed") == sample.all
    status, answer = review(client, sample.protest, action="confirm", reason="seen on video")
    assert status == 200, answer
    assert listed(client, "review=confirmed") == {sample.protest}
    assert listed(client, "review=unreviewed") == sample.all - {sample.protest}
    assert client.get("/api/events?review=fixed").status_code == 422


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"action": "confirm", "reason": ""}, "reason"),
        ({"action": "confirm", "reason": "   "}, "a reason is required"),
        ({"action": "confirm"}, "reason"),
        ({"action": "dismiss", "reason": "no kind"}, "kind None is not one of not_event, duplicate, wrong"),
        ({"action": "correct", "reason": "nothing"}, "give at least one field"),
        ({"action": "correct", "reason": "r", "event_type": "BOMB"}, "'BOMB' is not a PLOVER type"),
        ({"action": "correct", "reason": "r", "dead": "many"}, "size.dead 'many' is not a number"),
        ({"action": "correct", "reason": "r", "date": "2026-13-01"}, "is not a date"),
    ],
)
def test_bad_actions_answer_422_and_change_nothing(
    client: TestClient, app: Sitroom, sample: Sample, body: dict, detail: str
) -> None:
    before = app.store.event(sample.evac)
    status, answer = review(client, sample.evac, **body)
    assert status == 422, answer
    assert detail in json.dumps(answer)
    assert app.store.event(sample.evac) == before
    assert app.store.corrections(sample.evac) == []


def test_an_unknown_event_is_404(client: TestClient) -> None:
    status, answer = review(client, "m-none", action="confirm", reason="r")
    assert status == 404 and "no event with id 'm-none'" in answer["detail"]


def test_roles_are_enforced(client: TestClient, sample: Sample) -> None:
    assert review(client, sample.evac, token=None, action="confirm", reason="r")[0] == 401
    assert review(client, sample.evac, token="not-a-token-at-all", action="confirm", reason="r")[0] == 401
    status, answer = review(client, sample.evac, token=READER, action="confirm", reason="r")
    assert status == 403 and "role reader" in answer["detail"]
    # managing outlets is an admin's: a reviewer is refused, the api_token (admin) is not
    grade = {"reliability": "B"}
    put = client.put("/api/outlets/Demo%20Wire", json=grade, headers={"Authorization": f"Bearer {REVIEWER}"})
    assert put.status_code == 403
    put = client.put("/api/outlets/Demo%20Wire", json=grade, headers={"Authorization": f"Bearer {ADMIN}"})
    assert put.status_code == 200, put.text
    status, answer = review(client, sample.evac, token=ADMIN, action="confirm", reason="checked")
    assert status == 200 and answer["correction"]["reviewer"] == "api_token"


def test_the_log_never_holds_a_token_value(client: TestClient, app: Sitroom, sample: Sample) -> None:
    review(
        client, sample.evac, action="correct", actor="Syrian Arab Red Crescent", reason="named in the text"
    )
    review(client, sample.evac, token=ADMIN, action="confirm", reason="checked")
    with app.store.engine.connect() as conn:
        rows = [tuple(map(str, row)) for row in conn.execute(select(t.corrections))]
    assert len(rows) == 2
    dumped = json.dumps(rows)
    assert REVIEWER not in dumped and ADMIN not in dumped
    assert [row[5] for row in rows] == ["ana", "api_token"]


def test_csv_exports_mark_the_corrected_fields(client: TestClient, sample: Sample) -> None:
    review(client, sample.protest, action="correct", dead="2", reason="two deaths reported later")
    hxl = list(csv.reader(io.StringIO(client.get("/api/export?format=hxl-csv").text)))
    tags, rows = hxl[1], {row[0]: row for row in hxl[2:]}
    assert rows[sample.protest][tags.index("#meta+corrected")] == "size.dead"
    assert rows[sample.protest][tags.index("#meta+review")] == "corrected"
    assert rows[sample.evac][tags.index("#meta+corrected")] == ""
    acled = {
        row["event_id_cnty"]: row
        for row in csv.DictReader(io.StringIO(client.get("/api/export?format=acled-csv").text))
    }
    assert "corrected by an analyst: size.dead" in acled[sample.protest]["tags"]
    assert "corrected" not in acled[sample.evac]["tags"]


def test_merge_and_split_through_the_api(client: TestClient, sample: Sample) -> None:
    status, answer = review(client, sample.protest, action="merge", other=sample.evac, reason="one rally")
    assert status == 200, answer
    assert answer["correction"]["changes"] == {"merged_with": sample.evac}
    cluster = answer["event"]["cluster_id"]
    assert listed(client, f"cluster_id={cluster}") == {sample.protest, sample.evac}
    # one row per event by default: the merged rally is one row holding both reports
    (merged,) = client.get(f"/api/events?cluster_id={cluster}").json()["events"]
    assert set(merged["report_ids"]) == {sample.protest, sample.evac}
    status, answer = review(client, sample.evac, action="split", reason="an evacuation, not the rally")
    assert status == 200, answer
    assert answer["event"]["independent_sources"] == 1
    assert review(client, sample.protest, action="merge", reason="no other")[0] == 422


def test_a_dismissed_event_leaves_the_totals(client: TestClient, sample: Sample) -> None:
    before = client.get("/api/summary").json()
    review(client, sample.monitor, action="dismiss", kind="wrong", reason="a misread figure")
    after = client.get("/api/summary").json()
    assert (before["reports"], after["reports"]) == (5, 4)
    # the wire's 7 dead stand alone: the monitor's 9 no longer widens the event's range
    assert (before["dead_high"] - after["dead_high"], after["dead"]) == (2, before["dead"])


def test_an_actor_the_lexicon_knows_gets_its_canonical_entry(client: TestClient, sample: Sample) -> None:
    status, answer = review(
        client,
        sample.hostile,
        action="correct",
        actor="Tahrir al-Sham; a local militia",
        reason="named by AFP",
    )
    assert status == 200, answer
    known, unknown = answer["event"]["actor"]
    assert (known["text"], known["name"], known["country"], known["sector"]) == (
        "Tahrir al-Sham",
        "Hayat Tahrir al-Sham",
        "SYR",
        "REB",
    )
    assert (unknown["name"], unknown["country"]) == ("a local militia", None)
    assert sample.hostile in listed(client, "actor=Hayat Tahrir")
