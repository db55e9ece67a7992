"""Issue 18 (one event per happening; reporting is not doing): a verb that governs another act
through an infinitive makes one event, the governed act is its content; an act a reaction is
about ("condemned the attack") is its author's event, never the condemner's; two acts side by
side stay two. The sentences are invented."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.events.happenings import governor
from sitroom.models import EventMention
from tests.events.test_event_dates import events_of


def found(text: str) -> list[EventMention]:
    return list(events_of(text, "2026-01-10"))


def parsed(words: list[str], heads: list[int], deps: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)


# hand-built parses: (words, heads, dependencies, the token asked about, the triggers, its governor)
PARSES = [
    # "Relief groups called for the bridge to stay open": "open" is what was called for
    (
        ["Relief", "groups", "called", "for", "the", "bridge", "to", "stay", "open", "."],
        [1, 2, 2, 2, 5, 3, 7, 2, 7, 2],
        ["compound", "nsubj", "ROOT", "prep", "det", "pobj", "aux", "advcl", "acomp", "punct"],
        8,
        {2, 8},
        2,
    ),
    # "urged Paris to press the junta to end its raids": "end" through "press" to "urged"
    (
        ["He", "urged", "Paris", "to", "press", "the", "junta", "to", "end", "raids"],
        [1, 1, 1, 4, 1, 6, 4, 8, 4, 8],
        ["nsubj", "ROOT", "dobj", "aux", "xcomp", "det", "dobj", "aux", "xcomp", "dobj"],
        8,
        {1, 8},
        1,
    ),
    # "Militants stormed a post and kidnapped two officers": two acts side by side
    (
        ["Militants", "stormed", "a", "post", "and", "kidnapped", "two", "officers"],
        [1, 1, 3, 1, 1, 1, 7, 5],
        ["nsubj", "ROOT", "det", "dobj", "cc", "conj", "nummod", "dobj"],
        5,
        {1, 5},
        None,
    ),
    # "the states to have signed treaties criticised ...": a perfect infinitive took place
    (
        ["States", "to", "have", "signed", "treaties", "criticised", "it"],
        [3, 3, 3, 5, 3, 5, 5],
        ["nsubj", "aux", "aux", "ccomp", "dobj", "ROOT", "dobj"],
        3,
        {3, 5},
        None,
    ),
    # "Troops fired after the convoy was attacked to ...": a clause with a marker is its own act
    (
        ["Troops", "fired", "after", "rebels", "attacked", "to", "free", "them"],
        [1, 1, 4, 4, 1, 6, 4, 6],
        ["nsubj", "ROOT", "mark", "nsubj", "advcl", "aux", "advcl", "dobj"],
        4,
        {1, 4, 6},
        None,
    ),
]


@pytest.mark.parametrize(("words", "heads", "deps", "token", "triggers", "expected"), PARSES)
def test_the_governor_of_an_act_is_the_trigger_of_its_infinitive_clause(
    words: list[str], heads: list[int], deps: list[str], token: int, triggers: set[int], expected: int | None
) -> None:
    doc = parsed(words, heads, deps)
    found_governor = governor(doc[token], frozenset(triggers - {token}))
    assert (found_governor.i if found_governor is not None else None) == expected


@pytest.mark.model
def test_a_call_for_something_to_stay_open_is_one_request() -> None:
    events = found("Relief groups have called for the border bridge to stay open.")
    assert [m.event_type for m in events] == ["REQUEST"]


@pytest.mark.model
def test_urging_a_power_to_press_a_government_to_end_its_raids_is_one_event() -> None:
    events = found("The senator urged Paris to press the Malian junta to end its raids on northern villages.")
    assert [m.event_type for m in events] == ["REQUEST"]
    assert not [m for m in events if m.event_type == "ASSAULT" and m.status == "occurred"]


@pytest.mark.model
def test_who_condemns_an_attack_accuses_and_the_attack_is_its_authors() -> None:
    events = found("France condemned the Boko Haram attack on a crowded market in Maiduguri this morning.")
    assaults = [m for m in events if m.event_type == "ASSAULT"]
    assert not [m for m in assaults if any("France" in a.text for a in m.actor)]
    assert [[a.name for a in m.actor] for m in assaults] == [["Boko Haram"]]
    assert "France" in assaults[0].attribution.chain
    assert [m.event_type for m in events if any("France" in a.text for a in m.actor)] == ["ACCUSE"]


@pytest.mark.model
def test_a_condemned_attack_its_sentence_tells_again_is_one_assault() -> None:
    events = found(
        "Kenya condemned the al-Shabaab attack on a bus near Mandera on Sunday, which killed 12 passengers."
    )
    assert len([m for m in events if m.event_type == "ASSAULT"]) == 1


@pytest.mark.model
def test_two_happenings_side_by_side_stay_two() -> None:
    events = found("Militants stormed a checkpoint and kidnapped two officers near Kandahar on Monday.")
    assert [m.event_type for m in events] == ["ASSAULT", "ASSAULT"]


# --- one happening of force: the toll and the act that caused it ----------------------------


def test_a_toll_and_the_strike_that_caused_it_are_one_attack():
    """Killed, injured and struck in one sentence tell one shelling; three events made the
    demo's market attack three reports, two of them with no toll, and split its clusters."""
    events = found(
        "At least six villagers were killed and 11 others wounded when mortar shells struck a "
        "busy bakery in the town of Saraqib on Tuesday, medics said."
    )
    attacks = [e for e in events if e.event_type == "ASSAULT"]
    assert len(attacks) == 1
    (attack,) = attacks
    assert attack.size.dead is not None and attack.size.dead.min == 6
    assert attack.size.injured is not None and attack.size.injured.min == 11


def test_a_death_after_a_blast_is_the_blast():
    events = found("A police colonel died after a roadside bomb exploded near his convoy in Kirkuk.")
    attacks = [e for e in events if e.event_type == "ASSAULT"]
    assert len(attacks) == 1
    assert not any(a.name and "colonel" in a.name.lower() for a in attacks[0].actor)


def test_two_sides_killing_are_two_happenings():
    events = found(
        "Rebels killed four soldiers at a checkpoint near Daraa, and the army killed nine rebels "
        "in air strikes on Nawa."
    )
    assert len([e for e in events if e.event_type == "ASSAULT"]) == 2


# --- attempts and the manner of an act (issue 18: one event per happening) ------------------


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "The UN envoy sought to secure the evacuation of civilians from the besieged town of Kafr Nabl.",
        "The Red Cross sought to deliver food to the besieged district of Homs.",
        "The mediators aimed at securing the withdrawal of the militia from Sirte.",
    ],
)
def test_what_was_tried_for_is_no_event_nor_is_the_trying(text: str) -> None:
    assert found(text) == []


@pytest.mark.model
def test_an_obstructed_attempt_is_the_obstruction_alone() -> None:
    events = found("Officials said the rebels blocked attempts to reach a humanitarian truce with the army.")
    assert [m.event_type for m in events] == ["REJECT"]


@pytest.mark.model
def test_an_attempted_attack_is_an_attack() -> None:
    events = found("Gunmen tried to storm the police station in Kano on Monday.")
    assert [m.event_type for m in events] == ["ASSAULT"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "The militia kept up its shelling of the district near Kidal, destabilising the region "
            "and threatening civilians.",
            ["ASSAULT"],
        ),
        (
            "Militiamen entrenched themselves in a school in Beni, disregarding the safety of the pupils.",
            ["MOBILIZE"],
        ),
    ],
)
def test_a_participle_telling_how_an_act_was_done_is_no_event_of_its_own(text: str, types: list[str]) -> None:
    assert [m.event_type for m in found(text)] == types


@pytest.mark.model
def test_force_told_as_the_manner_of_force_is_one_happening() -> None:
    (attack,) = found("The rebels escalated the violence near Idlib, using villagers as human shields.")
    assert attack.event_type == "ASSAULT"
    assert "human_shields" in attack.civilian_protection


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Officials in Tripoli said the army's efforts to spare civilians allowed the militia to regroup there.",
        "Diplomats said Hamas pressure on Fatah was undermining prospects for a settlement.",
    ],
)
def test_what_an_effort_or_a_pressure_caused_is_no_ones_act(text: str) -> None:
    assert [m.event_type for m in found(text)] == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The army allowed aid convoys into Taiz on Monday.", "RETREAT"),
        ("Government forces withdrew from the town of Saraqib on Monday.", "RETREAT"),
        ("Forces loyal to the president agreed to a ceasefire in Aden.", "AGREE"),
    ],
)
def test_a_doer_still_acts(text: str, kind: str) -> None:
    assert kind in [m.event_type for m in found(text)]
