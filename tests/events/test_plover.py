"""PLOVER typing: rules on hand-built parses, then a table of real sentences (model)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.errors import ConfigError
from sitroom.events.plover import EventType, classify_event, find_triggers
from sitroom.rules import load_rules

LEX = load_rules().triggers

Parse = list[tuple[str, int, str, str, str]]  # word, head index, dep, POS, lemma


def build(parse: Parse) -> Doc:
    """A Doc with a hand-written dependency parse (no model needed)."""
    words = [w for w, *_ in parse]
    return Doc(
        spacy.blank("en").vocab,
        words=words,
        heads=[h for _, h, *_ in parse],
        deps=[d for _, _, d, *_ in parse],
        pos=[p for *_, p, _ in parse],
        lemmas=[lemma for *_, lemma in parse],
    )


def chars(doc: Doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last].text)


LAUNCHED = [
    ("Syrian", 1, "amod", "ADJ", "syrian"),
    ("forces", 2, "nsubj", "NOUN", "force"),
    ("launched", 2, "ROOT", "VERB", "launch"),
    ("an", 4, "det", "DET", "an"),
    ("operation", 2, "dobj", "NOUN", "operation"),
    ("against", 4, "prep", "ADP", "against"),
    ("the", 7, "det", "DET", "the"),
    ("PKK", 5, "pobj", "PROPN", "PKK"),
]
REFUSED = [
    ("Iran", 1, "nsubj", "PROPN", "Iran"),
    ("refused", 1, "ROOT", "VERB", "refuse"),
    ("to", 3, "aux", "PART", "to"),
    ("meet", 1, "xcomp", "VERB", "meet"),
    ("Israel", 3, "dobj", "PROPN", "Israel"),
]
LIFTED = [
    ("Japan", 1, "nsubj", "PROPN", "Japan"),
    ("lifted", 1, "ROOT", "VERB", "lift"),
    ("sanctions", 1, "dobj", "NOUN", "sanction"),
    ("on", 2, "prep", "ADP", "on"),
    ("Iran", 3, "pobj", "PROPN", "Iran"),
]
WILL_NOT_ACCEPT = [
    ("Slovakia", 3, "nsubj", "PROPN", "Slovakia"),
    ("will", 3, "aux", "AUX", "will"),
    ("not", 3, "neg", "PART", "not"),
    ("accept", 3, "ROOT", "VERB", "accept"),
    ("refugees", 3, "dobj", "NOUN", "refugee"),
]
WILL_ATTACK = [
    ("Rebels", 2, "nsubj", "NOUN", "rebel"),
    ("will", 2, "aux", "AUX", "will"),
    ("attack", 2, "ROOT", "VERB", "attack"),
    ("Goma", 2, "dobj", "PROPN", "Goma"),
]


@pytest.mark.parametrize(
    ("parse", "source", "target", "event_type", "trigger"),
    [
        (LAUNCHED, (0, 1), (7, 7), "ASSAULT", "launched an operation"),
        (REFUSED, (0, 0), (4, 4), "REJECT", "refused"),
        (LIFTED, (0, 0), (4, 4), "RETREAT", "lifted sanctions"),
        (WILL_NOT_ACCEPT, (0, 0), (4, 4), "REJECT", "accept"),
        (WILL_ATTACK, (0, 0), (3, 3), "THREATEN", "attack"),
    ],
)
def test_rules_on_built_parses(
    parse: Parse, source: tuple[int, int], target: tuple[int, int], event_type: str, trigger: str
) -> None:
    doc = build(parse)
    event = classify_event(doc, chars(doc, *source), chars(doc, *target), LEX)
    assert event.event_type == event_type
    assert event.trigger_text == trigger


def test_intent_keeps_the_underlying_act() -> None:
    doc = build(WILL_ATTACK)
    event = classify_event(doc, chars(doc, 0, 0), chars(doc, 3, 3), LEX)
    assert event.intended and event.action_type == "ASSAULT"


def test_negated_cooperation_is_flagged() -> None:
    doc = build(WILL_NOT_ACCEPT)
    assert classify_event(doc, chars(doc, 0, 0), chars(doc, 4, 4), LEX).negated


def test_nothing_named_gives_no_event() -> None:
    doc = build([("Iran", 1, "nsubj", "PROPN", "Iran"), ("exists", 1, "ROOT", "VERB", "exist")])
    assert classify_event(doc, None, None, LEX) == EventType(event_type=None)


def test_light_verb_and_noun_make_one_trigger() -> None:
    triggers = find_triggers(build(LAUNCHED), LEX)
    assert [t.trigger_text for t in triggers] == ["launched an operation"]


def test_lexicon_rejects_unknown_types(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("kind\tkey\tvalue\tmode\tweight\nverb\tbomb\tBOMBING\t\t1.0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lexicon.tsv: row 2: 'bomb' names 'BOMBING', not a PLOVER type"):
        load_rules([str(path)])


def test_shipped_lexicon_loads() -> None:
    lex = LEX
    assert lex.verbs["arrest"].event_type == "COERCE"
    assert lex.nouns["ceasefire"].mode == "ceasefire"
    assert "say" in lex.say


# --- real sentences, parsed by the shipped model -----------------------------------------

CASES = [
    # sentence, source, target, accepted types, mode (or None = not checked)
    (
        "Israeli warplanes bombed Hamas positions in Gaza overnight.",
        "Israeli warplanes",
        "Hamas positions",
        {"ASSAULT"},
        "explosives",
    ),
    (
        "A drone strike by the US military killed three al-Shabaab fighters.",
        "the US military",
        "al-Shabaab fighters",
        {"ASSAULT"},
        "drone",
    ),
    (
        "Russian artillery shelled Ukrainian positions near Bakhmut.",
        "Russian artillery",
        "Ukrainian positions",
        {"ASSAULT"},
        "heavy-weapons",
    ),
    ("Gunmen kidnapped five aid workers in Borno.", "Gunmen", "five aid workers", {"ASSAULT"}, "abduct"),
    (
        "Turkish police arrested 20 journalists in Istanbul.",
        "Turkish police",
        "20 journalists",
        {"COERCE"},
        "arrest",
    ),
    (
        "The army imposed a curfew on the city of Gondar.",
        "The army",
        "the city of Gondar",
        {"COERCE"},
        "curfew",
    ),
    (
        "The rebels declared a ceasefire with the government.",
        "The rebels",
        "the government",
        {"RETREAT"},
        "ceasefire",
    ),
    ("Russia withdrew its troops from Kherson.", "Russia", "Kherson", {"RETREAT"}, "withdraw"),
    (
        "Hamas released two Israeli hostages on Friday.",
        "Hamas",
        "two Israeli hostages",
        {"RETREAT"},
        "release",
    ),
    ("Putin met with Erdogan in Sochi.", "Putin", "Erdogan", {"CONSULT"}, None),
    (
        "Lavrov held talks with his Iranian counterpart.",
        "Lavrov",
        "his Iranian counterpart",
        {"CONSULT"},
        None,
    ),
    ("Ukraine accused Russia of shelling the nuclear plant.", "Ukraine", "Russia", {"ACCUSE"}, None),
    (
        "The UN called for an immediate halt to the fighting by the RSF.",
        "The UN",
        "the RSF",
        {"REQUEST"},
        None,
    ),
    ("Iran threatened to close the Strait of Hormuz to US ships.", "Iran", "US ships", {"THREATEN"}, None),
    ("Thousands protested against the junta in Bamako.", "Thousands", "the junta", {"PROTEST"}, None),
    (
        "The EU imposed sanctions on Belarusian officials.",
        "The EU",
        "Belarusian officials",
        {"SANCTION", "COERCE"},
        None,
    ),
    ("China deployed troops to the border with India.", "China", "the border with India", {"MOBILIZE"}, None),
    (
        "Sudan's army and the RSF signed a truce agreement in Jeddah.",
        "Sudan's army",
        "the RSF",
        {"SUPPORT", "AGREE", "RETREAT"},
        None,
    ),
    (
        "The government agreed to resume talks with the rebels.",
        "The government",
        "the rebels",
        {"AGREE"},
        None,
    ),
    ("Macron praised Kenya for leading the mission.", "Macron", "Kenya", {"SUPPORT"}, None),
    ("Japan provided humanitarian aid to Turkey after the quake.", "Japan", "Turkey", {"AID"}, None),
    ("Syria rejected the Arab League's proposal.", "Syria", "the Arab League", {"REJECT"}, None),
    (
        "Jordan and Egypt will cooperate with Iraq on border security.",
        "Jordan and Egypt",
        "Iraq",
        {"COOPERATE", "AGREE"},
        None,
    ),
]


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from sitroom.read.nlp import load_model

    return load_model(disable=["ner"])


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.mark.model
def test_sentences_typed_given_their_dyads(nlp) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for sentence, source, target, accepted, mode in CASES:
        event = classify_event(nlp(sentence), span_of(sentence, source), span_of(sentence, target), LEX)
        if event.event_type not in accepted or (mode is not None and event.mode != mode):
            wrong.append((sentence, event.event_type, event.mode))
    assert wrong == []


SEED_CASES = [
    # the seed's core events: (sentence start, source, target or None, accepted types)
    ("Turkish authorities are working closely", "Turkish authorities", "Syria", {"COOPERATE", "CONSULT"}),
    (
        "According to security sources, the National",
        "the National Intelligence Organization",
        None,
        {"CONSULT", "COOPERATE"},
    ),
    ("It sought to facilitate", "the PKK", "those efforts", {"REJECT", "COERCE"}),
    (
        "The Syrian government forces, in the meantime",
        "The Syrian government forces",
        "PKK/YPG positions",
        {"ASSAULT"},
    ),
    ("PKK snipers operating", "PKK snipers", "multiple Syrian security personnel", {"ASSAULT"}),
    ("The Syrian government has vehemently", "The Syrian government", "claims", {"REJECT"}),
]


@pytest.mark.model
@pytest.mark.shared
def test_seed_core_events(nlp) -> None:  # type: ignore[no-untyped-def]
    seed = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "aleppo-2026-01.txt"
    if not seed.exists():
        pytest.skip(f"{seed} not present")
    doc = nlp(seed.read_text(encoding="utf-8"))
    wrong = []
    for opening, source, target, accepted in SEED_CASES:
        sentence = next(s for s in doc.sents if opening in s.text)
        base = sentence.start_char
        src = span_of(sentence.text, source)
        tgt = span_of(sentence.text, target) if target else None
        event = classify_event(
            sentence, (base + src[0], base + src[1]), (base + tgt[0], base + tgt[1]) if tgt else None, LEX
        )
        if event.event_type not in accepted:
            wrong.append((opening, event.event_type, event.trigger_text))
    assert wrong == []


@pytest.mark.model
def test_one_trigger_per_action(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("They said the negotiations were held in Doha, but the rebels refused to withdraw from Goma.")
    triggers = [(t.trigger_text, t.event_type) for t in find_triggers(doc, LEX)]
    assert triggers == [("negotiations were held", "CONSULT"), ("refused", "REJECT")]
