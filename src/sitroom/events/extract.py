"""Stage 4: event mentions with their evidence and claim, from one parsed and read article.

For each sentence, in order:

1. triggers: the predicates that name an action (``plover.find_triggers``: one per action,
   reporting verbs excluded); a clause with civilian-protection cues but no trigger still
   yields an event of unknown type, so an evacuation or a hospital is never lost;
2. participants: the trigger's subject (or passive agent) is the actor, its object or the
   object of "against/on/with/at/targeting" the recipient, resolved through the reading's
   actors; "it", "they", "the group" take the last fitting actor mentioned before;
3. where and when: the place its own predicate names ("killed ... in a village near X"), else
   one in its clause, else the nearest in its sentence, never a place that qualifies a noun
   ("a U.S. strike"), speaks ("Washington said") or is another act's ("against the fighting
   in Y"); a material act the sentence does not place is at the article's focus (its
   most-named town, if its first sentence names it; ``source`` "focus:...")
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

from sitroom.events.acled import classify_acled
from sitroom.events.attribution import Attribution, find_attributions
from sitroom.events.claims import claim_for_span
from sitroom.events.happenings import keep_happenings
from sitroom.events.location import event_place, main_place, place_phrase, sentence_places
from sitroom.events.plover import CIRCUMSTANCE_PREPS, EventType, find_triggers, sentence_of
from sitroom.events.protection import find_protection
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
_PRONOUNS = {"it", "they", "he", "she", "its", "their", "them", "who", "which"}
_FUTURE = {"will", "shall", "'ll"}
_MODAL = {"would", "could", "may", "might", "should", "can"}
_PLANNING = re.compile(
    r"\b(?:plan|plans|planned|planning|prepar\w+|intend\w*|aim\w*|seek\w*|sought|vow\w*|pledg\w*|threat\w*|to\s+plan)\b",
    re.I,
)
_DENIAL = re.compile(r"\b(?:reject\w*|den(?:y|ied|ies|ial)|dismiss\w*|refut\w*)\b", re.I)
# Types of material acts: without a place of their own they happen where the article is
# set (its most-mentioned city or finer place, :func:`main_place`); statements and talks get
# no such default.
MATERIAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "RETREAT", "AID"}
# Heads a noun trigger may climb through to find the verb that has its subject.
MAX_CLIMB = 5
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
# Event without a PLOVER type (protection cues only): a low, fixed confidence.
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


def _participant_tokens(
    token: Token, reporting: frozenset[str] = frozenset()
) -> tuple[list[Token], list[Token]]:
    """(actor heads, recipient heads) of a trigger, through light verbs, nouns and passives.

    A noun trigger governed by a ``reporting`` verb (say, condemn, deny, blame) does not take
    that verb's subject: who condemns an attack did not attack."""
    verb = _clause_verb(token)
    actors: list[Token] = []
    recipients: list[Token] = []
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    reported = verb.i != token.i and verb.lemma_.lower() in reporting
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS:
            if not reported:
                actors.append(child)
        elif child.dep_ == "agent":
            actors.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "nsubjpass" or (
            child.dep_ == "dobj" and child.i != token.i and not passive and verb.i == token.i
        ):
            recipients.append(child)
    if reported:  # "regrets the Boko Haram attack": the attack's own author, if it names one
        actors.extend(c for c in token.children if c.dep_ in {"compound", "poss"} and c.pos_ == "PROPN")
        agents = (c for c in token.children if c.dep_ == "prep" and c.lower_ == "by")
        actors.extend(g for p in agents for g in p.children if g.dep_ == "pobj")  # "killings by police"
    for child in verb.children:
        # "working closely with Syria to defuse ...": the parser makes "with" a marker of the
        # next clause; its subject is the partner
        if child.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in _RECIPIENT_PREPS for m in child.children
        ):
            recipients.extend(c for c in child.children if c.dep_ in _SUBJECT_DEPS)
    if token.dep_ == "dobj" and token.head.i == verb.i:
        recipients.extend(c for c in token.children if c.dep_ == "dobj")
    inherit = verb
    for _ in range(MAX_CLIMB):
        # a clause without a subject shares its head's ("rejected compromise and escalated
        # violence, using civilians as human shields")
        if actors or reported or inherit.dep_ not in {"conj", "xcomp", "advcl"}:
            break
        inherit = inherit.head
        actors.extend(c for c in inherit.children if c.dep_ in _SUBJECT_DEPS)
    if not actors and verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        actors.append(verb.head)  # "PKK snipers operating from tunnels"
    holders = [token, verb, *(c for h in (token, verb) for c in h.children if c.dep_ in {"advmod", "dobj"})]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in _RECIPIENT_PREPS:
                recipients.extend(c for c in prep.children if c.dep_ == "pobj")
    return actors, recipients


def _subtree_chars(token: Token) -> tuple[int, int]:
    return token.left_edge.idx, token.right_edge.idx + len(token.right_edge)


def _antecedent(start: int, text: str, actors: Sequence[Actor]) -> Actor | None:
    before = [a for a in actors if a.end <= start and a.sector not in {"CVL"} and a.source != "unresolved"]
    if not before:
        return None
    if text.lower().endswith(("group", "militia", "movement", "faction", "fighters", "militants", "rebels")):
        armed = [a for a in before if a.sector in {"REB", "INS", "UAF", "OPP"} or a.acled_inter in {2, 3, 4}]
        before = armed or before
    return before[-1]


def _resolve(head: Token, reading: Reading, lexicon: Lexicon, country: str | None) -> list[Actor]:
    start, end = _subtree_chars(head)
    found = [a for a in _in(start, end, reading.actors) if a.source != "unresolved"]
    if found:
        return found
    # Span.text, not doc.text[...]: Doc.text joins the whole document on every call
    text = head.doc[head.left_edge.i : head.right_edge.i + 1].text
    actor = None if head.lower_ in _PRONOUNS else resolve_actor_text(text, lexicon, context_country=country)
    anaphoric = head.lower_ in _PRONOUNS or (
        head.lemma_.lower() in ANAPHORIC_HEADS
        and any(c.lower_ in {"the", "this", "that"} for c in head.children)
    )
    if anaphoric and (actor is None or actor.source == "unresolved" or actor.country is None):
        antecedent = _antecedent(start, text, reading.actors)
        if antecedent is None:
            return []
        # the antecedent's identity, this mention's words and place in the text
        label = actor.label if actor is not None else None
        return [replace(antecedent, text=text, start=start, end=end, label=label)]
    if actor is None or actor.source == "unresolved":
        return []
    return [replace(actor, start=start, end=end)]


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


def _bare(event: EventType, token: Token, lex: Triggers, armed: bool) -> bool:
    """Whether a force event stands without a participant (see BARE_TYPES); an infinitive
    ("ordered the fighters to fight") is an order or a plan, not a happening."""
    if event.event_type not in BARE_TYPES or _infinitive(token):
        return False
    if not any(t.pos_ in {"VERB", "AUX"} for t in sentence_of(token)):
        return False  # a heading, a caption or a list of links ("2014 Bagram Airfield bombing")
    return event.key in lex.bare or (armed and event.confidence >= BARE_CONFIDENCE)


def names_arms(sentence: SpacySpan, lex: Triggers, actors: Sequence[Actor] = ()) -> bool:
    """Whether a sentence names arms or an armed actor ("troops", "bomb", or one of ``actors``
    in it of an armed sector)."""
    words = _words(sentence)
    if any(f" {w} " in words for w in lex.armed):
        return True
    return any(
        a.sector in ARMED_SECTORS and sentence.start_char <= a.start < sentence.end_char for a in actors
    )


def _patient(noun: Token) -> bool:
    """An event noun with an "of" object, who suffers it ("arrests of activists", "the killing
    of civilians"): as a subject, the noun's subtree holds its victims, not its author."""
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)


def _authors(noun: Token) -> list[Token]:
    """The words before an event noun that name its author ("the army's killing of civilians")."""
    return [c for c in noun.children if c.dep_ in {"poss", "compound", "amod"} and c.i < noun.i]


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
    located_in = [
        sentence_places(
            sentence,
            reading.places,
            frozenset(
                {c.token.i for c in candidates}
                | {e.trigger_token for e in find_triggers(sentence, rules.triggers) if e.event_type}
            ),
            rules.place_words,
        )
        for sentence, candidates in sentences
    ]
    article_places = [s.place for located in located_in for s in located]
    lede_end = next(iter(doc.sents)).end_char if len(doc) else 0
    focus = main_place(article_places, lede_end, article.title or "")
    mentions: list[EventMention] = []
    seen: set[str] = set()
    reporting = (
        (rules.cues.reporting_verbs | rules.triggers.reactions) - AUTHOR_VERBS - rules.cues.intention_verbs
    )
    for (sentence, candidates), located in zip(sentences, located_in, strict=True):
        tokens = [c.token for c in candidates]
        frame = no_conflict_frame(sentence, rules.triggers, reading.actors)
        armed = names_arms(sentence, rules.triggers, reading.actors)
        for candidate in candidates:
            token, event = candidate.token, candidate.event
            if event is not None and (event.event_type in FRAMED_TYPES or event.action_type in FRAMED_TYPES):
                instrument = _instrument_type(token, rules.triggers)
                if instrument and event.event_type in FRAMED_TYPES:
                    event = replace(event, event_type=instrument, mode=None, action_type=None)
                elif instrument:  # "threatened them with tariffs": a threat of sanctions
                    event = replace(event, action_type=instrument)
            if event is not None and _dismissal(token, rules.triggers, rules.cues.person_nouns):
                continue
            if frame and (
                event is None or event.event_type in FRAMED_TYPES or event.action_type in FRAMED_TYPES
            ):
                continue
            lo, hi = _clause(token, tokens)
            clause_start, clause_end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
            clause = text[clause_start:clause_end]
            size = find_size(clause, rules.size_words)
            actor_heads, recipient_heads = _participant_tokens(token, reporting)
            if token.lemma_.lower() in rules.triggers.undergo:  # "three soldiers died": victims
                actor_heads, recipient_heads = [], [*actor_heads, *recipient_heads]
            if token in actor_heads and _patient(token):  # "arrests of X rose": X was arrested
                actor_heads = [h for h in actor_heads if h.i != token.i] + _authors(token)
            if _circumstance(token):  # "after the explosion, the minister said": its own words only
                actor_heads = [h for h in actor_heads if token.is_ancestor(h)]
                recipient_heads = [h for h in recipient_heads if token.is_ancestor(h)]
            actors = _unique(a for h in actor_heads for a in _resolve(h, reading, lexicon, home))
            recipients = _unique(a for h in recipient_heads for a in _resolve(h, reading, lexicon, home))
            protection = find_protection(clause, size, recipients)
            concerns = bool(set(protection.kinds) & PROTECTION_ONLY_KINDS) or any(
                (size.dead, size.injured, size.displaced, size.arrested)
            )
            if event is None and not concerns:
                continue
            dyad = (
                bool(actors and recipients) and event is not None and event.confidence >= MIN_DYAD_CONFIDENCE
            )
            if (
                event is not None
                and not concerns
                and not dyad
                and not (event.confidence >= MIN_CONFIDENCE and (actors or recipients))
                and not _bare(event, token, rules.triggers, armed)
            ):
                continue
            place = event_place(
                token,
                (clause_start, clause_end),
                located,
                rules.place_words.within_preps,
                place_phrase(token, rules.place_words, article_places, focus),
            ) or (focus if event is None or event.event_type in MATERIAL_TYPES else None)
            when = date_event(
                _in(sentence.start_char, sentence.end_char, reading.dates), token.idx, reference
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
            mentions.append(
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
                    date=when.value if when else reference,
                    date_precision=when.precision if when else "week",
                    date_source="text" if when else inferred_source,
                    location=place,
                    size=size,
                    civilian_protection=protection.kinds,
                    protected_site=protection.site if "protected_site" in protection.kinds else None,
                    confidence=min(1.0, max(0.0, confidence)),
                )
            )
    return tuple(mentions)


def _home_country(reading: Reading) -> str | None:
    """The country most of the article's resolved places lie in (fills countries of bare institutions)."""
    counts: dict[str, int] = {}
    for place in reading.places:
        if place.country:
            counts[place.country] = counts.get(place.country, 0) + 1
    return max(sorted(counts), key=lambda c: counts[c]) if counts else None
