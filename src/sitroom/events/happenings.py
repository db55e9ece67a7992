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

3. a word of trying with its aim ("sought to facilitate evacuations", "attempts to reach a
   deal", "aimed at securing a withdrawal"; the lexicon's ``attempt`` rows) tells what was
   tried for: neither the trying nor the aim is a happening. An attempt at force is one
   ("tried to storm the base": an attack was made);
4. a participle clause with no subject of its own that hangs on another act ("continued its
   attacks, destabilising the area and threatening civilians", "entrenched in a hospital,
   disregarding the safety of patients", "marched, demanding their release") tells that
   act's manner or result: a statement, threat or refusal there is the act characterised,
   no event of its own; a material act there stays one, and an act of force of the act's
   own type is one happening with it ("shelled the town, using civilians as shields":
   :func:`one_happening`).

5. an act other than force whose subject is an act or an endeavour, not a doer
   ("the army's efforts allowed the group to take shelter", "the pressure was undermining
   the talks", "the talks failed"; the lexicon's ``act_noun`` rows and attempt words) tells
   what that act caused: no one's act.

Acts joined side by side ("stormed a checkpoint and kidnapped two officers") and acts in a
clause of their own ("killed five, wounding ten"; "after a bomb exploded") stay events of
their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Protocol, TypeVar

from spacy.tokens import Span, Token

from sitroom.events.plover import FORCE_TYPES, MATERIAL_TYPES, EventType, find_triggers
from sitroom.events.verbs import Lexicon
from sitroom.models import EventMention, Place, Size

# Dependencies that link a clause, or the complement in it, to the predicate governing it
# ("urged X to press", "called for X to stay open": "open" is the complement of "stay").
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "acomp", "oprd", "pcomp", "conj"})
# Prepositions whose object is what a reaction is about ("blamed the rebels for the attack",
# "outrage over the killing"); others add a circumstance ("criticised it, with X warning").
REACTION_PREPS = frozenset({"for", "over"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Dependents of a verb that may be the act a participle clause on that verb tells of.
ACT_DEPS = frozenset({"dobj", "nsubj", "nsubjpass"})
# The preposition of a word of trying whose -ing object is its aim ("aimed at securing").
AIM_PREPS = frozenset({"at"})
# The auxiliary of a perfect infinitive ("to have signed"): an act that took place.
PERFECT_AUX = frozenset({"have"})
# Types whose events carry a toll of people harmed
TOLL_TYPES = frozenset({"ASSAULT"})


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


def _aim(child: Token) -> bool:
    """Whether ``child`` is the aim of its head, a word of trying: its infinitive ("sought to
    keep", "attempts to reach") or the "-ing" object of "at" ("aimed at securing")."""
    if child.dep_ in {"xcomp", "acl", "advcl"}:
        return _infinitive(child)
    return (
        child.dep_ == "prep" and child.lower_ in AIM_PREPS and any(g.dep_ == "pcomp" for g in child.children)
    )


def attempted(token: Token, attempts: frozenset[str]) -> bool:
    """Whether ``token`` is a word of trying with an aim (``attempts``: their lemmas), or lies in
    the aim of one, climbing through its heads; a clause with a marker of its own ("after",
    "that", "because") tells an act of its own and ends the climb."""
    if token.lemma_.lower() in attempts and any(_aim(c) for c in token.children):
        return True
    current = token
    while current.head.i != current.i:
        if current.i != token.i and any(c.dep_ == "mark" for c in current.children):
            return False
        head = current.head
        if head.lemma_.lower() in attempts and _aim(current):
            return True
        current = head
    return False


def manner_of(token: Token, triggers: frozenset[int]) -> Token | None:
    """The trigger (one of the token indices ``triggers``) whose manner or result ``token`` tells:
    ``token`` heads an "-ing" participle clause with no subject or marker of its own, an
    adverbial clause of that trigger, itself or through the participles it is coordinated with
    ("..., destabilising the area and threatening civilians"); else None."""
    current = token
    while True:
        bare = current.tag_ == "VBG" and not any(
            c.dep_ in SUBJECT_DEPS or c.dep_ == "mark" or (c.dep_ == "aux" and c.lower_ == "to")
            for c in current.children
        )
        if not bare:
            return None
        if current.dep_ == "advcl":
            head = current.head
            # the act is its verb's, or the noun its verb carries on or suffers ("kept up the
            # shelling, ...", "the shelling went on, ...")
            acts = [head, *(c for c in head.children if c.dep_ in ACT_DEPS)]
            return next((a for a in acts if a.i in triggers), None)
        if current.dep_ != "conj" or current.head.i == current.i:
            return None
        current = current.head


def caused(token: Token, lex: Lexicon) -> bool:
    """Whether a verb's subject is a noun of an act or an endeavour, not a doer ("efforts",
    "pressure", "the talks"): an act noun or a word of trying of ``lex``. A noun spelt like a
    verb of the lexicon may be a doer ("forces withdrew"); a gathering ("the summit agreed") is
    its participants."""
    return token.pos_ in {"VERB", "AUX"} and any(
        c.dep_ == "nsubj" and c.pos_ == "NOUN" and c.lemma_.lower() in lex.act_nouns | lex.attempt
        for c in token.children
    )


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
    # a gathering's aim is judged with its doers, once they are known ("protesters gathered to
    # demand ...": the demand is the protest's; "ministers gathered to discuss ...": the talks)
    governors = frozenset(c.token.i for c in candidates if c.token.lemma_.lower() not in lex.assembly)
    kept = [
        c
        for c in candidates
        if governor(c.token, governors - {c.token.i}) is None
        and not (
            attempted(c.token, lex.attempt) and (c.event is None or c.event.event_type not in FORCE_TYPES)
        )
        and not (
            c.event is not None
            and c.event.event_type not in MATERIAL_TYPES
            and manner_of(c.token, triggers - {c.token.i}) is not None
        )
        and not (c.event is not None and c.event.event_type not in FORCE_TYPES and caused(c.token, lex))
    ]
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


# How far apart, in dependency edges, two triggers of force may be and still tell one
# happening ("were killed when shells struck": 1; "died after an IED detonated": 1;
# "the blast killed five": 1; "five were killed in an attack": 2).
MAX_LINK = 3


def _path(a: Token, b: Token) -> list[Token] | None:
    """The tokens on the dependency path from ``a`` to ``b``, both included."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    depth_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in depth_b:
            return up_a[: n + 1] + list(reversed(up_b[: depth_b[token.i]]))
    return None


def _linked(a: Token, b: Token, reporting: frozenset[str]) -> bool:
    """Whether two triggers are near in one clause chain: a short path on which a reporting
    verb can only be the top, both acts being what it reports ("six were killed and 11
    wounded, medics said"); a path through a reporting verb below the top ("police said X
    attacked, and officials said Y died") tells two reports."""
    path = _path(a, b)
    if path is None or len(path) - 1 > MAX_LINK:
        return False
    top = min(range(len(path)), key=lambda n: len(list(path[n].ancestors)))
    return not any(t.lemma_.lower() in reporting for n, t in enumerate(path[1:-1], 1) if n != top)


def _compatible(a: EventMention, b: EventMention) -> bool:
    """Two reports of force that can be one happening: same type and status, and actors that
    do not tell two sides ("rebels killed five and the army killed ten" stays two)."""
    if (a.event_type, a.status) != (b.event_type, b.status) or a.event_type not in TOLL_TYPES:
        return False
    names_a = {x.name for x in a.actor}
    names_b = {x.name for x in b.actor}
    return not (names_a and names_b and not names_a & names_b)


def _merged(keep: EventMention, others: Sequence[EventMention]) -> EventMention:
    """``keep`` with what the others of its happening add: actors where it names none, their
    victims, tolls and protection concerns, a place and a stated date where it has none."""
    group = [keep, *others]
    actor = next((m.actor for m in group if m.actor), ())
    recipient = tuple(dict.fromkeys(r for m in group for r in m.recipient))
    size = Size(
        **{
            f.name: next((getattr(m.size, f.name) for m in group if getattr(m.size, f.name)), None)
            for f in fields(Size)
        }
    )
    dated = next((m for m in group if m.date_source == "text"), keep)
    return replace(
        keep,
        mode=next((m.mode for m in group if m.mode), None),
        actor=actor,
        recipient=recipient,
        size=size,
        location=_place(group),
        date=dated.date,
        date_precision=dated.date_precision,
        date_source=dated.date_source,
        civilian_protection=tuple(dict.fromkeys(k for m in group for k in m.civilian_protection)),
        protected_site=next((m.protected_site for m in group if m.protected_site), None),
        acled_event_type=next((m.acled_event_type for m in group if m.acled_event_type), None),
        acled_sub_event_type=next((m.acled_sub_event_type for m in group if m.acled_event_type), None),
        confidence=max(m.confidence for m in group),
    )


def _place(group: Sequence[EventMention]) -> Place | None:
    """The place of one happening: the first its reports name in their sentence (an article's
    focus only when none does), with the site any of them names for it where it has none
    ("exploded ..., wounding 13 people on a busy street in X": the street)."""
    places = [m.location for m in group if m.location]
    named = [p for p in places if not p.source.startswith("focus:")] or places
    if not named:
        return None
    place = named[0]
    site = next((p.site for p in named if p.site and (p.name == place.name or not p.resolved)), None)
    return place if place.site or site is None else replace(place, site=site)


def one_happening(
    found: Sequence[tuple[Token, EventMention]], lex: Lexicon, reporting: frozenset[str]
) -> list[EventMention]:
    """One event for each happening of force in one sentence's events (``found``: each with
    its trigger token, in text order): a casualty trigger (the lexicon's ``casualty`` rows:
    "killed", "died", "wounded") tied near in the parse to another trigger of force is that
    act's toll ("seven were killed and 15 injured when shells struck a market" is one attack,
    its toll seven dead and 15 injured); the event of the act (or the first casualty, where
    all are casualties) stands for the happening with what the others add. So is an act of
    force of its type that a participle clause tells as its manner ("escalated the violence,
    using villagers as shields": :func:`manner_of`). Other acts of force ("stormed a
    checkpoint and kidnapped two officers") stay apart."""
    parent = list(range(len(found)))

    def root(n: int) -> int:
        while parent[n] != n:
            n = parent[n]
        return n

    casualty = [t.lemma_.lower() in lex.casualty for t, _ in found]
    indices = frozenset(t.i for t, _ in found)
    # an act told as another's manner or result ("escalated the violence, using civilians as
    # shields"): of that act's type, one happening with it
    manner = [manner_of(t, indices - {t.i}) is not None for t, _ in found]
    for i, (ti, mi) in enumerate(found):
        for j in range(i + 1, len(found)):
            tj, mj = found[j]
            toll = (casualty[i] or casualty[j]) and _linked(ti, tj, reporting)
            told = (
                manner_of(ti, frozenset({tj.i})) is not None or manner_of(tj, frozenset({ti.i})) is not None
            )
            if (toll or told) and _compatible(mi, mj):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for n in range(len(found)):
        groups.setdefault(root(n), []).append(n)
    result = []
    for members in groups.values():
        head = next((n for n in members if not casualty[n] and not manner[n]), members[0])
        others = [found[n][1] for n in members if n != head]
        result.append((found[head][0].i, _merged(found[head][1], others) if others else found[head][1]))
    return [m for _, m in sorted(result, key=lambda x: x[0])]
