"""Issue 18 ("only events", "reporting is not doing"): force words in a sentence about no
conflict (sport, a game, a disease, a hunt, a crash) name no ASSAULT; "targeted X with
sanctions" is SANCTION; "fire us" is a dismissal; who mourns or regrets an attack is not its
actor. The sentences are invented."""

from __future__ import annotations

import pytest

from sitroom.errors import ConfigError
from sitroom.events.verbs import parse_lexicon
from sitroom.models import EventMention
from sitroom.rules import Row
from tests.events.test_event_dates import events_of


def found(text: str) -> list[tuple[str | None, list[str]]]:
    mentions: tuple[EventMention, ...] = events_of(text, "2026-01-10")
    return [(m.event_type, [a.name for a in m.actor]) for m in mentions]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "The plague wiped out villages and killed thousands of people across Europe in the 14th century.",
        "In the new video game, players attack enemy bases and kill soldiers.",
        "A passenger plane crashed near Denver, killing 40 people.",
    ],
)
def test_force_words_about_no_conflict_are_no_assault(text):
    assert not [t for t, _ in found(text) if t in {"ASSAULT", "COERCE"}]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Militants fired rockets at a football stadium in Mogadishu, killing three people.",
        "The Taliban claimed responsibility for shooting down the helicopter, which it said crashed in Logar.",
    ],
)
def test_arms_keep_the_force_of_a_framed_sentence(text):
    assert "ASSAULT" in [t for t, _ in found(text)]


@pytest.mark.model
def test_targeting_with_sanctions_is_sanction():
    assert [
        t for t, _ in found("The Treasury targeted eight Iranian officials with sanctions on Monday.")
    ] == ["SANCTION"]


@pytest.mark.model
def test_firing_a_person_is_no_force():
    assert not found("If we complain, the company will fire us, the workers said.")
    assert "ASSAULT" in [t for t, _ in found("Troops fired on the crowd in Bamako, killing four.")]


@pytest.mark.model
def test_who_regrets_an_attack_is_not_its_actor():
    events = found(
        "Nigeria regrets the deadly Boko Haram attack this morning at a crowded market in Maiduguri."
    )
    assert ("ASSAULT", ["Boko Haram"]) in events
    assert not [a for t, a in events if t == "ASSAULT" and "Nigeria" in a]
    assert not [
        a for t, a in found("Uganda mourned the bombing of a bus in Kampala on Monday.") if "Uganda" in a
    ]


def test_a_frame_row_must_name_a_known_frame():
    row = Row("mine.tsv", 3, ("frame", "chess", "hobby", "", ""), 1)
    with pytest.raises(ConfigError, match=r"row 3.*'hobby'"):
        parse_lexicon([row], frozenset())


@pytest.mark.model
def test_threatening_with_tariffs_stays_a_threat():
    assert [t for t, _ in found("The president publicly threatened Mexico with tariffs on Monday.")] == [
        "THREATEN"
    ]


@pytest.mark.model
def test_who_wants_to_act_is_its_actor():
    text = '"The Americans wanted to raid a militant base, but their helicopter was shot down," the spokesman said.'
    assert ("COERCE", ["United States"]) in found(text)
