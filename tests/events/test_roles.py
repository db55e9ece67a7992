"""Issue 18 ("roles from syntax"): who did what to whom, in every voice. The victim, the dead
and the target are never the actor; who sees, reports or condemns an attack did not attack; an
event noun names its own author ("a U.S. strike", "the attack by X"); an actor may be unknown.
The sentences are invented."""

from __future__ import annotations

import pytest

from sitroom.models import EventMention
from tests.events.test_event_dates import events_of


def _events(text: str) -> tuple[EventMention, ...]:
    return events_of(text, "2026-01-10")


def _roles(text: str, event_type: str = "ASSAULT") -> list[tuple[list[str], list[str]]]:
    return [
        ([a.name for a in m.actor], [a.name for a in m.recipient])
        for m in _events(text)
        if m.event_type == event_type
    ]


@pytest.mark.model
def test_who_died_after_a_blast_is_no_attacker():
    text = "Major General Ivan Petrov died after a roadside IED detonated under a convoy near Palmyra."
    events = _events(text)
    assert not [a for m in events for a in m.actor if "Petrov" in a.text or "general" in a.name.lower()]


@pytest.mark.model
def test_airstrikes_against_a_group_are_the_country_s_and_the_group_is_their_target():
    roles = _roles(
        "Turkish airstrikes against PKK operatives in northern Iraq killed more than 30 militants."
    )
    assert roles
    actors, recipients = roles[0]
    assert actors == ["Türkiye"]
    assert "Kurdistan Workers' Party" in recipients
    assert not [r for r in recipients if r.startswith("than")]


@pytest.mark.model
def test_who_condemns_an_attack_accuses_its_author():
    events = _events("France condemns the Boko Haram attack this morning at a crowded market in Maiduguri.")
    assert not [m for m in events if m.event_type == "ASSAULT" and any(a.name == "France" for a in m.actor)]
    assert (["France"], ["Boko Haram"]) in _roles(
        "France condemns the Boko Haram attack this morning at a crowded market in Maiduguri.", "ACCUSE"
    )


@pytest.mark.model
def test_an_event_noun_names_its_own_author():
    assert [a for a, _ in _roles("A U.S. strike on Monday hit Taliban vehicles near Kandahar.")] == [
        ["United States"]
    ]


@pytest.mark.model
def test_the_attack_by_x_on_y_gives_its_author_and_its_target_and_victims():
    roles = _roles("The attack by the Taliban on the police station killed four officers.")
    assert roles and roles[0][0] == ["Taliban"]
    assert "four officers" in roles[0][1] and any("police station" in r for r in roles[0][1])


@pytest.mark.model
def test_who_sees_attacks_did_not_attack():
    assert not [
        actors for actors, _ in _roles("The army said troops had seen attacks on convoys near Gao.") if actors
    ]


@pytest.mark.model
def test_an_actor_is_named_by_its_own_words_not_by_what_it_did():
    roles = _roles("Insurgents who ambushed an army convoy killed six soldiers near Kunduz.")
    assert roles and roles[0][0] and all("ambush" not in name for name in roles[0][0])


@pytest.mark.model
def test_the_wounded_are_recipients():
    roles = _roles("There were six women and two children injured in the blast in Kabul.")
    recipients = [r for _, rs in roles for r in rs]
    assert any("women" in r for r in recipients) and any("children" in r for r in recipients)


@pytest.mark.model
def test_a_bare_number_counts_the_people_named_before():
    events = [
        m for m in _events("Gunmen killed 7 villagers and wounded another 15 in Zamfara.") if m.recipient
    ]
    assert [(a.text, a.name) for m in events for a in m.recipient if a.text == "another 15"] == [
        ("another 15", "villagers")
    ]


@pytest.mark.model
def test_he_is_a_person_not_the_group_named_before():
    text = "The Taliban said on Monday that a gunman had attacked the checkpoint. He was arrested by police in Kabul."
    assert not [a for m in _events(text) for a in m.recipient if a.name == "Taliban"]


@pytest.mark.model
def test_who_calls_it_an_attack_did_not_attack():
    text = "The explosion damaged a bakery in Lyon, in what the French president called an attack."
    assert not [a for m in _events(text) for a in m.actor]


@pytest.mark.model
def test_a_country_adjective_of_the_victims_is_no_recipient_of_its_own():
    roles = _roles("Gunmen killed five Syrian pro-regime fighters near Homs.")
    assert roles and "Syria" not in roles[0][1] and roles[0][1]


@pytest.mark.model
def test_a_possessive_names_the_author_and_of_the_victims():
    assert _roles("The army's killing of civilians rose sharply.") == [(["army"], ["civilians"])]


@pytest.mark.model
def test_every_member_of_a_list_of_wounded_is_a_recipient():
    roles = _roles("There were five women, a 12-year-old boy and three men wounded in Kabul.")
    recipients = {r for _, rs in roles for r in rs}
    assert {"five women", "three men"} <= recipients
