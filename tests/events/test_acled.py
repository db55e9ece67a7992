"""ACLED typing of short reports written for these tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sitroom.errors import ConfigError
from sitroom.events import acled_model
from sitroom.events.acled import (
    LABELS,
    SUB_EVENT_TYPES,
    allowed_sub_types,
    classify_acled,
    cue_scores,
)
from sitroom.events.plover import EventType
from sitroom.rules import load_rules

RULES = load_rules()


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
    typed = classify_acled(report, RULES)
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
    typed = classify_acled(report, RULES)
    assert (typed.event_type, typed.sub_event_type, typed.category) == (None, None, category)


def test_nothing_to_type() -> None:
    assert classify_acled("The weather was mild and the shops opened as usual.", RULES).sub_event_type is None


def test_plover_reading_votes() -> None:
    text = "Crowds gathered in the square on Friday."
    hinted = classify_acled(text, RULES, EventType(event_type="PROTEST"))
    assert hinted.sub_event_type == "Peaceful protest"


def test_rules_reject_unknown_labels(tmp_path: Path) -> None:
    path = tmp_path / "rules.tsv"
    path.write_text("label\tpattern\tweight\nBombing\tbomb\t1\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"rules.tsv: row 2: unknown label 'Bombing'; use an ACLED sub-event type"
    ):
        load_rules([str(path)])


@pytest.mark.parametrize(
    ("report", "reading", "sub_event_type"),
    [
        # the mode decides: an ASSAULT from the air is an air strike whatever the words lean to
        ("Clashes broke out after jets struck the town.", EventType("ASSAULT", "aerial"), "Air/drone strike"),
        (
            "Shells hit the market.",
            EventType("ASSAULT", "heavy-weapons"),
            "Shelling/artillery/missile attack",
        ),
        ("Police arrested 15 members of the opposition.", EventType("COERCE", "arrest"), "Arrests"),
        # a demonstration is never Battles, even in words of fighting
        ("Protesters clashed with each other in the square.", EventType("PROTEST"), None),
    ],
)
def test_the_plover_reading_bounds_the_acled_type(
    report: str, reading: EventType, sub_event_type: str | None
) -> None:
    typed = classify_acled(report, RULES, reading)
    assert typed.sub_event_type in allowed_sub_types(reading, RULES.acled_plover)
    if sub_event_type is not None:
        assert typed.sub_event_type == sub_event_type
    assert typed.event_type != "Battles" or reading.event_type == "ASSAULT"


@pytest.mark.parametrize("plover_type", ["ACCUSE", "REQUEST", "THREATEN", "SANCTION", "CONSULT", "AID"])
def test_statements_and_sanctions_are_no_acled_events(plover_type: str) -> None:
    typed = classify_acled(
        "Officials accused rebels of shelling the town and demanded sanctions.", RULES, EventType(plover_type)
    )
    assert (typed.event_type, typed.sub_event_type) == (None, None)


def test_plover_table_names_the_row_of_a_bad_sub_type(tmp_path: Path) -> None:
    path = tmp_path / "acled_plover.tsv"
    path.write_text("plover_type\tmode\tsub_event_types\nASSAULT\t*\tAttack; Bombing\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"row 2: unknown ACLED sub-event type 'Bombing'"):
        load_rules([str(path)])
    path.write_text("plover_type\tmode\tsub_event_types\n# a comment\nATTACK\t*\tAttack\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="row 3: needs a PLOVER type"):
        load_rules([str(path)])


def test_shipped_plover_table_covers_the_violent_and_protest_types() -> None:
    table = RULES.acled_plover
    assert {("ASSAULT", "*"), ("PROTEST", "*"), ("COERCE", "arrest")} <= set(table)
    assert all(SUB_EVENT_TYPES[name] in ("Protests", "Riots") for name in table[("PROTEST", "*")])


def test_model_round_trips_through_its_file(tmp_path: Path) -> None:
    texts = [
        "jets struck the town",
        "drones hit a convoy",
        "police arrested ten men",
        "officers detained a man",
    ]
    labels = ["Air/drone strike", "Air/drone strike", "Arrests", "Arrests"]
    cues = np.array([cue_scores(text, RULES.acled_rules) for text in texts])
    model = acled_model.fit(texts, labels, cues, meta={"data_sha256": "x"})
    acled_model.save(model, tmp_path / "m.npz")
    loaded = acled_model.load(tmp_path / "m.npz")
    assert loaded.labels == model.labels and loaded.meta == {"data_sha256": "x"}
    assert np.allclose(loaded.probabilities(texts, cues), model.probabilities(texts, cues), atol=1e-3)
    assert (
        loaded.probabilities(texts, cues).argmax(axis=1) == model.probabilities(texts, cues).argmax(axis=1)
    ).all()


def test_a_damaged_model_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "m.npz").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="scripts/train acled"):
        acled_model.load(tmp_path / "m.npz")


def test_reworded_copies_share_a_fold_group() -> None:
    base = "Unidentified gunmen attacked a police station in the north of the country on Monday night"
    groups = acled_model.near_duplicate_groups([base, base + ", officials said.", "A strike hit a village."])
    assert groups[0] == groups[1] != groups[2]


def test_shipped_model_records_its_training_data() -> None:
    meta = acled_model.load(acled_model.shipped_model_path()).meta
    assert len(meta["data_sha256"]) == 64 and meta["n"] > 400
    assert meta["cue_labels"] == list(LABELS)
    assert 0.7 < meta["cv_weighted_f1"] < meta["fit_weighted_f1"]
