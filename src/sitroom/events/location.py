"""An event's place: the one its own clause names, else its sentence's, else the article's town.

Used by :func:`sitroom.events.extract.extract_events`, per sentence then per trigger:

1. :func:`sentence_places`: the sentence's places that may locate an act, each with the
   predicate it attaches to in the parse; a place that qualifies a noun which is no place
   ("a U.S. strike", "Syria's army"), speaks or acts ("Washington said", "Turkey shelled")
   or qualifies a town ("Warsaw, Indiana": Indiana) is left out;
2. :func:`place_phrase`: a place the predicate names by a common noun ("killed in the town",
   "in the province": the last town or province named before; "at a checkpoint": the
   article's town);
3. :func:`event_place`: the finest place attached to the predicate, else its place phrase,
   else the finest in its clause, else the nearest in its sentence, never one of another act
   that does not share its place ("protested in X against the fighting in Y" is in X);
4. :func:`main_place`: the article's focus, its most-named town when its dateline or first
   sentence names it, for a material act its sentence does not place (``source`` "focus:...").

The words these steps read (place nouns, prepositions) are ``data/place_words.tsv``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitroom.models import Place
from sitroom.read.places import PlaceWords

# Dependencies by which a place qualifies a noun ("a U.S. strike", "Syria's army"), and the
# entity labels of a head noun that is itself a place ("Idlib province" has a place noun head).
PLACE_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})
PLACE_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Precisions of the article's focus: the town (or finer) most named.
LOCAL_PRECISIONS = frozenset({"site", "neighbourhood", "city"})
# The places a town noun ("the town") or an area noun ("the province") may stand for.
_TOWN_PRECISIONS = frozenset({"city", "neighbourhood"})
_AREA_PRECISIONS = frozenset({"admin1", "admin2", "region"})

PRECISION_RANK = {
    "site": 0,
    "neighbourhood": 1,
    "city": 2,
    "admin2": 3,
    "admin1": 4,
    "region": 5,
    "country": 6,
}


def finest(places: Sequence[Place]) -> Place | None:
    """The most precise resolved place (the first of equals), else the first place."""
    resolved = [p for p in places if p.resolved]
    if not resolved:
        return places[0] if places else None
    return min(resolved, key=lambda p: (PRECISION_RANK.get(p.precision or "country", 9), p.start))


def nearest(offset: int, places: Sequence[Place]) -> Place | None:
    """The resolved place nearest ``offset`` (else the nearest of all)."""
    resolved = [p for p in places if p.resolved] or list(places)
    return min(resolved, key=lambda p: (abs(p.start - offset), p.start)) if resolved else None


def _place_root(place: Place, doc: Doc) -> Token | None:
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _modifier(root: Token, place_nouns: frozenset[str]) -> bool:
    """A place that qualifies a noun which is no place ("a U.S. strike", "Syria's army", "the
    Damascus government"): it says whose or which, not where."""
    head = root.head
    return (
        root.dep_ in PLACE_MODIFIER_DEPS
        and head.i != root.i
        and head.lower_ not in place_nouns
        and head.ent_type_ not in PLACE_ENTITY_LABELS
    )


def _subject(root: Token) -> bool:
    """A place that is the subject of a verb ("Washington said", "Turkey shelled the town"): a
    government speaking or acting, not where anything happened (a passive subject is: "Aleppo
    was shelled")."""
    return root.dep_ == "nsubj"


def _qualifier(root: Token, places: Sequence[Place]) -> bool:
    """The state or country after a town ("Warsaw, Indiana"): the town is the finer place."""
    head = root.head
    return root.dep_ == "appos" and any(p.start <= head.idx < p.end for p in places)


def _owner(root: Token, triggers: frozenset[int], within: frozenset[str]) -> int | None:
    """The first predicate above a place in the parse: the act whose place it names. An act
    named after one of the ``within`` prepositions is part of the act above it and passes its
    place on ("killed in a bombing in X": X is the killing's too)."""
    current = root
    while current.head.i != current.i:
        current = current.head
        if current.i in triggers and not (current.dep_ == "pobj" and current.head.lower_ in within):
            return current.i
    return None


@dataclass(frozen=True)
class SentencePlace:
    place: Place
    owner: int | None  # token index of the predicate it attaches to (None: no predicate above)


def sentence_places(
    sentence: SpacySpan, places: Sequence[Place], triggers: frozenset[int], words: PlaceWords
) -> list[SentencePlace]:
    """The places of a sentence that may locate its events, each with the predicate it attaches
    to; modifiers of a noun that is no place (a nationality, "a U.S. strike") are left out."""
    found = []
    for place in places:
        if not (sentence.start_char <= place.start and place.end <= sentence.end_char):
            continue
        root = _place_root(place, sentence.doc)
        if root is None or _modifier(root, words.place_nouns) or _subject(root) or _qualifier(root, places):
            continue
        found.append(SentencePlace(place, _owner(root, triggers, words.within_preps)))
    return found


def _shares_place(owner: Token, token: Token, within: frozenset[str]) -> bool:
    """Whether the act of ``owner`` happened where the act of ``token`` did: it is above it
    ("an air strike killed ... in X": the strike is the killing's subject), or below it
    with no preposition but ``within`` ones between ("killed when shells struck X"), not
    "protested ... against the fighting in Y"."""
    if owner.is_ancestor(token):
        return True
    if not token.is_ancestor(owner):
        return False
    current = owner
    while current.i != token.i:
        if current.dep_ == "prep" and current.lower_ not in within:
            return False
        current = current.head
    return True


def event_place(
    token: Token,
    clause: tuple[int, int],
    located: Sequence[SentencePlace],
    within: frozenset[str],
    phrase: Place | None = None,
) -> Place | None:
    """The place a sentence names for the event of ``token``: the finest of those attached to
    its own predicate ("killed ... in a village near X"), else its own place ``phrase`` ("in
    the town", :func:`place_phrase`), else the finest in its clause, else the nearest in its
    sentence; a place attached to another act that does not share this one's place
    (:func:`_shares_place`: "protested in X against the fighting in Y") is never taken."""
    doc = token.doc
    usable = [
        s.place
        for s in located
        if s.owner is None or s.owner == token.i or _shares_place(doc[s.owner], token, within)
    ]
    own = [s.place for s in located if s.owner == token.i]
    return (
        finest(own)
        or phrase
        or finest([p for p in usable if clause[0] <= p.start < clause[1]])
        or nearest(token.idx, usable)
    )


def place_phrase(
    token: Token, words: PlaceWords, before: Sequence[Place], focus: Place | None
) -> Place | None:
    """The place the predicate names by a common noun ("killed in the province", "died in
    a hospital"): a town or a province takes the last place of its kind named ``before`` it
    (resolved places that may locate an event, in text order), any other place noun the
    article's ``focus`` town, as a facility the gazetteer does not know; else its words alone.
    A phrase that holds a place name is that name's (:func:`event_place`)."""
    heads = [token] + [
        c for p in token.children if p.lower_ in words.within_preps for c in p.children if c.dep_ == "pobj"
    ]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in words.place_preps:
                continue
            for noun in prep.children:
                if noun.dep_ != "pobj" or noun.pos_ != "NOUN" or noun.lemma_.lower() not in words.place_nouns:
                    continue
                first = noun.left_edge.i + (noun.left_edge.dep_ == "det")
                start, end = noun.doc[first].idx, noun.right_edge.idx + len(noun.right_edge)
                if any(start <= p.start < end for p in before) or first > noun.i:
                    continue
                text = noun.doc[first : noun.i + 1].text
                lemma = noun.lemma_.lower()
                kinds = (
                    _TOWN_PRECISIONS
                    if lemma in words.town_nouns
                    else _AREA_PRECISIONS
                    if lemma in words.area_nouns
                    else None
                )
                earlier = [p for p in before if p.end <= start and p.resolved]
                found = (
                    next((p for p in reversed(earlier) if p.precision in kinds), None)
                    if kinds is not None
                    else focus
                )
                if found is None:
                    return Place(text=text, name=text, start=start, end=start + len(text))
                source = found.source if found.source.startswith("focus:") else f"antecedent:{found.source}"
                return replace(found, text=text, start=start, end=start + len(text), source=source)
    return None


def main_place(places: Iterable[Place], lede_end: int, title: str = "") -> Place | None:
    """The article's focus: its most-mentioned resolved place at city precision or finer (ties:
    first) of ``places`` that may locate an event (no speaker, no modifier: "the Pentagon
    said"), when its dateline or first sentence (before ``lede_end``) or its ``title`` names
    it: a report set in one town. Else None: an article that opens elsewhere gives no town to
    its unplaced acts (events-e2e place F1 0.191 -> 0.277 against any most-named town; docs
    0-9 0.066 -> 0.088, 10-19 0.269 -> 0.415; the first three sentences instead of the first:
    0.267)."""
    counts: dict[str, int] = {}
    first: dict[str, Place] = {}
    for place in places:
        if place.resolved and place.precision in LOCAL_PRECISIONS:
            counts[place.name] = counts.get(place.name, 0) + 1
            first.setdefault(place.name, place)
    if not counts:
        return None
    name = max(first, key=lambda n: counts[n])  # first-seen order breaks ties
    focus = first[name]
    if focus.start >= lede_end and not (title and (focus.text in title or focus.name in title)):
        return None
    return replace(focus, source=f"focus:{focus.source}") if not focus.source.startswith("focus:") else focus
