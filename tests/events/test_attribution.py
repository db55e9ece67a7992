"""Attribution rules on hand-built parses; a few checks with the real model at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.events.attribution import Attribution, find_attributions
from sitroom.events.claims import claim_for_span
from sitroom.events.speakers import Mention, classify_speaker, is_person_noun, resolve_mention
from sitroom.rules import load_rules

CUES = load_rules().cues

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"

_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "VB": "VERB", "VBD": "VERB",
    "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "IN": "ADP", "DT": "DET",
    "JJ": "ADJ", "PRP": "PRON", "RB": "ADV", "CC": "CCONJ", "MD": "AUX", "TO": "PART",
    ",": "PUNCT", ".": "PUNCT", "``": "PUNCT", "''": "PUNCT", "CD": "NUM", "WP": "PRON",
}  # fmt: skip
_NO_SPACE_BEFORE = {",", ".", "”", "'s"}
_NO_SPACE_AFTER = {"“"}


def parse(*sentences: str) -> Doc:
    """A Doc from sentences written token by token as ``word/TAG/dep/head[/lemma]``.

    ``head`` is the index of the head within its sentence (a ROOT points at itself).
    """
    words, tags, deps, heads, lemmas = [], [], [], [], []
    for sentence in sentences:
        offset = len(words)
        for item in sentence.split():
            word, tag, dep, head, *lemma = item.split("/")
            words.append(word)
            tags.append(tag)
            deps.append(dep)
            heads.append(offset + int(head))
            lemmas.append(lemma[0] if lemma else word.lower())
    spaces = [
        nxt not in _NO_SPACE_BEFORE and word not in _NO_SPACE_AFTER
        for word, nxt in zip(words, [*words[1:], "."], strict=True)
    ]
    spaces[-1] = False
    return Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=spaces,
        tags=tags,
        pos=[_POS[t] for t in tags],
        deps=deps,
        heads=heads,
        lemmas=lemmas,
    )


ACCORDING = (
    "According/VBG/prep/6/accord to/IN/prep/0 security/NN/compound/3 sources/NNS/pobj/1/source ,/,/punct/6 "
    "MIT/NNP/nsubj/6 played/VBD/ROOT/6/play a/DT/det/9 central/JJ/amod/9 role/NN/dobj/6 ././punct/6"
)
THEY_ADDED = (
    "It/PRP/nsubj/1 sought/VBD/ROOT/1/seek talks/NNS/dobj/1/talk ,/,/punct/1 but/CC/cc/1 "
    "efforts/NNS/nsubjpass/7/effort were/VBD/auxpass/7/be blocked/VBN/ccomp/13/block by/IN/agent/7 "
    "the/DT/det/10 PKK/NNP/pobj/8 ,/,/punct/13 they/PRP/nsubj/13 added/VBD/conj/1/add ././punct/1"
)
OFFICIALS_SAID = (
    "Syrian/JJ/amod/1 officials/NNS/nsubj/2/official said/VBD/ROOT/2/say the/DT/det/4 talks/NNS/nsubj/6/talk "
    "had/VBD/aux/6/have failed/VBN/ccomp/2/fail ././punct/2"
)
THEY_SAID = (
    "They/PRP/nsubj/1 said/VBD/ROOT/1/say the/DT/det/3 negotiations/NNS/nsubjpass/5/negotiation "
    "were/VBD/auxpass/5/be held/VBN/ccomp/1/hold ././punct/1"
)
REPORTEDLY = (
    "Orders/NNS/nsubj/2/order reportedly/RB/advmod/2 came/VBD/ROOT/2/come from/IN/prep/2 "
    "Qandil/NNP/pobj/3 ././punct/2"
)
SOURCES_ADDED = (
    "PKK/NNP/compound/1 snipers/NNS/nsubj/2/sniper killed/VBD/ccomp/8/kill multiple/JJ/amod/5 "
    "security/NN/compound/5 personnel/NNS/dobj/2 ,/,/punct/8 sources/NNS/nsubj/8/source "
    "added/VBD/ROOT/8/add ././punct/8"
)
REVEALED = (
    "Syrian/JJ/amod/1 officials/NNS/nsubj/2/official revealed/VBD/ROOT/2/reveal that/IN/mark/6 "
    "the/DT/det/5 PKK/NNP/nsubj/6 obstructed/VBD/ccomp/2/obstruct attempts/NNS/dobj/6/attempt ././punct/2"
)
REJECTED = (
    "The/DT/det/2 Syrian/JJ/amod/2 government/NN/nsubj/5 has/VBZ/aux/5/have vehemently/RB/advmod/5 "
    "rejected/VBN/ROOT/5/reject claims/NNS/dobj/5/claim that/IN/mark/10 the/DT/det/9 "
    "clashes/NNS/nsubj/10/clash amounted/VBD/acl/6/amount to/IN/prep/10 a/DT/det/14 "
    "ethnic/JJ/amod/14 conflict/NN/pobj/11 ././punct/5"
)
QUOTED = (
    "“/``/punct/3 We/PRP/nsubj/3 will/MD/aux/3 fight/VB/ccomp/7 ,/,/punct/3 ”/''/punct/7 "
    "he/PRP/nsubj/7 said/VBD/ROOT/7/say ././punct/7"
)
QUOTED_SAY = (
    "“/``/punct/3 I/PRP/nsubj/2 say/VBP/parataxis/8 it/PRP/nsubj/4 failed/VBD/ccomp/2/fail ,/,/punct/2 "
    "”/''/punct/8 he/PRP/nsubj/8 said/VBD/ROOT/8/say ././punct/8"
)
THAT_SAID = "That/DT/nsubj/1 said/VBD/advcl/4/say ,/,/punct/4 talks/NNS/nsubj/4/talk failed/VBD/ROOT/4/fail ././punct/4"
UNATTRIBUTED = (
    "Syrian/JJ/amod/1 forces/NNS/nsubj/2/force launched/VBD/ROOT/2/launch an/DT/det/4 "
    "operation/NN/dobj/2 ././punct/2"
)


def only(attributions: tuple[Attribution, ...], cue: str) -> Attribution:
    matching = [a for a in attributions if a.cue.text == cue]
    assert len(matching) == 1, [a.cue.text for a in attributions]
    return matching[0]


def at(doc: Doc, phrase: str) -> tuple[int, int]:
    start = doc.text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize(
    ("sentences", "cue", "source", "speaker", "speaker_type", "content"),
    [
        ((ACCORDING,), "According to", "security sources", "security sources", "security_source",
         ("MIT played a central role",)),
        ((ACCORDING, THEY_ADDED), "added", "they", "security sources", "security_source",
         ("It sought talks, but efforts were blocked by the PKK",)),
        ((OFFICIALS_SAID,), "said", "Syrian officials", "Syrian officials", "official",
         ("the talks had failed",)),
        ((REVEALED,), "revealed", "Syrian officials", "Syrian officials", "official",
         ("that the PKK obstructed attempts",)),
        ((SOURCES_ADDED,), "added", "sources", "sources", "anonymous",
         ("PKK snipers killed multiple security personnel",)),
        ((ACCORDING, SOURCES_ADDED), "added", "sources", "security sources", "security_source",
         ("PKK snipers killed multiple security personnel",)),
        ((REJECTED,), "has vehemently rejected", "The Syrian government", "The Syrian government", "official",
         ("claims that the clashes amounted to a ethnic conflict",)),
        ((QUOTED,), "said", "he", "he", None, ("“We will fight,”",)),
    ],
)  # fmt: skip
def test_finds_source_cue_and_content(
    sentences: tuple[str, ...],
    cue: str,
    source: str,
    speaker: str,
    speaker_type: str | None,
    content: tuple[str, ...],
) -> None:
    found = only(find_attributions(parse(*sentences), CUES), cue)
    assert found.source is not None and found.source.text == source
    assert found.speaker == speaker
    assert found.speaker_type == speaker_type
    assert tuple(part.text for part in found.content) == content


def test_cue_word_is_the_core_of_the_cue_phrase() -> None:
    rejected = only(find_attributions(parse(REJECTED), CUES), "has vehemently rejected")
    assert (rejected.cue_word, rejected.cue_lemma) == ("rejected", "reject")


def test_they_said_carries_the_earlier_officials() -> None:
    attributions = find_attributions(parse(OFFICIALS_SAID, THEY_SAID), CUES)
    second = [a for a in attributions if a.source is not None and a.source.text == "They"]
    assert [a.speaker for a in second] == ["Syrian officials"]


def test_direct_quote_is_marked_and_speech_inside_quotes_is_flagged() -> None:
    attributions = find_attributions(parse(QUOTED_SAY), CUES)
    said, say = only(attributions, "said"), only(attributions, "say")
    assert said.direct_quote and not said.in_quote
    assert say.in_quote and say.depth == 1 and say.speaker == "I"


@pytest.mark.parametrize("sentence", [THAT_SAID, UNATTRIBUTED])
def test_no_attribution_without_a_reporting_cue(sentence: str) -> None:
    assert find_attributions(parse(sentence), CUES) == ()


def test_hedge_without_a_source_keeps_the_outlet_as_speaker() -> None:
    doc = parse(REPORTEDLY)
    attributions = find_attributions(doc, CUES)
    hedge = only(attributions, "reportedly")
    assert hedge.source is None and hedge.hedge == "reportedly"
    claim = claim_for_span(*at(doc, "came from Qandil"), attributions, "Daily Sabah", doc.text, CUES)
    assert (claim.speaker, claim.speaker_type, claim.hedge, claim.chain) == (
        "Daily Sabah", "outlet", "reportedly", ("Daily Sabah",)
    )  # fmt: skip


@pytest.mark.parametrize(
    ("sentences", "phrase", "speaker", "cue", "hedge", "chain"),
    [
        ((ACCORDING, THEY_ADDED), "blocked by the PKK", "security sources", "added", None,
         ("Daily Sabah", "security sources")),
        ((ACCORDING, THEY_ADDED), "sought talks", "security sources", "added", None,
         ("Daily Sabah", "security sources")),
        ((ACCORDING,), "played a central role", "security sources", "According to", None,
         ("Daily Sabah", "security sources")),
        ((OFFICIALS_SAID, THEY_SAID), "were held", "Syrian officials", "said", None,
         ("Daily Sabah", "Syrian officials")),
        ((REJECTED,), "clashes amounted", "The Syrian government", "rejected", "claimed",
         ("Daily Sabah", "The Syrian government")),
        ((UNATTRIBUTED,), "launched an operation", "Daily Sabah", None, None, ("Daily Sabah",)),
    ],
)  # fmt: skip
def test_claim_for_span(
    sentences: tuple[str, ...],
    phrase: str,
    speaker: str,
    cue: str | None,
    hedge: str | None,
    chain: tuple[str, ...],
) -> None:
    doc = parse(*sentences)
    claim = claim_for_span(*at(doc, phrase), find_attributions(doc, CUES), "Daily Sabah", doc.text, CUES)
    assert (claim.speaker, claim.cue, claim.hedge, claim.chain) == (speaker, cue, hedge, chain)


def test_claim_for_an_unattributed_span_without_outlet_has_an_empty_chain() -> None:
    doc = parse(UNATTRIBUTED)
    claim = claim_for_span(0, 5, find_attributions(doc, CUES), None, doc.text, CUES)
    assert claim.speaker is None and claim.speaker_type == "outlet" and claim.chain == ()


def test_a_nested_speaker_makes_a_longer_chain() -> None:
    doc = parse(
        "Officials/NNS/nsubj/1/official said/VBD/ROOT/1/say the/DT/det/3 ministry/NN/nsubj/4 "
        "confirmed/VBD/ccomp/1/confirm that/IN/mark/7 troops/NNS/nsubj/7/troop withdrew/VBD/ccomp/4/withdraw "
        "././punct/1"
    )
    claim = claim_for_span(
        *at(doc, "troops withdrew"), find_attributions(doc, CUES), "Daily Sabah", doc.text, CUES
    )
    assert claim.chain == ("Daily Sabah", "Officials", "the ministry")
    assert claim.speaker_type == "official"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("security sources", "security_source"),
        ("Turkish security sources", "security_source"),
        ("the Defense Ministry", "military"),
        ("the army", "military"),
        ("Syrian officials", "official"),
        ("the PKK", "armed_group"),
        ("UN agencies", "ngo_un"),
        ("the Syrian Observatory for Human Rights", "ngo_un"),
        ("Reuters", "media"),
        ("witnesses", "witness"),
        ("a source", "anonymous"),
        ("Maria", None),
        ("who", None),
        ("the WHO", "ngo_un"),
        ("an outpost commander", "military"),
    ],
)
def test_classify_speaker(text: str, kind: str | None) -> None:
    assert classify_speaker(text, CUES.speaker_kinds) == kind


@pytest.mark.parametrize(
    ("lemma", "person"),
    [
        ("spokesman", True),
        ("minister", True),
        ("journalist", True),
        ("ministry", False),
        ("newspaper", False),
    ],
)
def test_is_person_noun(lemma: str, person: bool) -> None:
    assert is_person_noun(lemma, CUES.person_nouns) is person


def _mention(text: str, lemma: str, *, plural: bool = False, person: bool = False) -> Mention:
    return Mention(text=text, head_lemma=lemma, plural=plural, person=person, start=0, end=len(text))


@pytest.mark.parametrize(
    ("mention", "earlier", "expected"),
    [
        (_mention("they", "they", plural=True), [_mention("Syrian officials", "official", plural=True)], "Syrian officials"),
        (_mention("It", "it"), [_mention("The Syrian government", "government")], "The Syrian government"),
        (_mention("It", "it"), [_mention("Trump", "trump", person=True)], "It"),
        (_mention("he", "he", person=True), [_mention("Trump", "trump", person=True), _mention("officials", "official", plural=True)], "Trump"),
        (_mention("the sources", "source", plural=True), [_mention("security sources", "source", plural=True)], "security sources"),
        (_mention("a source", "source"), [_mention("security sources", "source", plural=True)], "a source"),
    ],
)  # fmt: skip
def test_resolve_mention(mention: Mention, earlier: list[Mention], expected: str) -> None:
    assert resolve_mention(mention, earlier).text == expected


@pytest.mark.model
@pytest.mark.shared
def test_seed_article_claims() -> None:
    from sitroom.read.nlp import load_model

    path = SEED / "aleppo-2026-01.txt"
    if not path.exists():
        pytest.skip(f"{path} not present")
    text = path.read_text(encoding="utf-8")
    attributions = find_attributions(load_model()(text), CUES)

    def claim(phrase: str) -> tuple[str | None, str | None, str | None]:
        start = text.index(phrase)
        found = claim_for_span(start, start + len(phrase), attributions, "Daily Sabah", text, CUES)
        return found.speaker, found.speaker_type, found.hedge

    assert claim("has played a central role") == ("security sources", "security_source", None)
    assert claim("those efforts were blocked by the PKK") == ("security sources", "security_source", None)
    assert claim("negotiations were held") == ("Syrian officials", "official", None)
    assert claim("orders reportedly came") == ("Daily Sabah", "outlet", "reportedly")
    assert claim("killed multiple Syrian security personnel") == ("security sources", "security_source", None)
    assert claim("actively obstructed") == ("Syrian officials", "official", None)
    assert claim("launched a limited operation") == ("Daily Sabah", "outlet", None)
    rejected = [a for a in attributions if a.cue_lemma == "reject" and a.speaker == "The Syrian government"]
    assert len(rejected) == 1


@pytest.mark.model
def test_quotation_across_sentences_with_the_model() -> None:
    from sitroom.read.nlp import load_model

    text = "“We will not leave. This is our city,” a resident said. “They shelled the market.”"
    attributions = find_attributions(load_model()(text), CUES)
    said = only(attributions, "said")
    assert said.speaker_type == "witness" and said.direct_quote
    assert [part.text for part in said.content] == [
        "“We will not leave. This is our city,”",
        "“They shelled the market.”",
    ]
