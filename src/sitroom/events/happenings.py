"""One event per happening: which of a sentence's candidate events are happenings of their own.

A trigger names one act, but not every act a sentence names happened, and not every act that
happened is its speaker's:

1. a verb that governs another act through an infinitive ("called for the crossing to stay
   open", "urged Washington to press Israel to end its attacks", "trained the opposition to
   fight the Islamic State") is the happening; the act it governs ("to stay open", "to end its
   attacks", "to fight") is what was asked for, promised or meant, its content, and no event
   of its own. A perfect infinitive ("the states to have signed treaties") tells an act that
   took place, and stays one;
2. an act that a verb of reaction is about ("X condemned the Boko Haram attack", "blamed the
   rebels for the bombing"; the lexicon's ``reaction`` rows) is a happening of its own, beside
   the reaction (an ACCUSE by X): the attack is Boko Haram's, never X's, and X says so. It is
   left out when another act of the sentence is of its kind ("the attack, which killed 12").

Acts joined side by side ("stormed a checkpoint and kidnapped two officers") and acts in a
clause of their own ("killed five, wounding ten"; "after a bomb exploded") stay events of
their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from spacy.tokens import Span, Token

from sitroom.events.plover import EventType, find_triggers
from sitroom.events.verbs import Lexicon

# Dependencies that link a clause, or the complement in it, to the predicate governing it
# ("urged X to press", "called for X to stay open": "open" is the complement of "stay").
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "acomp", "oprd", "pcomp", "conj"})
# Prepositions whose object is what a reaction is about ("blamed the rebels for the attack",
# "outrage over the killing"); others add a circumstance ("criticised it, with X warning").
REACTION_PREPS = frozenset({"for", "over"})
# The auxiliary of a perfect infinitive ("to have signed"): an act that took place.
PERFECT_AUX = frozenset({"have"})


class Candidate(Protocol):
    """A candidate event: its trigger token and its reading (None: no PLOVER type)."""

    @property
    def token(self) -> Token: ...

    @property
    def event(self) -> EventType | None: ...


_C = TypeVar("_C", bound=Candidate)


def _infinitive(token: Token) -> bool:
    """A verb of a "to" clause ("to end its attacks", "to stay open"), not a perfect one."""
    auxes = [c.lower_ for c in token.children if c.dep_ == "aux"]
    return "to" in auxes and not PERFECT_AUX & set(auxes)


def governor(token: Token, triggers: frozenset[int]) -> Token | None:
    """The trigger (one of the token indices ``triggers``) whose infinitive clause holds
    ``token``, climbing through clause links only; None when ``token`` is no such content
    (a clause with a marker, "after", "if", "because", tells an act of its own)."""
    current = token
    infinitive = False
    while current.head.i != current.i and current.dep_ in CLAUSE_LINKS:
        if any(c.dep_ == "mark" for c in current.children):
            return None
        infinitive = infinitive or _infinitive(current)
        current = current.head
        if current.i in triggers:
            return current if infinitive else None
    return None


def reacted_to(noun: Token, reactions: frozenset[int]) -> bool:
    """Whether an event noun is what a reaction (one of the token indices ``reactions``) is
    about: its object ("condemned the attack", "the bombing and the shooting") or the object
    of its preposition ("blamed the rebels for the attack")."""
    head = noun
    while head.dep_ == "conj":
        head = head.head
    if head.dep_ == "dobj":
        return head.head.i in reactions
    prep = head.head
    return (
        head.dep_ == "pobj"
        and prep.dep_ == "prep"
        and prep.lower_ in REACTION_PREPS
        and prep.head.i in reactions
    )


def _told_apart(event: EventType, kept: Sequence[Candidate]) -> bool:
    """Whether another candidate of the sentence tells an act of the same kind ("condemned the
    attack, which killed 12": the killing is the attack)."""
    return any(c.event is not None and c.event.event_type == event.event_type for c in kept)


def keep_happenings(
    candidates: Sequence[_C], sentence: Span, lex: Lexicon, make: Callable[[Token, EventType], _C]
) -> list[_C]:
    """The candidates of one sentence that are happenings of their own, in text order: those
    no other candidate governs through an infinitive, with the acts its reactions are about
    (see the module's docstring). ``make`` builds a candidate from a trigger token and its
    reading; ``lex`` is the trigger lexicon."""
    triggers = frozenset(c.token.i for c in candidates)
    kept = [c for c in candidates if governor(c.token, triggers - {c.token.i}) is None]
    reactions = frozenset(c.token.i for c in kept if c.token.lemma_.lower() in lex.reactions)
    if not reactions:
        return kept
    doc = sentence.doc
    restored = [
        make(doc[e.trigger_token], e)
        for e in find_triggers(sentence, lex)
        if e.event_type
        and e.trigger_token not in triggers
        and doc[e.trigger_token].pos_ == "NOUN"
        and reacted_to(doc[e.trigger_token], reactions)
        and not _told_apart(e, kept)
    ]
    return sorted([*kept, *restored], key=lambda c: c.token.i)
