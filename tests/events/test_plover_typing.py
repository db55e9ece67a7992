"""Issue 18 (only events, one type each): the lexicon's readings of words that name a force or
a threat only in some uses. Searching for someone, a warrant, warning of a danger and a travel
warning are no COERCE or THREATEN; pressing someone to act is a demand. Invented sentences."""

from __future__ import annotations

import pytest

from tests.events.test_event_dates import events_of

pytestmark = pytest.mark.model


def types(text: str) -> list[str | None]:
    return [m.event_type for m in events_of(text, "2026-01-10")]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Police were searching for a man suspected of the bombing in Lyon.", "COERCE"),
        ("A court in Kinshasa issued arrest warrants for three opposition leaders on Monday.", "COERCE"),
        ("The ministry is pressuring teachers in Harare to end their strike.", "COERCE"),
        ("Residents warned the police in Leeds of their fears about the preacher.", "THREATEN"),
        ("Britain issued a travel warning for Kenya on Friday.", "THREATEN"),
    ],
)
def test_words_that_name_no_coercion_or_threat_here(text: str, absent: str) -> None:
    assert absent not in types(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police searched the house of the suspect in Lyon on Monday.", "COERCE"),
        ("The army warned the rebels that it would strike their positions near Goma.", "THREATEN"),
        ("The ministry is pressuring teachers in Harare to end their strike.", "REQUEST"),
    ],
)
def test_the_same_words_where_they_do(text: str, expected: str) -> None:
    assert expected in types(text)


def test_demonstrators_who_clash_riot() -> None:
    """Force used by protesters is their demonstration turned violent (PLOVER PROTEST, a riot);
    force used on them is an assault."""
    assert types("Protesters clashed with security forces in Caracas on Monday.") == ["PROTEST"]
    assert types("Police clashed with protesters in Caracas.") == ["ASSAULT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # demonstrators coming together hold a demonstration; their aim is its content
        (
            "Hundreds of protesters gathered in Qamishli on Friday to demand the release of detainees.",
            ["PROTEST"],
        ),
        ("Demonstrators assembled outside the parliament in Kampala on Monday.", ["PROTEST"]),
        # anyone else's gathering is no demonstration; its aim stays the act
        ("Foreign ministers gathered in Paris on Monday to discuss the crisis.", ["CONSULT"]),
        ("Crowds gathered in the square in Accra on Friday.", []),
    ],
)
def test_a_gathering_is_a_demonstration_only_when_demonstrators_gather(
    text: str, expected: list[str]
) -> None:
    """Issue 18: "protesters gathering to demand the release of detainees" was a REQUEST with no
    PROTEST (fails before: ['REQUEST'] for the first)."""
    assert types(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The hospital in Gaza received dozens of wounded after the shelling on Monday.",
        "A clinic in Kharkiv received the injured from the market on Friday.",
    ],
)
def test_receiving_the_hurt_is_no_meeting(text: str) -> None:
    """Issue 18: a hospital receiving wounded gave an untyped event, then a CONSULT (fails before)."""
    assert "CONSULT" not in types(text)


def test_receiving_a_visitor_is_a_meeting() -> None:
    assert "CONSULT" in types("The president received the Iranian foreign minister in Ankara on Monday.")
