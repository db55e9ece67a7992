"""ACLED typing of short reports written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import ConfigError
from sitroom.events.acled import SUB_EVENT_TYPES, classify_acled, read_rules
from sitroom.events.plover import EventType


@pytest.mark.parametrize(
    ("report", "sub_event_type"),
    [
        (
            "Government troops clashed with rebels near the town of Beni, leaving six fighters dead.",
            "Armed clash",
        ),
        (
            "The army recaptured the village of Tal Tamr from Islamic State fighters on Sunday.",
            "Government regains territory",
        ),
        (
            "Al-Shabaab militants seized the town of Mahas after heavy fighting with government forces.",
            "Non-state actor overtakes territory",
        ),
        (
            "Residents reported a chlorine gas attack on a suburb of the city that left dozens choking.",
            "Chemical weapon",
        ),
        (
            "Russian warplanes carried out airstrikes on a market in Idlib, killing nine civilians.",
            "Air/drone strike",
        ),
        (
            "A suicide bomber blew himself up at a checkpoint in Kabul, killing four policemen.",
            "Suicide bomb",
        ),
        (
            "Mortar shells fired by the rebels landed on a residential district of Donetsk.",
            "Shelling/artillery/missile attack",
        ),
        (
            "A roadside bomb struck a military convoy near Gao, wounding three soldiers.",
            "Remote explosive/landmine/IED",
        ),
        ("An unknown assailant threw a grenade into a bar in Bujumbura, injuring five people.", "Grenade"),
        (
            "Soldiers raped at least twelve women during a raid on the village, a rights group said.",
            "Sexual violence",
        ),
        ("Gunmen attacked worshippers in a church in Ondo state, killing 22 people.", "Attack"),
        (
            "Armed men kidnapped 30 students from a boarding school in Kaduna.",
            "Abduction/forced disappearance",
        ),
        ("Thousands of teachers marched peacefully in Nairobi to demand higher pay.", "Peaceful protest"),
        (
            "Police fired tear gas to disperse hundreds of demonstrators outside parliament.",
            "Protest with intervention",
        ),
        (
            "Security forces opened fire on protesters in Khartoum, killing seven of them.",
            "Excessive force against protesters",
        ),
        (
            "Rioters torched cars and threw stones at police during a protest in the capital.",
            "Violent demonstration",
        ),
        ("An angry mob lynched a man accused of theft in the market.", "Mob violence"),
        ("The government and the rebel movement signed a ceasefire agreement in Juba.", "Agreement"),
        ("Police arrested 15 members of the opposition party in Harare on Monday.", "Arrests"),
        (
            "Hundreds of fighters defected from the group and formed a new faction.",
            "Change to group/activity",
        ),
        ("Security forces defused an explosive device found near the airport.", "Disrupted weapons use"),
        (
            "Turkish forces set up a new observation post in the countryside of Idlib.",
            "Headquarters or base established",
        ),
        (
            "Looters ransacked shops and set houses on fire in the northern district.",
            "Looting/property destruction",
        ),
        (
            "The coalition withdrew from the base and handed control to the national army without fighting.",
            "Non-violent transfer of territory",
        ),
    ],
)
def test_reports_get_their_sub_event_type(report: str, sub_event_type: str) -> None:
    typed = classify_acled(report)
    assert typed.sub_event_type == sub_event_type
    assert typed.event_type == SUB_EVENT_TYPES[sub_event_type]


@pytest.mark.parametrize(
    ("report", "category"),
    [
        ("A magnitude 6.8 earthquake struck the coast, killing at least 40 people.", "Natural disaster"),
        ("A gas cylinder explosion at a factory killed three workers, officials said.", "Man-made disaster"),
        ("Police broke up a drug trafficking ring smuggling cocaine through the port.", "Organized crime"),
        ("The Islamic State group claimed responsibility for the attack on the base.", "Attribution"),
    ],
)
def test_reports_outside_acled_get_no_acled_type(report: str, category: str) -> None:
    typed = classify_acled(report)
    assert (typed.event_type, typed.sub_event_type, typed.category) == (None, None, category)


def test_nothing_to_type() -> None:
    assert classify_acled("The weather was mild and the shops opened as usual.").sub_event_type is None


def test_plover_reading_votes() -> None:
    text = "Crowds gathered in the square on Friday."
    hinted = classify_acled(text, EventType(event_type="PROTEST"))
    assert hinted.sub_event_type == "Peaceful protest"


def test_rules_reject_unknown_labels(tmp_path: Path) -> None:
    path = tmp_path / "rules.tsv"
    path.write_text("label\tpattern\tweight\nBombing\tbomb\t1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown label"):
        read_rules(path)
