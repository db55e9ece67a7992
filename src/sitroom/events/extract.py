"""Stage 4: event mentions with their evidence and claim, from one parsed and read article.

For each sentence, in order:

1. triggers: the predicates that name an action (``plover.find_triggers``: one per action,
   reporting verbs excluded); a civilian-protection cue in a trigger's clause is that act's
   concern; one no trigger's clause covers is an act typed from what its clause says (armed men
   at a hospital: MOBILIZE; the wounded taken to one: AID), or no event: every event has a type
   (:mod:`sitroom.events.protection`);
2. participants: the trigger's subject (or passive agent) is the actor, its object or the
   object of "against/on/with/at/targeting" the recipient; an event noun names its own author
   ("a U.S. strike", "the attack by X") and target, and takes its verb's subject only as the
   object of a light verb ("launched an attack"; who condemns or sees one did not attack); the
   dead and the wounded are recipients, and so is a thing attacked ("a checkpoint"); whom a
   verb of accusation blames ("blamed X for the attack") is the act's actor. Heads resolve
   through the reading's actors, by their own words; "who" takes the noun it qualifies,
   "he"/"she" the last person, "the group" the last fitting group mentioned before, "it" and
   "they" the nearest noun of their number, and no one when that noun is no actor;
3. where and when: the place its own predicate names ("killed ... in a village near X"), else
   one in its clause, else the nearest in its sentence, never a place that qualifies a noun
   ("a U.S. strike"), speaks ("Washington said") or is another act's ("against the fighting
   in Y"); a material act or a demonstration the sentence does not place is at the article's focus (its
   most-named town, if its first sentence names it; ``source`` "focus:..."), unless its
   text dates it before the report's week (:func:`sitroom.background.is_news`)
   (:mod:`sitroom.events.location`); the sentence's date nearest the trigger dates it,
   unless that date lies after the article's reference date (a plan, "next year"); an event
   left undated is dated at its report's day, precision "week" (:func:`report_date`);
4. size, status, civilian protection from the clause; ACLED type from the sentence;
5. the claim: ``attribution.claim_for_span`` over the article's attributions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitroom.background import is_background, is_news
from sitroom.events.acled import classify_acled
from sitroom.events.attribution import Attribution, find_attributions
from sitroom.events.claims import claim_for_span
from sitroom.events.happenings import governor, keep_happenings, one_happening
from sitroom.events.location import locate_event, main_place, person_names, sentence_places
from sitroom.events.plover import (
    CIRCUMSTANCE_PREPS,
    DENIAL_CUES,
    FORCE_TYPES,
    PLACED_TYPES,
    EventType,
    find_triggers,
    sentence_of,
)
from sitroom.events.protection import concern_type, find_protection
from sitroom.events.size import find_size
from sitroom.events.speakers import is_person_noun
from sitroom.events.verbs import Lexicon as Triggers
from sitroom.models import (
    Actor,
    Article,
    Claim,
    DateMention,
    DateSource,
    EventMention,
    Evidence,
    Place,
    Reading,
    Status,
    sha256_hex,
)
from sitroom.read.actors import resolve_actor_text
from sitroom.read.lexicon import Lexicon
from sitroom.read.protection_cues import cue_offsets
from sitroom.read.reader import anchor_date

if TYPE_CHECKING:
    from sitroom.rules import Rules

_SUBJECT_DEPS = {"nsubj", "csubj"}
_RECIPIENT_PREPS = {"against", "on", "at", "with", "targeting", "toward", "towards", "upon", "into", "from"}
_PRONOUNS = {"it", "they", "he", "she", "its", "their", "them", "who", "which", "him", "his", "her"}
# Pronouns of a person: they refer back to a person (an office holder), never to a group.
_PERSONAL = frozenset({"he", "she", "him", "his", "her"})
# Pronouns that refer back to a thing or a group, those of them that are plural, and the
# dependencies of the nouns they may stand for (subjects and objects, not modifiers).
GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
_PLURAL = frozenset({"they", "them", "their"})
PRONOUN_ANTECEDENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"})
_FUTURE = {"will", "shall", "'ll"}
_MODAL = {"would", "could", "may", "might", "should", "can"}
_PLANNING = re.compile(
    r"\b(?:plan|plans|planned|planning|prepar\w+|intend\w*|aim\w*|seek\w*|sought|vow\w*|pledg\w*|threat\w*|to\s+plan)\b",
    re.I,
)
_DENIAL = re.compile(r"\b(?:reject\w*|den(?:y|ied|ies|ial)|dismiss\w*|refut\w*)\b", re.I)
# Heads a noun trigger may climb through to find the verb that has its subject.
MAX_CLIMB = 5
# Dependencies from an event noun up to the light verb whose subject did the act ("launched a
# series of attacks", "carried out the bombing and the shooting"); an object's predicate is not
# one ("what the president called an attack": who names an act did not do it).
OBJECT_PATH_DEPS = frozenset({"dobj", "attr", "conj", "appos", "nsubjpass"})
# Modifiers of an event noun that may name its author ("ISIL's attack", "a U.S. strike": for
# the FORCE_TYPES, whose "of" object is their victim).
AUTHOR_MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
# Prepositions of a verb of accusation whose object is the act it blames its object for
# ("blamed the rebels for the attack", "accused the militia of the bombing").
ACCUSATION_PREPS = frozenset({"for", "of"})
# Prepositions whose object is what an act of force is aimed at ("the attack on the convoy",
# "the bombing of the hotel").
TARGET_PREPS = frozenset({"on", "against", "targeting", "upon", "of"})
# Prepositions of a passive verb whose object is the act that did it ("killed in an attack").
CAUSE_PREPS = frozenset({"in", "during", "by"})
# Right-hand dependents that end a participant's own words, and the prepositions that do not.
TRIMMED_DEPS = frozenset({"relcl", "acl", "appos", "cc", "conj", "punct", "advcl"})
KEPT_PREPS = frozenset({"of", "from"})
# Pronouns that stand for the noun their clause qualifies ("the group, which ...") or for no one
# yet named ("who carried out the attack is unclear").
RELATIVE_PRONOUNS = frozenset({"who", "which", "whom", "that"})
# Words that stand for a number of people without a noun ("wounded another 15", "scores more"),
# and how many tokens back the people they count may be named.
ELLIPTIC_COUNTS = frozenset({"more", "others", "dozens", "scores", "hundreds", "thousands"})
MAX_ELLIPSIS = 30
# Dependencies that join the members of a list of victims ("women, a girl and four men", which
# the parser may read as an apposition).
VICTIM_LIST_DEPS = frozenset({"conj", "appos"})
# Entity types of a count that is no count of people ("several million dollars", "5.30 p.m.").
NOT_PEOPLE_ENTITIES = frozenset({"MONEY", "TIME", "DATE", "PERCENT", "QUANTITY", "ORDINAL"})
# Entity types of a name that is a place or a people, never a victim's own name.
PLACE_ENTITIES = frozenset({"GPE", "LOC", "NORP"})
# An age before a noun makes it a person ("a 12-year-old boy", "a 70 year old man").
AGE = re.compile(r"\byears?[- ]old\b", re.I)
# Head nouns that refer back to an actor named earlier ("the group", "the U.S.-backed group").
ANAPHORIC_HEADS = {
    "group",
    "militia",
    "organisation",
    "organization",
    "movement",
    "faction",
    "fighters",
    "militants",
    "rebels",
    "regime",
    "government",
    "army",
    "forces",
    "ministry",
    "service",
    "sources",
}
# A typed trigger is kept when its confidence reaches this and it has a participant, or
# when it carries a size or a civilian-protection concern.
MIN_CONFIDENCE = 0.5
# ... or, with both an actor and a recipient, this much ("working closely with Syria").
MIN_DYAD_CONFIDENCE = 0.3
# A use of force is an event without a named participant (the attacker is often unknown, the
# victims unnamed) when its trigger names a happening on its own (the lexicon's bare rows:
# "a bomb exploded", "were arrested"), or when it is this sure and its sentence names arms or
# an armed actor ("the attack on the police station").
BARE_TYPES = frozenset({"ASSAULT", "COERCE"})
BARE_CONFIDENCE = 0.8
# ... and a sure noun of an attack ("the attack", "Saturday's attacks") stands alone in an
# article where this many sentences name arms or armed actors: it refers to the attack reported
# there. Tried on events-e2e docs 0-9, checked on docs 10-19 and the dev pages.
ARMED_ARTICLE_SENTENCES = 2
ATTACK_NOUN_CONFIDENCE = 0.9
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
# Clause cues that make an event without a PLOVER trigger still worth recording.
PROTECTION_ONLY_KINDS = {
    "evacuation",
    "corridor",
    "protected_site",
    "human_shields",
    "displacement",
    "aid_access",
}
# Confidence is the trigger's, lowered when the claim is hedged ("reportedly").
HEDGE_FACTOR = 0.8
# An act typed from its protection concern alone (no trigger): a low, fixed confidence.
UNTYPED_CONFIDENCE = 0.35
# Types a sentence about no conflict (a match, a plague, a hunt, a crash) takes away when it
# names no arms and no armed actor: "killed millions", "attacked", "shot", "beat" are no force.
FRAMED_TYPES = frozenset({"ASSAULT", "COERCE"})
# Actor sectors that make a sentence about a crash or a disease one about conflict.
ARMED_SECTORS = frozenset({"MIL", "REB", "INS", "UAF", "COP", "SPY", "SEP"})
# The frame whose arms and armed actors are fiction too ("in the game, players kill soldiers").
FICTION = "game"
# Reporting verbs whose subject is the author of the act they govern ("claimed the attack").
AUTHOR_VERBS = frozenset({"claim", "admit", "acknowledge", "confess"})
# A year written out in a date's words ("13 September 1974", "2019").
_YEAR = re.compile(r"\b\d{4}\b")
# Dependencies by which a date qualifies a noun rather than dating an act ("a 2010 allegation").
NOUN_MODIFIER_DEPS = frozenset({"compound", "nummod", "amod", "poss", "nmod"})
# ACLED actor types of rioters (5) and protesters (6): force they use is a riot.
DEMONSTRATOR_INTERS = frozenset({5, 6})
# Nouns of authorship: who claims or takes them "for" an act did it ("claimed responsibility").
AUTHORSHIP_NOUNS = frozenset({"responsibility", "credit"})
# Pronouns that make a dismissal verb's object a person ("will fire us").
PERSON_PRONOUNS = frozenset({"me", "us", "him", "her", "you", "them"})


@dataclass(frozen=True)
class _Candidate:
    token: Token
    event: EventType | None


def _clause(token: Token, others: Sequence[Token]) -> tuple[int, int]:
    """Token range of the trigger's own clause: its subtree, cut where another trigger's begins."""
    start, end = token.left_edge.i, token.right_edge.i + 1
    for other in others:
        if other.i == token.i or not (start <= other.i < end) or other.is_ancestor(token):
            continue
        if other.i > token.i and token.is_ancestor(other):
            end = min(end, max(other.left_edge.i, token.i + 1))
        elif other.i < token.i:
            start = max(start, min(other.right_edge.i + 1, token.i))
    return start, end


_Located = TypeVar("_Located", Actor, Place, DateMention)


def _in(start: int, end: int, items: Iterable[_Located]) -> list[_Located]:
    return [i for i in items if start <= i.start and i.end <= end]


def _clause_verb(token: Token) -> Token:
    """The verb whose clause a trigger belongs to: a noun trigger ("launched an operation",
    "a role in efforts to pursue dialogue") climbs through its heads to the verb with a subject."""
    current = token
    for _ in range(MAX_CLIMB):
        has_subject = any(c.dep_ in _SUBJECT_DEPS | {"nsubjpass", "agent"} for c in current.children)
        if (
            has_subject
            or current.dep_ in {"ROOT", "ccomp", "conj", "advcl", "relcl"}
            or current.head.i == current.i
        ):
            return current
        current = current.head
    return current


def _light(verb: Token, lex: Triggers) -> bool:
    """A light verb ("launched", "carried out") or a verb of authorship ("claimed")."""
    lemma = verb.lemma_.lower()
    particles = [f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt"]
    return lemma in AUTHOR_VERBS or any(k in lex.light for k in [lemma, *particles])


def _authored_by_subject(token: Token, verb: Token, lex: Triggers) -> bool:
    """Whether the subject of ``verb`` did the act a noun trigger names: the noun is the object of
    a light verb, directly or through "of" ("launched a series of attacks"). Who sees, calls,
    warns about or faces questions about an attack did not attack."""
    current = token
    while current.i != verb.i:
        through_of = (current.dep_ == "prep" and current.lower_ == "of") or (
            current.dep_ == "pobj" and current.head.lower_ == "of"
        )
        if current.dep_ not in OBJECT_PATH_DEPS and not through_of:
            return False
        current = current.head
    return _light(verb, lex)


def _victim_participle(token: Token) -> bool:
    return token.dep_ in {"acl", "amod"} and token.tag_ == "VBN"


def _partitive_victims(token: Token) -> bool:
    """A participle of victims named as the whole a part is taken from ("five of the people
    killed", "most of the soldiers wounded")."""
    head = token.head  # the whole ("the people") or, as parsed at times, the part ("five")
    whole = head.dep_ == "pobj" and head.head.lower_ == "of"
    part = any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    return _victim_participle(token) and (whole or part)


def _event_noun(token: Token, lex: Triggers) -> bool:
    return token.pos_ == "NOUN" and token.lemma_.lower() in lex.nouns


def _noun_roles(noun: Token, lex: Triggers) -> tuple[list[Token], list[Token]]:
    """(actor heads, recipient heads) an event noun names itself: its author after "by" ("the
    attack by X") and, for an act of force, as a possessive or a modifier ("ISIL's attack", "a
    U.S. strike", "Turkish airstrikes", "the army's killing"; "Venezuela's protests" are only where
    they took place; "civilian deaths" are the civilians');
    its target after "on/against/..." and, for force, its victims after "of" ("the killing of
    five"; "the aid of Russia" is Russia's)."""
    lemma = noun.lemma_.lower()
    entry = lex.nouns.get(lemma)
    force = entry is None or entry.event_type in FORCE_TYPES
    modifiers = [
        c
        for c in noun.children
        if force
        and c.dep_ in AUTHOR_MODIFIER_DEPS
        and (c.pos_ in {"PROPN", "ADJ", "PRON"} or (c.dep_ == "poss" and c.pos_ == "NOUN"))
    ]
    # what one suffers names its sufferers ("civilian deaths", "the soldiers' injuries")
    actors, recipients = ([], modifiers) if lemma in lex.undergo else (modifiers, [])
    for prep in (c for c in noun.children if c.dep_ == "prep"):
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if prep.lower_ == "by":
            actors.extend(objects)
        elif prep.lower_ in _RECIPIENT_PREPS or (force and prep.lower_ == "of"):
            recipients.extend(objects)
    return actors, recipients


def _participant_tokens(
    token: Token, lex: Triggers, reporting: frozenset[str] = frozenset()
) -> tuple[list[Token], list[Token]]:
    """(actor heads, recipient heads) of a trigger, through light verbs, nouns and passives.

    A noun trigger takes its clause verb's subject only when that verb is light ("launched an
    attack"): who condemns, reports, sees or blames an attack did not attack; the noun's own
    modifiers name its author ("the Boko Haram attack", "a U.S. strike"). The dead and the
    wounded ("five soldiers were killed", "civilians injured") are recipients, never actors; an
    event noun as a participant ("the attack by X on Y killed ...") gives its own author and
    target; a clause with a subject or a marker of its own ("died after a bomb exploded")
    shares no subject with its head; nor does a participle of victims counted as a part of them
    ("five of the people killed were ...": the five are victims too)."""
    verb = token if _partitive_victims(token) else _clause_verb(token)
    actors: list[Token] = []
    recipients: list[Token] = []
    climbed = verb.i != token.i
    noun = token.pos_ in {"NOUN", "PROPN"}
    reported = climbed and verb.lemma_.lower() in reporting
    # "what the president called an attack": who names an act did not do it
    naming = any(c.dep_ == "oprd" and _event_noun(c, lex) for c in token.children)
    # "blamed the rebels for the attack": the accused, not who blames; "claimed responsibility
    # for the attack", "was behind the bombing": who is said to own it
    accused = _accused(token, lex) or _owner(token, lex)
    licensed = (
        not reported
        and not naming
        and not accused
        and (not climbed or not noun or _authored_by_subject(token, verb, lex))
    )
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    victims = noun and not _event_noun(token, lex) and any(_victim_participle(c) for c in token.children)
    if noun and not victims:
        actors, recipients = _noun_roles(token, lex)
    actors.extend(accused)
    if licensed:
        for child in verb.children:
            if child.dep_ in _SUBJECT_DEPS:
                actors.append(child)
            elif child.dep_ == "agent":
                actors.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "nsubjpass" or (
                child.dep_ == "dobj" and child.i != token.i and not passive and not climbed
            ):
                recipients.append(child)
        for child in verb.children:
            # "working closely with Syria to defuse ...": the parser makes "with" a marker of the
            # next clause; its subject is the partner
            if child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in _RECIPIENT_PREPS for m in child.children
            ):
                recipients.extend(c for c in child.children if c.dep_ in _SUBJECT_DEPS)
        if passive and not any(c.dep_ == "agent" for c in verb.children):
            # "were killed in IS attacks": the author of the attacks
            for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in CAUSE_PREPS):
                for cause in (c for c in prep.children if c.dep_ == "pobj" and _event_noun(c, lex)):
                    actors.extend(_noun_roles(cause, lex)[0])
    if token.dep_ == "dobj" and token.head.i == verb.i:
        recipients.extend(c for c in token.children if c.dep_ == "dobj")
    inherit = verb
    for _ in range(MAX_CLIMB):
        # a clause without a subject shares its head's ("rejected compromise and escalated
        # violence, using civilians as human shields"); a clause with a subject of its own
        # ("died after a bomb exploded") or a marker ("after", "when") shares nothing
        if (
            actors
            or not licensed
            or inherit.dep_ not in {"conj", "xcomp", "advcl"}
            or any(c.dep_ in _SUBJECT_DEPS | {"nsubjpass", "mark"} for c in inherit.children)
        ):
            break
        inherit = inherit.head
        actors.extend(c for c in inherit.children if c.dep_ in _SUBJECT_DEPS)
    if _victim_participle(token) and (token.head.pos_ in {"NOUN", "PROPN"} or _partitive_victims(token)):
        recipients.append(token.head)  # "civilians killed in the raid", "four men injured": the victims
    elif victims:
        recipients.append(token)  # the trigger is the victims' noun itself ("two children injured")
    elif not actors and licensed and verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        actors.append(verb.head)  # "PKK snipers operating from tunnels"
    if not noun or licensed:
        holders = [
            token,
            verb,
            *(c for h in (token, verb) for c in h.children if c.dep_ in {"advmod", "dobj"}),
        ]
    else:
        holders = [token]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in _RECIPIENT_PREPS:
                recipients.extend(c for c in prep.children if c.dep_ == "pobj")
    # an event noun as a participant ("the attack by X on Y killed ...") names its own
    actors, targets = _through_events(actors, lex)
    # ... and as the recipient of a reaction, its author ("condemned the Boko Haram attack"); the
    # object of force is its target, even one a noun of an act can name ("attacked a checkpoint")
    entry = (lex.nouns if noun else lex.verbs).get(token.lemma_.lower())
    force = entry is not None and entry.event_type in FORCE_TYPES
    authors = recipients if force else _through_events(recipients, lex)[0]
    recipients = [*authors, *targets]
    return _with_conjuncts(actors), _with_conjuncts(recipients, VICTIM_LIST_DEPS)


def _governing_prep(trigger: Token) -> tuple[Token, Token]:
    """The first of the triggers coordinated with ``trigger`` ("for the attack and the
    kidnapping") and its head, the preposition it is the object of when it is one."""
    head = trigger
    while head.dep_ == "conj":
        head = head.head
    return head, head.head


def _accused(trigger: Token, lex: Triggers) -> list[Token]:
    """Whom a verb of accusation (an ACCUSE verb of the lexicon) holds to have done the act a
    trigger names: its object ("blamed the rebels for the attack", "accused the militia of
    the bombing", "of shelling the village") or its passive subject ("the rebels were blamed
    for the attack")."""
    head, prep = _governing_prep(trigger)
    if head.dep_ not in {"pobj", "pcomp"} or prep.dep_ != "prep" or prep.lower_ not in ACCUSATION_PREPS:
        return []
    owner = prep.head
    if owner.dep_ == "dobj":  # "accused [the militia [of the bombing]]"
        owner, accused = owner.head, [owner]
    else:
        accused = [c for c in owner.children if c.dep_ in {"dobj", "nsubjpass"}]
    entry = lex.verbs.get(owner.lemma_.lower())
    return accused if entry is not None and entry.event_type == "ACCUSE" else []


def _owner(trigger: Token, lex: Triggers) -> list[Token]:
    """Who is said to own the act a noun trigger names: who claims or takes responsibility or
    credit for it ("the Taliban claimed responsibility for the attack"), is or is held
    responsible for it ("held al-Shabaab responsible for the bombing") or was behind it; not
    who denies it ("denied responsibility for") nor who was not behind it."""
    head, prep = _governing_prep(trigger)
    if head.dep_ != "pobj" or prep.dep_ != "prep":
        return []
    owner = prep.head
    if prep.lower_ == "for" and owner.lemma_.lower() in AUTHORSHIP_NOUNS and owner.dep_ == "dobj":
        verb = owner.head
        owners = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS] if _light(verb, lex) else []
    elif prep.lower_ == "for" and owner.lower_ == "responsible":
        verb = owner.head  # "X was responsible for", "held X responsible for"
        owners = [c for c in verb.children if c.dep_ == "dobj"] or [
            c for c in verb.children if c.dep_ in _SUBJECT_DEPS | {"nsubjpass"}
        ]
    elif prep.lower_ == "behind" and owner.lemma_.lower() == "be":
        verb = owner
        owners = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    else:
        return []
    negated = any(c.dep_ == "neg" for c in (*verb.children, *owner.children))
    return [] if negated else owners


def _through_events(heads: list[Token], lex: Triggers) -> tuple[list[Token], list[Token]]:
    """Event nouns among ``heads`` replaced by their own authors, with their targets apart."""
    actors: list[Token] = []
    recipients: list[Token] = []
    for head in heads:
        if _event_noun(head, lex):
            own, targets = _noun_roles(head, lex)
            actors.extend(own)
            recipients.extend(targets)
        else:
            actors.append(head)
    return actors, recipients


def _with_conjuncts(heads: list[Token], deps: frozenset[str] = frozenset({"conj"})) -> list[Token]:
    """Each head and the heads coordinated with it ("Hezbollah and Hamas", "women and children")."""
    found: dict[int, Token] = {}
    for head in heads:
        found.setdefault(head.i, head)
        root = head
        while root.dep_ in deps and root.head.i != root.i and root.head.pos_ in {"NOUN", "PROPN"}:
            root = root.head
        chain = [root]
        for token in chain:  # grows while read: "women, a girl and four men" (a list read as apposition)
            chain.extend(c for c in token.children if c.dep_ in deps)
        for token in chain:
            if token.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}:
                found.setdefault(token.i, token)
    return list(found.values())


def _own_tokens(head: Token) -> tuple[int, int]:
    """Token range of a participant's own words: its left modifiers and the right ones up to the
    first that says what it does, where it is or what it targets ("insurgents who ambushed a
    convoy", "police in Lyon", "airstrikes against PKK operatives"); "of" and "from" stay
    ("the Ministry of Defence", "fighters from ISIS")."""
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in TRIMMED_DEPS or (child.dep_ == "prep" and child.lower_ not in KEPT_PREPS):
            break
        end = child.right_edge.i + 1
    return head.left_edge.i, end


def _person_mention(actor: Actor, doc: Doc) -> bool:
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ == "PERSON" for t in span)


def _referent(pronoun: Token) -> Token | None:
    """The noun a reader takes "it" or "they" to stand for: the nearest one of its number before
    it, in its sentence or the one before, a subject before an object ("The rebels seized the
    town. It was shelled": the town; "... They fled": the rebels)."""
    doc = pronoun.doc
    sentence = pronoun.sent
    first = doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    plural = pronoun.lower_ in _PLURAL
    fitting = [
        t
        for t in doc[first : pronoun.i]
        if t.pos_ in {"NOUN", "PROPN"}
        and t.dep_ in PRONOUN_ANTECEDENT_DEPS
        and t.ent_type_ != "PERSON"
        # a name's number is no guide: "the Taliban ... they", "the United States ... it"
        and (t.pos_ == "PROPN" or (t.tag_ in {"NNS", "NNPS"}) == plural)
    ]
    if pronoun.dep_ not in {"nsubj", "nsubjpass", "poss"}:
        # "gunmen ambushed them": not the subject of a verb above the pronoun ("Hezbollah said
        # its fighters ...": a possessive may be)
        fitting = [t for t in fitting if not (t.dep_ == "nsubj" and t.head.is_ancestor(pronoun))]
    subjects = [t for t in fitting if t.dep_ in {"nsubj", "nsubjpass"}]
    found = subjects or fitting
    return found[-1] if found else None


def _antecedent(head: Token, start: int, text: str, actors: Sequence[Actor]) -> Actor | None:
    """The last fitting actor named before ``start``: "he" and "she" refer to a person (an office
    holder), "the group" to a group or institution; "it" and "they" to the actor holding the
    noun they stand for (:func:`_referent`), else to no one (a town, a car: say so rather than
    guess)."""
    before = [a for a in actors if a.end <= start and a.sector not in {"CVL"} and a.source != "unresolved"]
    person = head.lower_ in _PERSONAL
    before = [a for a in before if _person_mention(a, head.doc) == person]
    if not before:
        return None
    if head.lower_ in GROUP_PRONOUNS:
        noun = _referent(head)
        if noun is None:
            return None
        holding = [a for a in before if a.start <= noun.idx < a.end]
        return holding[-1] if holding else None
    if text.lower().endswith(("group", "militia", "movement", "faction", "fighters", "militants", "rebels")):
        armed = [a for a in before if a.sector in {"REB", "INS", "UAF", "OPP"} or a.acled_inter in {2, 3, 4}]
        before = armed or before
    return before[-1]


def _mention(actors: Iterable[Actor], head: Token) -> list[Actor]:
    """``actors``' identities with this mention's words and place in the text."""
    start, end = head.idx, head.idx + len(head)
    return [replace(a, text=head.text, start=start, end=end) for a in actors]


def _compose(words: Iterable[Token], lexicon: Lexicon, country: str | None) -> Actor | None:
    """The actor a phrase names, its comparison words ("more than 30 militants") left out of
    the name; the actor keeps the phrase's own text."""
    tokens = list(words)
    if not tokens:
        return None
    text = tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text
    kept = " ".join(t.text for t in tokens if t.dep_ != "quantmod")
    actor = resolve_actor_text(kept, lexicon, context_country=country)
    return replace(actor, text=text) if actor is not None else None


def _resolve(head: Token, reading: Reading, lexicon: Lexicon, country: str | None) -> list[Actor]:
    doc = head.doc
    lower = head.lower_
    if lower in RELATIVE_PRONOUNS:
        # "insurgents who ambushed ...": the noun the clause qualifies; "it is not clear who
        # carried out the attack" names no one
        clause = head.head
        if clause.dep_ == "relcl" and clause.head.pos_ in {"NOUN", "PROPN"}:
            return _mention(_resolve(clause.head, reading, lexicon, country), head)
        return []
    if lower == "it" and any(c.dep_ in {"ccomp", "csubj", "xcomp"} for c in head.head.children):
        return []  # "it emerged that ...", "it is unclear whether ...": no one
    if head.dep_ == "compound" and any(
        p.start <= head.idx < p.end and p.precision not in {None, "country"} for p in reading.places
    ):
        return []  # "the Kabul airport bombing": a town before an act says where, not who
    first, last = _own_tokens(head)
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
    found = [a for a in _in(start, end, reading.actors) if a.source != "unresolved"]
    # "its fighters", "their forces": the group the possessive stands for, unless they are named
    owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in GROUP_PRONOUNS), None)
    referring = {head.lower_, head.lemma_.lower()} & ANAPHORIC_HEADS
    if owner is not None and referring and not any(a.country for a in found):
        antecedent = _antecedent(owner, owner.idx, owner.text, reading.actors)
        if antecedent is not None:
            return [replace(antecedent, text=doc[first:last].text, start=start, end=end)]
    # a name that only qualifies the head ("Syrian pro-regime fighters", "PKK operatives") is not
    # the participant: the name holding the head is, else the phrase when it names an actor
    holding = [a for a in found if a.start <= head.idx < a.end]
    if found and not holding and lower not in _PRONOUNS:
        phrase = _compose(doc[first:last], lexicon, country)
        if phrase is not None and phrase.source != "unresolved":
            return [replace(phrase, start=start, end=end)]
    if found:
        return holding or found
    # Span.text, not doc.text[...]: Doc.text joins the whole document on every call
    text = doc[first:last].text
    actor = None if lower in _PRONOUNS else _compose(doc[first:last], lexicon, country)
    anaphoric = lower in _PRONOUNS or (
        head.lemma_.lower() in ANAPHORIC_HEADS
        and any(c.lower_ in {"the", "this", "that"} for c in head.children)
    )
    if anaphoric and (actor is None or actor.source == "unresolved" or actor.country is None):
        antecedent = _antecedent(head, start, text, reading.actors)
        if antecedent is None:  # "the army" named first here is the army
            return [replace(actor, start=start, end=end)] if actor and actor.source != "unresolved" else []
        # the antecedent's identity, this mention's words and place in the text
        label = actor.label if actor is not None else None
        return [replace(antecedent, text=text, start=start, end=end, label=label)]
    if actor is None or actor.source == "unresolved":
        return []
    return [replace(actor, start=start, end=end)]


def _count(head: Token) -> bool:
    """A number standing for people ("wounded another 15", "injuring scores more")."""
    return head.pos_ == "NUM" or head.lower_ in ELLIPTIC_COUNTS


def _target(head: Token, target_heads: frozenset[str]) -> bool:
    """A thing an act of force is aimed at (``target_heads``: a building, a post, a vehicle), as
    its object or after "on"/"against" ("attacked a checkpoint", "the attack on the convoy"), not
    a place it happened at ("killed five at a market"); a name made with one is one too ("Camp
    Bastion", "the Serena Hotel")."""
    words = [head, *(c for c in head.lefts if c.dep_ == "compound")] if head.pos_ == "PROPN" else [head]
    if head.pos_ not in {"NOUN", "PROPN"} or not any(w.lemma_.lower() in target_heads for w in words):
        return False
    if head.dep_ in {"dobj", "nsubjpass", "conj", "appos"}:
        return True
    return head.dep_ == "pobj" and head.head.lower_ in TARGET_PREPS


def _resolve_victims(
    head: Token,
    reading: Reading,
    lexicon: Lexicon,
    country: str | None,
    person_nouns: frozenset[str] | None = None,
) -> list[Actor]:
    """The recipients a head names: actors as :func:`_resolve` finds them; a bare number takes the
    people last counted before it ("killed 7 villagers and wounded another 15": villagers); the
    victims of force (``person_nouns`` given) counted in a group that names no actor ("four bus
    drivers"), named by a person noun ("a local official", "a Russian general": the person,
    not the country qualifying them) or by their own name ("Ahmed Ali") are kept unresolved, with
    their text."""
    first, last = _own_tokens(head)
    doc = head.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
    text = doc[first:last].text
    if person_nouns is not None and _target(head, lexicon.words.target_heads):
        return [Actor(text=text, name=text, start=start, end=end, source="unresolved")]
    found = _resolve(head, reading, lexicon, country)
    named = (
        head.pos_ == "PROPN"
        and head.ent_type_ not in NOT_PEOPLE_ENTITIES | PLACE_ENTITIES
        and not any(p.start <= head.idx < p.end for p in reading.places)
    )
    person = (
        head.ent_type_ == "PERSON"
        or named  # "Rahim, 30, died": a name the reader does not know, no place's
        or bool(AGE.search(doc[first : head.i].text))  # "a 12-year-old boy"
        or (
            head.pos_ == "NOUN"
            and person_nouns is not None
            and (
                is_person_noun(head.lemma_.lower(), person_nouns)
                # one of a group an actor head names ("a soldier", "a militant")
                or f"{head.lemma_.lower()}s" in lexicon.words.head_roles
            )
        )
    )
    if person and person_nouns is not None and not any(a.start <= head.idx < a.end for a in found):
        found = []  # a name that only qualifies the victim
    if found:
        return found
    if head.lower_ in GROUP_PRONOUNS:
        # "them", "they": the victims named before that they stand for ("four soldiers")
        referent = _referent(head) if person_nouns is not None else None
        if referent is None:
            return []
        return _mention(_resolve_victims(referent, reading, lexicon, country, person_nouns), head)
    if head.lower_ in _PRONOUNS:
        return []
    if _count(head):
        counted = [
            t
            for t in doc[max(0, head.i - MAX_ELLIPSIS) : head.i]
            if t.pos_ == "NOUN" and any(_count(c) for c in t.children)
        ]
        if counted:
            noun = counted[-1]
            words = doc[_own_tokens(noun)[0] : noun.i + 1]
            people = _compose(
                [t for t in words if not (_count(t) or t.dep_ in {"det", "quantmod"})], lexicon, country
            )
            if people is not None:
                return [replace(people, text=text, start=start, end=end)]
    if (
        person_nouns is not None
        and head.ent_type_ not in NOT_PEOPLE_ENTITIES
        and (_count(head) or any(c.dep_ == "nummod" for c in head.children) or person)
    ):
        if head.ent_type_ == "PERSON" or named or any(t.ent_type_ == "PERSON" for t in doc[first:last]):
            text = _without_names(head, first, last, named)  # no private person's name stored
        return [Actor(text=text, name=text, start=start, end=end, source="unresolved")]
    return []


# How the record calls a victim named only by their own name: actors and recipients are groups,
# institutions or unnamed people; a private person's name stays in the evidence sentence only.
NAMED_PERSON = "a person named in the report"


def _without_names(head: Token, first: int, last: int, named: bool) -> str:
    """A victim's words without a person's own name: "Major General Ivan Petrov" -> "Major
    General", "the driver, Ahmed Ali" -> "the driver", "Rahim" -> NAMED_PERSON."""
    doc = head.doc
    own_name = {head.i, *(c.i for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN")}
    kept = [
        t
        for t in doc[first:last]
        if t.ent_type_ != "PERSON"
        and not (named and t.i in own_name)
        and not (t.dep_ == "appos" or any(a.dep_ == "appos" and a.head.i == head.i for a in t.ancestors))
    ]
    while kept and (kept[-1].is_punct or kept[-1].like_num):
        kept.pop()
    if not any(t.pos_ in {"NOUN", "PROPN"} for t in kept):
        return NAMED_PERSON
    return doc[kept[0].i : kept[-1].i + 1].text


def _takes_in_the_hurt(token: Token, lex: Triggers) -> bool:
    """Whether a verb's object is the hurt or the dead, words of the lexicon's ``casualty`` rows
    ("received dozens of wounded", "received the injured", "received casualties"): care for
    them, no meeting with anyone."""
    for obj in (c for c in token.children if c.dep_ in ("dobj", "nsubjpass")):
        of = [g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
        for noun in (obj, *of):
            forms = {noun.lemma_.lower(), noun.lower_}
            if any(
                f in lex.casualty
                or f.removesuffix("d") in lex.casualty
                or f.removesuffix("ed") in lex.casualty
                for f in forms
            ):
                return True
    return False


def _nameless(actor: Actor, doc: Doc) -> Actor:
    """``actor`` without a private person's own name in its text ("General Ivan Petrov" ->
    "General"): the name stays in the evidence sentence only."""
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand") if actor.start >= 0 else None
    if span is None or not any(t.ent_type_ == "PERSON" for t in span) or actor.text == NAMED_PERSON:
        return actor
    text = _without_names(span.root, span.start, span.end, named=False)
    name = actor.name if actor.source != "unresolved" and actor.name not in actor.text else text
    return replace(actor, text=text, name=name)


def _unique(actors: Iterable[Actor]) -> tuple[Actor, ...]:
    seen: dict[str, Actor] = {}
    for actor in actors:
        seen.setdefault(actor.name, actor)
    return tuple(seen.values())


def _status(token: Token, event: EventType | None, clause: str, claim: Claim) -> Status:
    # a rejection is itself an act that happened; what it rejects is what is denied
    rejecting = event is not None and event.event_type == "REJECT"
    if not rejecting and (
        (event is not None and (event.denied or event.negated)) or _DENIAL.search(claim.cue or "")
    ):
        return "denied"
    auxes = {c.lower_ for c in token.children if c.dep_ in {"aux", "auxpass"}} | (
        {c.lower_ for c in token.head.children if c.dep_ == "aux"}
        if token.dep_ in {"xcomp", "dobj"}
        else set()
    )
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in token.children):
        return "hypothetical"
    if event is not None and event.intended:
        return "threatened" if event.event_type == "THREATEN" or "threat" in clause.lower() else "planned"
    if auxes & _FUTURE:
        return "planned"
    if auxes & _MODAL:
        return "hypothetical"
    if token.tag_ == "VBG" and auxes & {"is", "are", "am"}:
        return "ongoing"
    head_text = token.head.text if token.dep_ in {"xcomp", "dobj", "pobj"} else ""
    if _PLANNING.search(head_text):
        return "planned"
    if token.tag_ in {"VBD", "VBN"} or token.head.tag_ in {"VBD", "VBN"}:
        return "occurred"
    if token.tag_ in {"VBZ", "VBP", "VBG"}:
        return "ongoing"
    return "unknown"


def _candidates(sentence: SpacySpan, rules: Rules) -> list[_Candidate]:
    """Typed triggers, plus the governing verb of each civilian-protection cue that no
    trigger's clause covers (an evacuation or a hospital is never lost for want of a type)."""
    doc = sentence.doc
    found = [
        _Candidate(doc[e.trigger_token], e)
        for e in find_triggers(sentence, rules.triggers)
        if e.event_type and e.trigger_token >= 0
    ]
    # a noun whose clause belongs to another trigger is that act's topic, not an act of its
    # subject ("protested against the fighting": the protesters did not fight)
    # ("after the explosion, the minister sent ...": a time or circumstance is a happening of its own)
    verbs = {c.token.i for c in found if c.token.pos_ in {"VERB", "AUX"}}
    found = [
        c
        for c in found
        if c.token.pos_ != "NOUN" or _clause_verb(c.token).i not in verbs or _circumstance(c.token)
    ]
    tokens = [c.token for c in found]
    covered = [_clause(t, tokens) for t in tokens]
    for offset in sorted(set(cue_offsets(sentence.text).values())):
        cue = doc.char_span(
            sentence.start_char + offset, sentence.start_char + offset + 1, alignment_mode="expand"
        )
        if cue is None or any(lo <= cue.start < hi for lo, hi in covered):
            continue
        verb = cue.root
        for _ in range(MAX_CLIMB):
            if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.i not in {c.token.i for c in found}:
            found.append(_Candidate(verb, None))
            covered.append(_clause(verb, [c.token for c in found]))
    return sorted(found, key=lambda c: c.token.i)


def _bare(event: EventType, token: Token, lex: Triggers, armed: bool, armed_article: bool = False) -> bool:
    """Whether a force event stands without a participant (see BARE_TYPES); an infinitive
    ("ordered the fighters to fight") is an order or a plan, not a happening. ``armed``: its
    sentence names arms; ``armed_article``: its article does, in ARMED_ARTICLE_SENTENCES."""
    if event.event_type not in BARE_TYPES or _infinitive(token):
        return False
    if not any(t.pos_ in {"VERB", "AUX"} for t in sentence_of(token)):
        return False  # a heading, a caption or a list of links ("2014 Bagram Airfield bombing")
    if event.key in lex.bare or (armed and event.confidence >= BARE_CONFIDENCE):
        return True
    sure_noun = token.pos_ == "NOUN" and event.confidence >= ATTACK_NOUN_CONFIDENCE
    if not (armed_article and sure_noun and event.event_type == "ASSAULT" and _definite(token)):
        return False
    # "rejected claims that the clashes were an attack on Kurds": a characterisation disputed
    return not any(a.lemma_.lower() in DENIAL_CUES for a in token.ancestors)


def _rioters(actors: Sequence[Actor]) -> bool:
    """Whether an act's doers are all demonstrators ("protesters clashed with the police"): their
    force is their demonstration turned violent, a riot (PLOVER PROTEST), not an assault."""
    return bool(actors) and all(a.acled_inter in DEMONSTRATOR_INTERS for a in actors)


def names_arms(sentence: SpacySpan, lex: Triggers, actors: Sequence[Actor] = ()) -> bool:
    """Whether a sentence names arms or an armed actor ("troops", "bomb", or one of ``actors``
    in it of an armed sector)."""
    words = _words(sentence)
    if any(f" {w} " in words for w in lex.armed):
        return True
    return any(
        a.sector in ARMED_SECTORS and sentence.start_char <= a.start < sentence.end_char for a in actors
    )


def _definite(noun: Token) -> bool:
    """A noun that refers back ("the attack", "Saturday's attacks"), not a new one ("an attack")."""
    return any(
        (c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS) or c.dep_ == "poss" for c in noun.children
    )


def _infinitive(token: Token) -> bool:
    """A verb under "to", itself or through the verb it is coordinated with ("to stay and fight")."""
    current = token
    for _ in range(MAX_CLIMB):
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children):
            return True
        if current.dep_ != "conj":
            return False
        current = current.head
    return False


def _circumstance(token: Token) -> bool:
    """A noun trigger that says when or why another act took place ("after the explosion")."""
    return token.dep_ == "pobj" and token.head.lower_ in CIRCUMSTANCE_PREPS


def _words(sentence: SpacySpan) -> str:
    """The sentence's lemmas and its lowercase words, space-separated and padded, for
    looking up one- and two-word keys."""
    lemmas = " ".join(t.lemma_.lower() or t.lower_ for t in sentence)
    return f" {lemmas} | {' '.join(t.lower_ for t in sentence)} "


def no_conflict_frame(sentence: SpacySpan, lex: Triggers, actors: Sequence[Actor] = ()) -> str | None:
    """The frame (sport, game, disease, animal, accident, disaster) of a sentence about no
    conflict, or None when it names none, or names arms or an armed actor ("troops", "bomb",
    or one of ``actors`` in it of an armed sector: "the Taliban said the helicopter crashed")."""
    words = _words(sentence)
    found = [frame for w, frame in lex.frames.items() if f" {w} " in words]
    if FICTION in found:  # a game's soldiers and bombs are no one's
        return FICTION
    if not found or names_arms(sentence, lex, actors):
        return None
    return found[0]


def _instrument_type(token: Token, lex: Triggers) -> str | None:
    """The type of the instrument a force trigger acts "with" ("targeted X with sanctions",
    "hit Y with tariffs"): None when it names none."""
    holders = [token, *(c for c in token.children if c.dep_ == "dobj")]
    for prep in (c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "with"):
        for noun in (c for c in prep.children if c.dep_ == "pobj"):
            lemma = noun.lemma_.lower()
            parts = [f"{c.lemma_.lower()} {lemma}" for c in noun.children if c.dep_ in {"compound", "amod"}]
            found = next((lex.instruments[k] for k in [*parts, lemma] if k in lex.instruments), None)
            if found:
                return found
    return None


def _running_total(token: Token, lex: Triggers) -> bool:
    """A force verb whose subject is a long happening ("the war has killed 40,000 people", "the
    Rwandan genocide killed 800,000"), named or not ("World War II", "the Battle of X")."""
    return token.pos_ == "VERB" and any(
        c.dep_ == "nsubj"
        and (
            c.lemma_.lower() in lex.campaigns
            or c.ent_type_ == "EVENT"
            or (c.pos_ == "PROPN" and c.lower_ == "battle")
        )
        for c in token.children
    )


def _dated_news(token: Token, sentence: SpacySpan, dates: Sequence[DateMention], reference: date) -> bool:
    """Whether the sentence dates the act of ``token`` within the report's week ("the conflict
    killed three civilians on Tuesday")."""
    when = date_event(_in(sentence.start_char, sentence.end_char, dates), token.idx, reference)
    return when is not None and when.value is not None and is_news(when.value, when.precision, reference)


def _intransitive(token: Token, lex: Triggers) -> bool:
    """A verb that names its act only done to something, said of its subject alone ("the
    demonstrators dispersed in the afternoon", "the smoke cleared")."""
    return (
        token.pos_ == "VERB"
        and token.lemma_.lower() in lex.transitive
        and not any(c.dep_ in {"dobj", "nsubjpass", "auxpass", "agent"} for c in token.children)
    )


def _dismissal(token: Token, lex: Triggers, person_nouns: frozenset[str]) -> bool:
    """A dismissal verb with a person as its object ("will fire us", "fired the coach", "they
    will be fired")."""
    if token.lemma_.lower() not in lex.dismiss:
        return False
    return any(
        c.dep_ in {"dobj", "nsubjpass"}
        and (
            c.lower_ in PERSON_PRONOUNS
            or c.ent_type_ == "PERSON"
            or (c.pos_ == "NOUN" and is_person_noun(c.lemma_.lower(), person_nouns))
        )
        for c in token.children
    )


def date_event(dates: Sequence[DateMention], offset: int, reference: date) -> DateMention | None:
    """The date among ``dates`` (those of the event's sentence) nearest the trigger at ``offset``,
    or None when it lies after ``reference``, the article's publication (else capture) day.

    A report tells what has happened by its date: a later date ("the next year", "by 2022",
    "talks will resume Tuesday") is a plan's or another story's, never when the event took
    place, and no other date of the sentence stands in for it.
    """
    dated = [d for d in dates if d.kind == "date" and d.value]
    nearest = min(dated, key=lambda d: abs(d.start - offset)) if dated else None
    if nearest is None or nearest.value is None or nearest.value > reference:
        return None
    return nearest


def story_year(
    sentences: Sequence[tuple[SpacySpan, Sequence[object]]], dates: Sequence[DateMention], reference: date
) -> date | None:
    """The year an article's opening sets its story in, when that is history: every date of
    its first sentence with an act (not after ``reference``) is background to the report ("The
    Rolando bombing was an attack on 13 September 1974 ..."). Its acts the text leaves undated
    are that story's ("the explosion caused significant damage"), not this week's news: they
    are dated to its year (``date_source`` "story"), and the article's town does not place them
    as news, until the text gives a date within the report's week (an anniversary piece that
    comes to "survivors protested on Sunday"). None for a report whose opening tells news, or
    tells no date."""
    first = next((sentence for sentence, candidates in sentences if candidates), None)
    if first is None:
        return None
    dated = [(d, day) for d, day in _dated(dates, first, reference) if _time_adjunct(d, first)]
    if not dated or not all(is_background(day, d.precision, "text", reference) for d, day in dated):
        return None
    return date(dated[0][1].year, 1, 1)


def _dated(
    dates: Sequence[DateMention], sentence: SpacySpan, reference: date
) -> list[tuple[DateMention, date]]:
    """The dates of ``sentence`` with a day, each with it, that lie not after ``reference``."""
    return [
        (d, d.value)
        for d in _in(sentence.start_char, sentence.end_char, dates)
        if d.kind == "date" and d.value is not None and d.value <= reference
    ]


def _time_adjunct(mention: DateMention, sentence: SpacySpan) -> bool:
    """Whether a date says when something happened ("an attack on 13 September 1974", "in
    1995"), not which thing a noun names ("a 2010 rape allegation", "the 1967 war")."""
    span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.dep_ not in NOUN_MODIFIER_DEPS


def in_story(when: DateMention, story: date) -> DateMention:
    """A year-less day or month told in a story of history (:func:`story_year`) is of the story's
    year, not the report's ("on 15 September, ETA issued a statement" in an article on a 1974
    bombing)."""
    if when.value is None or when.precision not in ("day", "month") or _YEAR.search(when.text):
        return when
    try:
        value = when.value.replace(year=story.year)
    except ValueError:  # February 29th of a year without one
        return when
    timeml = when.timeml
    if timeml and timeml.startswith(f"{when.value.year:04d}"):
        timeml = f"{story.year:04d}{timeml[4:]}"
    return replace(when, value=value, timeml=timeml)


def report_date(article: Article) -> tuple[date, DateSource]:
    """The date of an event its text leaves undated, and where it comes from: ACLED's convention
    codes such an event at its report's date with precision "week" (it happened within the week
    before). The report's day itself, not its week's Monday: no event is dated after its report
    and corroboration's week tolerance (7 days either way) still joins reports days apart."""
    return anchor_date(article), "report" if article.published_date else "capture"


def extract_events(
    doc: Doc,
    article: Article,
    reading: Reading,
    lexicon: Lexicon,
    rules: Rules,
    attributions: Sequence[Attribution] | None = None,
) -> tuple[EventMention, ...]:
    """Event mentions of one article: one per action, each with evidence and claim; ``lexicon``
    names the actors, ``rules`` holds the trigger words, cues and ACLED tables."""
    attributions = find_attributions(doc, rules.cues) if attributions is None else attributions
    text = doc.text
    home = _home_country(reading)
    reference, inferred_source = report_date(article)
    sentences = [
        (s, keep_happenings(_candidates(s, rules), s, rules.triggers, _Candidate)) for s in doc.sents
    ]
    persons = person_names(doc, reading.places)  # once per article, not per sentence
    story = story_year(sentences, reading.dates, reference)
    located_in = [
        sentence_places(
            sentence,
            reading.places,
            frozenset(
                {c.token.i for c in candidates}
                | {e.trigger_token for e in find_triggers(sentence, rules.triggers) if e.event_type}
            ),
            rules.place_words,
            persons,
        )
        for sentence, candidates in sentences
    ]
    article_places = [s.place for located in located_in for s in located]
    lede_end = next(iter(doc.sents)).end_char if len(doc) else 0
    focus = main_place(article_places, lede_end, article.title or "")
    # an article about armed violence: "the attack" in it needs no arms of its own sentence
    armed_article = (
        sum(names_arms(sentence, rules.triggers, reading.actors) for sentence, _ in sentences)
        >= ARMED_ARTICLE_SENTENCES
    )
    mentions: list[EventMention] = []
    seen: set[str] = set()
    reporting = (
        (rules.cues.reporting_verbs | rules.triggers.reactions) - AUTHOR_VERBS - rules.cues.intention_verbs
    )
    for (sentence, candidates), located in zip(sentences, located_in, strict=True):
        if story is not None and any(
            is_news(day, d.precision, reference) for d, day in _dated(reading.dates, sentence, reference)
        ):
            story = None  # the text has come to the news: its undated acts are the report's
        tokens = [c.token for c in candidates]
        frame = no_conflict_frame(sentence, rules.triggers, reading.actors)
        armed = names_arms(sentence, rules.triggers, reading.actors)
        found: list[tuple[Token, EventMention]] = []
        absorbed: set[int] = set()  # acts that are a demonstration's aim
        for candidate in candidates:
            token, event = candidate.token, candidate.event
            if token.i in absorbed:
                continue
            if event is not None and (event.event_type in FRAMED_TYPES or event.action_type in FRAMED_TYPES):
                instrument = _instrument_type(token, rules.triggers)
                if instrument and event.event_type in FRAMED_TYPES:
                    event = replace(event, event_type=instrument, mode=None, action_type=None)
                elif instrument:  # "threatened them with tariffs": a threat of sanctions
                    event = replace(event, action_type=instrument)
            if event is not None and _dismissal(token, rules.triggers, rules.cues.person_nouns):
                continue
            if event is not None and _intransitive(token, rules.triggers):
                continue  # "the demonstrators dispersed": they left, no one dispersed them
            if (
                event is not None
                and event.event_type in FORCE_TYPES
                and _running_total(token, rules.triggers)
                and not _dated_news(token, sentence, reading.dates, reference)
            ):
                continue  # "the war has killed 40,000 people": a toll of years, no act of the week
            if (
                event is not None
                and event.event_type == "CONSULT"
                and _takes_in_the_hurt(token, rules.triggers)
            ):
                continue  # "the hospital received dozens of wounded": care, no meeting
            if frame and (
                event is None or event.event_type in FRAMED_TYPES or event.action_type in FRAMED_TYPES
            ):
                continue
            lo, hi = _clause(token, tokens)
            clause_start, clause_end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
            clause = text[clause_start:clause_end]
            size = find_size(clause, rules.size_words)
            actor_heads, recipient_heads = _participant_tokens(token, rules.triggers, reporting)
            if token.lemma_.lower() in rules.triggers.undergo:  # "three soldiers died": victims
                actor_heads, recipient_heads = [], [*actor_heads, *recipient_heads]
            if _circumstance(token):  # "after the explosion, the minister said": its own words only
                actor_heads = [h for h in actor_heads if token.is_ancestor(h)]
                recipient_heads = [h for h in recipient_heads if token.is_ancestor(h)]
            actors = _unique(a for h in actor_heads for a in _resolve(h, reading, lexicon, home))
            if event is not None and event.event_type == "ASSAULT" and _rioters(actors):
                event = replace(event, event_type="PROTEST", mode="riot", action_type="PROTEST")
            if token.lemma_.lower() in rules.triggers.assembly:
                if not _rioters(actors):
                    continue  # "leaders gathered in Paris (to discuss ...)": no demonstration
                # "protesters gathered to demand ...": the demand is the demonstration's
                absorbed |= {
                    t.i for t in token.subtree if t.i != token.i and governor(t, frozenset({token.i}))
                }
            # force has victims, kept with their text where they name no actor
            victims = (
                rules.cues.person_nouns if event is not None and event.event_type in FORCE_TYPES else None
            )
            recipients = _unique(
                _nameless(a, doc)
                for h in recipient_heads
                for a in _resolve_victims(h, reading, lexicon, home, victims)
            )
            protection = find_protection(clause, size, recipients, event.event_type if event else None)
            concerns = bool(set(protection.kinds) & PROTECTION_ONLY_KINDS) or any(
                (size.dead, size.injured, size.displaced, size.arrested)
            )
            if event is None and not concerns:
                continue
            if event is None:  # a concern no typed clause covers: an act of its own, or no event
                own = concern_type(
                    protection,
                    clause,
                    armed=any(a.sector in ARMED_SECTORS for a in actors)
                    or names_arms(doc[lo:hi], rules.triggers),
                    happening=token.pos_ in {"VERB", "AUX"} and not _infinitive(token),
                )
                if own is None:  # a facility named, nothing done: "a professor at X University"
                    continue
                event = EventType(
                    event_type=own,
                    trigger=(token.idx, token.idx + len(token)),
                    trigger_text=token.text,
                    confidence=UNTYPED_CONFIDENCE,
                    trigger_token=token.i,
                    key="protection",
                )
            # victims kept with their text only ("four bus drivers") make no act of a sentence
            named = [r for r in recipients if r.source != "unresolved"]
            dyad = bool(actors and named) and event is not None and event.confidence >= MIN_DYAD_CONFIDENCE
            if (
                event is not None
                and not concerns
                and not dyad
                and not (event.confidence >= MIN_CONFIDENCE and (actors or named))
                and not _bare(event, token, rules.triggers, armed, armed_article)
            ):
                continue
            when = date_event(
                _in(sentence.start_char, sentence.end_char, reading.dates), token.idx, reference
            )
            if story is not None and when is not None:
                when = in_story(when, story)
            source: DateSource
            day, precision, source = (
                (when.value, when.precision, "text")
                if when is not None and when.value is not None
                else (story, "year", "story")
                if story is not None
                else (reference, "week", inferred_source)
            )
            place = locate_event(
                token,
                (clause_start, clause_end),
                located,
                rules.place_words,
                article_places,
                # the article's town places its news, not an act its text dates earlier
                focus if is_news(day, precision, reference) else None,
                placed=event is None or event.event_type in PLACED_TYPES,
            )
            claim = claim_for_span(
                token.idx, token.idx + len(token), attributions, article.outlet, text, rules.cues
            )
            acled = classify_acled(sentence.text, rules, event, doc=sentence)
            confidence = (event.confidence if event else UNTYPED_CONFIDENCE) * (
                HEDGE_FACTOR if claim.hedge else 1.0
            )
            event_type = event.event_type if event else None
            key = "m" + sha256_hex(f"{article.id}:{token.idx}:{event_type}")[:15]
            if key in seen:  # two readings of one predicate with one type: one action
                continue
            seen.add(key)
            found.append(
                (
                    token,
                    EventMention(
                        id=key,
                        article_id=article.id,
                        event_type=event_type,
                        mode=event.mode if event else None,
                        context=event.context if event else (),
                        evidence=Evidence(article.id, sentence.text, sentence.start_char, sentence.end_char),
                        attribution=claim,
                        acled_event_type=acled.event_type,
                        acled_sub_event_type=acled.sub_event_type,
                        status=_status(token, event, clause, claim),
                        actor=actors,
                        recipient=recipients,
                        date=day,
                        date_precision=precision,
                        date_source=source,
                        location=place,
                        size=size,
                        civilian_protection=protection.kinds,
                        protected_site=protection.site if "protected_site" in protection.kinds else None,
                        confidence=min(1.0, max(0.0, confidence)),
                    ),
                )
            )
        mentions.extend(one_happening(found, rules.triggers, reporting))
    return tuple(mentions)


def _home_country(reading: Reading) -> str | None:
    """The country most of the article's resolved places lie in (fills countries of bare institutions)."""
    counts: dict[str, int] = {}
    for place in reading.places:
        if place.country:
            counts[place.country] = counts.get(place.country, 0) + 1
    return max(sorted(counts), key=lambda c: counts[c]) if counts else None
