"""Actor resolution: lexicon names, composed role phrases, office holders, the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.models import Actor
from sitroom.read.actors import resolve_actor_text, resolve_actors
from sitroom.read.lexicon import Lexicon, load_lexicon
from sitroom.rules import load_rules

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(load_rules().actor_words)


@pytest.mark.parametrize(
    ("text", "country", "sector", "inter"),
    [
        ("Syrian government forces", "SYR", "MIL", 1),
        ("Turkish security sources", "TUR", "SPY", 1),
        ("Turkish authorities", "TUR", "GOV", 1),
        ("Syrian officials", "SYR", "GOV", 1),
        ("the Syrian defence minister", "SYR", "GOV", 1),
        ("Syrian security personnel", "SYR", "COP", 1),
        ("Kurdish residents", None, "CVL", 7),
        ("PKK snipers", None, "REB", 2),
        ("PKK fighters", None, "REB", 2),
        ("the PKK leadership", None, "REB", 2),
        ("Iraqi security forces", "IRQ", "MIL", 1),
        ("Russian warplanes", "RUS", "MIL", 1),
        ("Sudanese refugees", "SDN", "REF", 7),
        ("Israeli troops", "ISR", "MIL", 1),
        ("UN officials", "IGO", "IGO", 8),
        ("Turkey", "TUR", "GOV", 1),
        ("the National Intelligence Organization", "TUR", "SPY", 1),
    ],
)
def test_phrases_resolve_compositionally(
    lexicon: Lexicon, text: str, country: str | None, sector: str, inter: int
) -> None:
    actor = resolve_actor_text(text, lexicon)
    assert actor is not None
    assert (actor.country, actor.sector, actor.acled_inter) == (country, sector, inter)
    assert actor.text == text


def test_slash_names_both_groups(lexicon: Lexicon) -> None:
    actor = resolve_actor_text("PKK/YPG", lexicon)
    assert actor is not None
    assert actor.members == ("Kurdistan Workers' Party", "People's Defense Units")
    assert actor.sector == "REB"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The U.S.-backed terrorist group", "U.S.-backed terrorist"),
        ("the terrorist group", "terrorist"),
        ("PKK terrorists", "terrorists"),
    ],
)
def test_outlet_labels_never_become_a_sector(lexicon: Lexicon, text: str, label: str) -> None:
    actor = resolve_actor_text(text, lexicon)
    assert actor is not None
    assert actor.label == label
    assert actor.sector in {None, "REB"}
    assert actor.country != "USA"


def test_institution_without_country_takes_context(lexicon: Lexicon) -> None:
    assert resolve_actor_text("the Interior Ministry", lexicon, context_country="SYR") == Actor(
        text="the Interior Ministry",
        name="Syrian Interior Ministry",
        country="SYR",
        sector="GOV",
        acled_inter=1,
        source="composed",
    )


@pytest.mark.parametrize("text", ["the weather", "Tuesday", ""])
def test_non_actors_are_none(lexicon: Lexicon, text: str) -> None:
    assert resolve_actor_text(text, lexicon) is None


def hand_doc(words: list[str], ents: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, ents=ents)


def test_resolve_actors_on_hand_built_doc(lexicon: Lexicon) -> None:
    doc = hand_doc(
        [
            "Syrian",
            "officials",
            "said",
            "PKK",
            "/",
            "YPG",
            "fighters",
            "hit",
            "Interior",
            "Ministry",
            "posts",
            ",",
            "John",
            "Smith",
            "said",
            ".",
        ],
        [
            "B-ORG",
            "I-ORG",
            "O",
            "B-ORG",
            "O",
            "B-ORG",
            "I-ORG",
            "O",
            "B-ORG",
            "I-ORG",
            "O",
            "O",
            "B-PERSON",
            "I-PERSON",
            "O",
            "O",
        ],
    )
    actors = resolve_actors(doc, lexicon)
    assert [a.text for a in actors] == ["Syrian officials", "PKK / YPG fighters", "Interior Ministry"]
    officials, groups, ministry = actors
    assert doc.text[officials.start : officials.end] == "Syrian officials"
    assert groups.members == ("Kurdistan Workers' Party", "People's Defense Units")
    assert (ministry.country, ministry.sector) == ("SYR", "GOV")


def test_office_holder_is_coded_by_office_and_private_person_is_not_an_actor(lexicon: Lexicon) -> None:
    doc = hand_doc(
        ["Iraqi", "Prime", "Minister", "Haider", "al-Abadi", "met", "Ahmed", "Hassan", "."],
        ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O"],
    )
    actors = resolve_actors(doc, lexicon)
    assert len(actors) == 1
    assert (actors[0].country, actors[0].sector, actors[0].name) == ("IRQ", "GOV", "Iraqi prime minister")


@pytest.mark.model
def test_seed_actors(lexicon: Lexicon) -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} not present")
    from sitroom.read.nlp import build_nlp

    expected = json.loads((SEED / "aleppo-2026-01.expected.json").read_text(encoding="utf-8"))["actors"]
    text = (SEED / "aleppo-2026-01.txt").read_text(encoding="utf-8")
    actors = resolve_actors(build_nlp(lexicon.ruler_patterns())(text), lexicon)
    for item in expected:
        found = [
            a
            for a in actors
            if any(m.lower() in a.text.lower() for m in item["mention"])
            and a.sector in item["sector"]
            and a.country == item.get("country", a.country)
        ]
        assert found, f"no actor for {item}"
    assert all(a.sector not in {"terrorist", "TER"} for a in actors)
    group = next(a for a in actors if "terrorist" in a.text)
    assert group.label is not None and "terrorist" in group.label
    assert all(text[a.start : a.end] == a.text for a in actors)
