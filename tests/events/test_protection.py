"""Civilian-protection kinds read from evidence sentences."""

from __future__ import annotations

import pytest

from sitroom.events.protection import find_protection
from sitroom.events.size import find_size
from sitroom.rules import load_rules

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
    ],
)
def test_kinds(sentence: str, kinds: set[str], site: str | None) -> None:
    found = find_protection(sentence, find_size(sentence, SIZE_WORDS))
    assert set(found.kinds) == kinds
    assert found.site == site
