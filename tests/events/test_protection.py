"""Civilian-protection kinds read from evidence sentences; every event has a type (issue 18):
a concern no trigger states is its governing act's, an act of its own, or no event. The
sentences are invented."""

from __future__ import annotations

import pytest

from sitroom.config import load_settings
from sitroom.events.protection import Protection, concern_type, find_protection
from sitroom.events.size import find_size
from sitroom.pipeline import Sitroom
from sitroom.rules import load_rules
from sitroom.store.filters import EventFilter
from tests.conftest import shared_data
from tests.events.test_event_dates import events_of

SIZE_WORDS = load_rules().size_words


@pytest.mark.parametrize(
    ("sentence", "kinds", "site"),
    [
        (
            "However, after Ashrafieh was evacuated and Sheikh Maksoud surrounded, orders came.",
            {"evacuation"},
            None,
        ),
        (
            "PKK fighters reportedly entrenched themselves in and around a hospital, disregarding the safety of patients.",
            {"protected_site"},
            "hospital",
        ),
        (
            "The group escalated violence, using civilians in Kurdish neighborhoods as human shields and firing positions.",
            {"human_shields"},
            None,
        ),
        (
            "The Red Crescent evacuated about 400 civilians through a humanitarian corridor opened for six hours.",
            {"evacuation", "corridor"},
            None,
        ),
        (
            "At least seven civilians were killed when shells struck a crowded market.",
            {"civilian_casualties"},
            "market",
        ),
        ("PKK snipers killed multiple Syrian security personnel, sources added.", set(), None),
        ("More than 1,000 people have fled their homes.", {"displacement"}, None),
        ("Twenty-eight trucks carrying food and medical supplies crossed into Idlib.", {"aid_access"}, None),
        (
            "An air strike hit a school in the town, killing three children.",
            {"protected_site", "civilian_casualties"},
            "school",
        ),
        ("Officials said the delays allowed the gunmen to take shelter there.", set(), None),
        (
            "Families who sought shelter in a school were evacuated.",
            {"evacuation", "protected_site"},
            "school",
        ),
        ("They were taken to shelters in the west of the city.", {"protected_site"}, "shelter"),
    ],
)
def test_kinds(sentence: str, kinds: set[str], site: str | None) -> None:
    found = find_protection(sentence, find_size(sentence, SIZE_WORDS))
    assert set(found.kinds) == kinds
    assert found.site == site


HOSPITAL = Protection(kinds=("protected_site",), site="hospital")


@pytest.mark.parametrize(
    ("protection", "clause", "armed", "happening", "kind"),
    [
        (HOSPITAL, "fighters entrenched themselves around a hospital", True, True, "MOBILIZE"),
        (HOSPITAL, "Ambulances took the wounded to a hospital", False, True, "AID"),
        (HOSPITAL, "a chest doctor at the Royal Infirmary", False, True, None),
        (HOSPITAL, "to enter the hospital", True, False, None),
        (Protection(("protected_site",), "school"), "the wounded at a school", False, True, None),
        (Protection(("human_shields",), None), "used residents as human shields", True, True, "COERCE"),
        (Protection(("displacement",), None), "the country had admitted refugees", False, True, None),
    ],
)
def test_a_concern_no_trigger_states_is_typed_by_what_its_clause_says(
    protection: Protection, clause: str, armed: bool, happening: bool, kind: str | None
) -> None:
    assert concern_type(protection, clause, armed=armed, happening=happening) == kind


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kind", "site"),
    [
        (
            "Militia fighters reportedly entrenched themselves in and around a clinic in the town.",
            "MOBILIZE",
            "hospital",
        ),
        ("Militants took up positions inside a school in the village on Monday.", "MOBILIZE", "school"),
        ("Ambulances took the wounded to a hospital in the city, medical staff said.", "AID", "hospital"),
    ],
)
def test_a_concern_with_a_happening_is_a_typed_event(text: str, kind: str, site: str) -> None:
    (event,) = [e for e in events_of(text, "2026-01-10") if "protected_site" in e.civilian_protection]
    assert (event.event_type, event.protected_site) == (kind, site)


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Joshua Doe, a professor of engineering at the University of Texas, explained the finding.",
        "The gray haze led to canceled flights, closed schools, and created a health emergency.",
        "His doctor referred him to a chest doctor at the Royal Infirmary.",
        "My wife was going back to school to advance her nursing degree.",
    ],
)
def test_a_facility_named_with_nothing_done_is_no_event(text: str) -> None:
    assert events_of(text, "2026-01-10") == ()


@pytest.mark.model
def test_every_event_of_a_report_has_a_type() -> None:
    text = (
        "Government troops shelled the town on Monday, damaging a school and a clinic. "
        "Ambulances took the wounded to a hospital in the city. "
        "A spokesman for the university said classes would resume."
    )
    events = events_of(text, "2026-01-10")
    assert events
    assert all(e.event_type for e in events), [(e.event_type, e.evidence.sentence) for e in events]


@pytest.mark.model
@pytest.mark.shared
def test_every_event_on_the_dev_pages_has_a_type(tmp_path) -> None:
    """The 92 dev pages gave about 20 events with no type, each a bare mention of a university,
    a school or an infirmary."""
    pages = shared_data("article-extraction") / "html"
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{tmp_path / 'dev.db'}"}))
    try:
        app.ingest([str(pages)])
        records = list(app.store.iter_events(EventFilter()))
    finally:
        app.store.close()
    assert len(records) > 200
    untyped = [r["evidence"]["sentence"][:80] for r in records if not r["event_type"]]
    assert untyped == []


@pytest.mark.parametrize(
    ("event_type", "site"),
    [("COOPERATE", None), ("CONSULT", None), ("AGREE", None), ("ASSAULT", "school"), ("MOBILIZE", "school")],
)
def test_talk_and_cooperation_concern_no_site_they_name(event_type: str, site: str | None) -> None:
    sentence = "Two lecturers at the State University of Lagos were handed over to the police."
    found = find_protection(sentence, find_size(sentence, SIZE_WORDS), event_type=event_type)
    assert found.site == site
    assert ("protected_site" in found.kinds) == (site is not None)
