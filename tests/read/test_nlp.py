"""FastEntityRuler: EntityRuler's results from the same patterns, on a blank pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher

from sitroom.read.nlp import RULER, merge_alternatives

PATTERNS = [
    {"label": "GPE", "pattern": "Aleppo", "id": "gazetteer"},
    {"label": "LOC", "pattern": "Sheikh Maksoud", "id": "gazetteer"},
    {
        "label": "ORG",
        "pattern": [{"LOWER": "the", "OP": "?"}, {"LOWER": "interior"}, {"LOWER": "ministry"}],
        "id": "Ministry of Interior (Syria)",
    },
    {"label": "ORG", "pattern": [{"ORTH": "MIT"}], "id": "National Intelligence Organization (Türkiye)"},
    {
        "label": "ORG",
        "pattern": [
            {"LOWER": {"IN": ["the", "a"]}, "OP": "?"},
            {"LOWER": {"IN": ["syrian", "turkish"]}},
            {"LOWER": "forces"},
        ],
        "id": "",
    },
    {"label": "ORG", "pattern": [{"LOWER": "syrian"}, {"LOWER": "forces"}], "id": "Syrian Arab Army"},
    {"label": "FAC", "pattern": "White House", "id": "gazetteer"},
    {
        "label": "ORG",
        "pattern": [{"LOWER": "white"}, {"LOWER": "house"}],
        "id": "Government of the United States",
    },
]
TEXT = (
    "The Interior Ministry said MIT officers met the Syrian forces in Aleppo's Sheikh Maksoud, "
    "a Turkish forces unit and the White House added; mit is a word in German."
)


def ents(ruler_name: str, **config: object) -> list[tuple[str, str, str]]:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(ruler_name, config=config)
    ruler.add_patterns(PATTERNS)  # type: ignore[attr-defined]
    return [(e.text, e.label_, e.ent_id_) for e in nlp(TEXT).ents]


def test_same_spans_as_entity_ruler_and_canonical_ids_win_ties() -> None:
    ours = ents(RULER)
    reference = ents("entity_ruler", overwrite_ents=True)
    assert [(t, label) for t, label, _ in ours if t != "White House"] == [
        (t, label) for t, label, _ in reference if t != "White House"
    ]
    assert ("The Interior Ministry", "ORG", "Ministry of Interior (Syria)") in ours
    assert ("MIT", "ORG", "National Intelligence Organization (Türkiye)") in ours
    assert ("the Syrian forces", "ORG", "") in ours  # the optional determiner is kept
    assert ("a Turkish forces", "ORG", "") in ours
    assert ("White House", "ORG", "Government of the United States") in ours  # actor id over place
    assert not any(t == "mit" for t, _, _ in ours)  # ORTH patterns stay case-sensitive


def test_member_patterns_extend_over_modifiers_to_the_longest_head() -> None:
    patterns = [
        {
            "label": "ORG",
            "id": "Kurdistan Workers' Party",
            "pattern": [
                {"LOWER": {"IN": ["the", "a"]}, "OP": "?"},
                {"ORTH": "PKK"},
                {"LOWER": {"IN": ["armed", "security", "forces"]}, "OP": "*"},
                {"LOWER": {"IN": ["snipers", "forces", "fighters"]}},
            ],
        }
    ]
    found = {}
    for name in (RULER, "entity_ruler"):
        nlp = spacy.blank("en")
        nlp.add_pipe(name).add_patterns(patterns)  # type: ignore[attr-defined]
        doc = nlp(
            "The PKK snipers and a PKK armed forces unit met PKK officials; the PKK security forces left."
        )
        found[name] = [(e.text, e.ent_id_) for e in doc.ents]
    assert (
        found[RULER]
        == found["entity_ruler"]
        == [
            ("The PKK snipers", "Kurdistan Workers' Party"),
            ("a PKK armed forces", "Kurdistan Workers' Party"),
            ("the PKK security forces", "Kurdistan Workers' Party"),
        ]
    )


def test_patterns_differing_in_one_word_merge_into_one_with_the_same_matches() -> None:
    title = {"IS_TITLE": True, "OP": "+"}
    national = {"LOWER": {"IN": ["syrian", "turkish"]}, "OP": "?"}
    patterns = [
        [national, {"LOWER": "president"}, title],
        [national, {"LOWER": "minister"}, title],
        [national, {"LOWER": "prime"}, {"LOWER": "minister"}, title],
        [national, {"LOWER": "foreign"}, {"LOWER": "minister"}, title],
        [{"LOWER": "the"}, {"LOWER": "envoy"}],
        [{"LOWER": "the"}, {"LOWER": "envoy", "OP": "?"}],  # another operator: kept apart
    ]
    merged = merge_alternatives(patterns)
    assert len(merged) == 4
    assert [national, {"LOWER": {"IN": ["minister", "president"]}}, title] in merged
    assert [national, {"LOWER": {"IN": ["foreign", "prime"]}}, {"LOWER": "minister"}, title] in merged
    nlp = spacy.blank("en")
    doc = nlp(
        "The Syrian President Ahmed al-Sharaa met Foreign Minister Hakan Fidan, the envoy and "
        "prime minister Kyriakos Mitsotakis; the prime president Nobody and foreign president Nobody did not."
    )
    found = {}
    for name, group in (("each", patterns), ("merged", merged)):
        matcher = Matcher(nlp.vocab)
        matcher.add("TITLE", group)
        found[name] = sorted(set(matcher(doc)))
    assert found["merged"] == found["each"]
    spans = {doc[s:e].text for _, s, e in found["each"]}
    assert "Syrian President Ahmed" in spans and "prime minister Kyriakos Mitsotakis" in spans
    assert not any("prime president" in span or "foreign president" in span for span in spans)


@pytest.mark.model
def test_a_groups_name_in_capitals_is_read_as_a_name_not_a_verb() -> None:
    from sitroom.read.reader import load_resources
    from sitroom.rules import load_rules

    parser = load_resources(load_rules()).parser
    (doc,) = parser.parse(["Dozens of fighters were killed in IS attacks in the desert near Palmyra."])
    name = next(t for t in doc if t.text == "IS")
    assert name.norm_ == "isis" and name.pos_ not in {"AUX", "VERB"}
    attacks = next(t for t in doc if t.text == "attacks")
    assert attacks.dep_ == "pobj" and attacks.head.head.lemma_ == "kill"
    # a headline in capitals keeps its verb
    (headline,) = parser.parse(["THE WAR IS OVER, SAYS MINISTER"])
    assert next(t for t in headline if t.text == "IS").norm_ == "is"
