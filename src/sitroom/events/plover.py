"""PLOVER event type and mode of what a source does to a target in one parsed sentence.

Rules over the dependency parse, no model of their own: the predicate that links the source
to the target is read off the shortest dependency path between them (verb lemma, particle or
preposition, the object noun of a light verb such as "held talks" or "launched an operation"),
looked up in the hand-written trigger lexicon (:mod:`sitroom.events.verbs`), and adjusted for what
governs it:

1. control verbs decide the type of what they govern ("refused to meet" is REJECT,
   "urged ... to withdraw" is REQUEST);
2. an intent to act ("will provide", "plans to attack") is PLOVER's AGREE for cooperation
   and THREATEN for force; "must"/"should" said of the target is REQUEST;
3. a negated cooperative act ("will not accept") is REJECT; a negated use of force keeps its
   type and is flagged ``negated``.

:func:`find_triggers` gives the event stage one candidate per real action in a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from sitroom.events.verbs import Entry, Lexicon

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})
FORCEFUL = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"})
CONFLICTUAL = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", *FORCEFUL})
# Types of force: the acts with victims and targets, whose nouns name their author ("a U.S.
# strike") and whose attempt is itself the act (an attempted attack or arrest happened).
FORCE_TYPES = frozenset({"ASSAULT", "COERCE"})
# Types of material acts: they happen somewhere (without a place of their own, where the article
# is set), and told in a participle clause they are a happening of their own; statements, talks
# and demands are not.
MATERIAL_TYPES = frozenset({*FORCE_TYPES, "MOBILIZE", "RETREAT", "AID"})
# Types of acts that happen in a place: without a place of their own, they are where the
# article is set (a demonstration as well as the material acts; a statement, talks or a demand
# may be reported from anywhere).
PLACED_TYPES = frozenset({*MATERIAL_TYPES, "PROTEST"})
DENIAL_CUES = frozenset({"deny", "reject", "dismiss", "refute", "dispute"})
FUTURE_AUX = frozenset({"will", "would", "'ll", "shall"})
OBLIGATION_AUX = frozenset({"must", "should", "ought"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
GOVERNED_DEPS = frozenset({"xcomp", "ccomp", "advcl", "acomp", "pcomp", "acl"})
OBJECT_DEPS = frozenset({"dobj", "attr", "nsubjpass", "oprd", "pobj", "npadvmod", "obj"})
NOUN_PARTS = frozenset({"compound", "amod", "nmod"})
PHRASE_DEPS = frozenset({"prt", "prep", "dobj", "acomp", "advmod", "oprd"})
# Prepositions of time and circumstance: their object is when or why a light verb's act took
# place, never the act ("sent instructions after the explosion" is no attack by the sender).
CIRCUMSTANCE_PREPS = frozenset(
    {"after", "before", "during", "since", "until", "following", "despite", "amid"}
)

# Each step further from the top of the dyad's path lowers a reading's score: the governing
# predicate usually carries the event ("accused Y of attacking Z" is ACCUSE). Calibrated on
# the events-plover dev split (0.8-0.95 all within one point of macro F1).
DEPTH_DECAY = 0.9
# Undoing an event ("lifted sanctions") is as sure as a plain verb entry.
UNDO_WEIGHT = 1.0
# A weak predicate ("called X", "sent experts") yields to a purpose clause it governs
# ("... to congratulate him"), whose reading counts this much.
PURPOSE_FACTOR = 0.85
# With one side of the dyad unknown, the act is looked for this many dependency steps below
# the predicate ("played a role in efforts to pursue dialogue": 5).
BELOW_DEPTH = 6
BELOW_DEPS = frozenset({"dobj", "prep", "pobj", "xcomp", "acl", "attr", "ccomp", "conj", "advcl", "pcomp"})
# A reading found off the dyad's path (anywhere in the sentence) counts this much.
OFF_PATH_FACTOR = 0.5
# An event noun standing alone ("the fighting", "talks") is a trigger from this weight on.
NOUN_TRIGGER_WEIGHT = 0.8
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
# Readings below this weight are not events on their own ("work", "call").
MIN_WEIGHT = 0.3


@dataclass(frozen=True)
class EventType:
    """The PLOVER reading of one predicate.

    ``trigger`` holds character offsets into the parsed document's text. ``action_type`` is
    the type of the underlying act when the sentence only expresses intent, a refusal or a
    demand ("threatened to attack": event_type THREATEN, action_type ASSAULT).
    """

    event_type: str | None
    mode: str | None = None
    context: tuple[str, ...] = ()
    trigger: tuple[int, int] | None = None
    trigger_text: str = ""
    confidence: float = 0.0
    negated: bool = False
    denied: bool = False
    intended: bool = False
    action_type: str | None = None
    trigger_token: int = -1
    key: str = ""  # the lexicon entry read ("bombing", "go off")


NO_EVENT = EventType(event_type=None)


@dataclass(frozen=True)
class _Reading:
    token: Token
    entry: Entry
    tokens: tuple[Token, ...]


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def _noun_reading(noun: Token, lex: Lexicon) -> _Reading | None:
    """An event noun, its compound ("hunger strike", "mediation effort") or its "of" object."""
    lemma = _lemma(noun)
    if noun.i >= 2 and noun.nbor(-1).text == "-":
        hyphenated = lex.nouns.get(f"{noun.nbor(-2).lower_}-{lemma}")
        if hyphenated:  # "cease-fire" is three tokens
            return _Reading(noun, hyphenated, (noun.nbor(-2), noun))
    for child in noun.children:
        if child.dep_ in NOUN_PARTS:
            phrase = lex.nouns.get(f"{_lemma(child)} {lemma}")
            if phrase:
                return _Reading(noun, phrase, (child, noun))
    entry = lex.nouns.get(lemma) or lex.adjs.get(lemma)
    if entry:
        return _Reading(noun, entry, (noun,))
    for child in noun.children:
        if child.dep_ in NOUN_PARTS and child.pos_ in ("NOUN", "PROPN", "ADJ"):
            part = lex.nouns.get(_lemma(child))
            if part and part.weight >= 0.8:
                return _Reading(noun, part, (child, noun))
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                inner = lex.nouns.get(_lemma(grand))
                if grand.dep_ == "pobj" and inner:
                    return _Reading(noun, inner, (noun, grand))
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            inner = lex.verbs.get(_lemma(child))
            if inner and child.i > noun.i:
                return _Reading(noun, inner, (noun, child))
    return None


def _objects(verb: Token) -> Iterator[Token]:
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS and child.pos_ in ("NOUN", "PROPN", "ADJ"):
            yield child
        elif child.dep_ == "prep" and child.lower_ not in CIRCUMSTANCE_PREPS:
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.pos_ == "NOUN":
                    yield grand
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
        yield verb.head  # "talks held in Doha"


def _undo_reading(verb: Token, key: str, lex: Lexicon) -> _Reading | None:
    """ "lifted sanctions", "accepted the demands", "suspended aid", "violated the ceasefire"."""
    undo = lex.undo.get(key)
    if undo is None:
        return None
    for noun in _objects(verb):
        reading = _noun_reading(noun, lex)
        if reading is None or (reading.token.dep_ == "pobj" and reading.token.head.lower_ != "of"):
            continue
        undone = reading.entry.event_type
        if undone == "REQUEST":
            kind: str | None = "CONCEDE"
        elif undone in CONFLICTUAL:
            kind = "RETREAT"
        else:
            kind = undo.event_type
        if kind:
            entry = Entry(key=f"{key} {reading.entry.key}", event_type=kind, mode=None, weight=UNDO_WEIGHT)
            return _Reading(verb, entry, (verb, *reading.tokens))
    return None


def _verb_reading(verb: Token, lex: Lexicon) -> _Reading | None:
    lemma = _lemma(verb)
    prt = next((c for c in verb.children if c.dep_ == "prt"), None)
    undone = _undo_reading(verb, f"{lemma} {prt.lower_}" if prt is not None else lemma, lex)
    if undone:
        return undone
    for child in verb.children:
        if child.dep_ in PHRASE_DEPS and child.i > verb.i:
            key = f"{lemma} {_lemma(child) if child.dep_ == 'dobj' else child.lower_}"
            entry = lex.verbs.get(key) or lex.light.get(key)
            if entry and entry.event_type:
                return _Reading(verb, entry, (verb, child))
            if key in lex.light:
                lemma = key
    if lemma in lex.light or lemma.split(" ")[0] in lex.light:
        for noun in _objects(verb):
            reading = _noun_reading(noun, lex)
            if reading:
                return _Reading(verb, reading.entry, (verb, *reading.tokens))
        light = lex.light.get(lemma) or lex.light.get(lemma.split(" ")[0])
        if light and light.event_type:
            return _Reading(verb, light, (verb,))
    entry = lex.verbs.get(lemma) or lex.verbs.get(_lemma(verb))
    return _Reading(verb, entry, (verb,)) if entry else None


def read_predicate(token: Token, lex: Lexicon) -> _Reading | None:
    """The lexicon's reading of ``token`` as an event predicate, or None."""
    # a participle tagged as an adjective ("wounded", lemma "wound") reads as its verb; an
    # adjective that is its own lemma is none ("a shop close to the bakery")
    participle = token.pos_ == "ADJ" and _lemma(token) in lex.verbs and token.lower_ != _lemma(token)
    if token.pos_ in ("VERB", "AUX") or participle:
        if _lemma(token) in lex.say:
            return None
        return _verb_reading(token, lex)
    if token.pos_ in ("NOUN", "PROPN"):
        return _noun_reading(token, lex)
    if token.pos_ == "ADJ":
        entry = lex.adjs.get(_lemma(token))
        return _Reading(token, entry, (token,)) if entry else None
    return None


def _root_of(doc: Doc, span: tuple[int, int] | None) -> Token | None:
    if span is None:
        return None
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return chars.root if chars is not None and len(chars) else None


def _chain(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _path(source: Token | None, target: Token | None, sentence_root: Token) -> list[Token]:
    """Tokens from the top of the dyad's dependency path down to the target, then the source."""
    if source is None and target is None:
        return [sentence_root]
    if source is None or target is None:
        known: Token = source or target  # type: ignore[assignment]
        upward = list(reversed(_chain(known)))
        return upward + _below(upward[0], {t.i for t in known.subtree})
    up_source, up_target = _chain(source), _chain(target)
    on_target = {t.i for t in up_target}
    top = next((t for t in up_source if t.i in on_target), up_source[-1])
    down_target = list(reversed(up_target[: [t.i for t in up_target].index(top.i)]))
    down_source = list(reversed(up_source[: [t.i for t in up_source].index(top.i)]))
    return [top, *down_target, *down_source]


def _below(top: Token, skip: set[int]) -> list[Token]:
    """The predicate's own complements, breadth first: where the act lies when one side is unknown."""
    found: list[Token] = []
    frontier = [top]
    for _ in range(BELOW_DEPTH):
        frontier = [c for t in frontier for c in t.children if c.dep_ in BELOW_DEPS and c.i not in skip]
        found.extend(frontier)
    return found


def _governed(token: Token) -> Iterator[Token]:
    for child in token.children:
        if child.dep_ in GOVERNED_DEPS:
            yield child
        elif child.dep_ == "prep":
            yield from (g for g in child.children if g.dep_ == "pcomp")


def _is_negated(token: Token) -> bool:
    return any(
        child.dep_ == "neg" or child.lower_ in NEGATIONS for child in token.children if child.i < token.i
    )


def _auxes(token: Token) -> set[str]:
    return {child.lower_ for child in token.children if child.dep_ in ("aux", "auxpass")}


def _intent(reading: _Reading, lex: Lexicon) -> bool:
    """Future or planned: "will provide", "is willing to meet", "plans to attack"."""
    token = reading.token
    if _auxes(token) & FUTURE_AUX:
        return True
    head = token.head
    if (
        token.dep_ == "xcomp"
        and _lemma(head) in lex.control
        and lex.control[_lemma(head)].event_type == "AGREE"
    ):
        return True
    return any(
        child.dep_ == "xcomp" and _lemma(child) in ("go",) and child.i < token.i for child in head.children
    )


def _combine(control: Entry, inner: _Reading | None) -> tuple[str, str | None]:
    """The type of "control verb + governed act", and the type of the act itself."""
    act = inner.entry.event_type if inner else None
    kind = control.event_type or ""
    if kind == "AGREE" and act in FORCEFUL:
        return "THREATEN", act
    if kind == "AGREE" and act in ("REJECT", "ACCUSE", "REQUEST", "THREATEN", "PROTEST"):
        return act or kind, act
    return kind, act


def _mode_and_context(
    tokens: Iterable[Token], event_type: str | None, lex: Lexicon
) -> tuple[str | None, tuple[str, ...]]:
    mode: str | None = None
    contexts: list[str] = []
    for token in tokens:
        lemma = _lemma(token)
        cue = lex.modes.get(lemma) or lex.modes.get(token.lower_)
        if mode is None and cue and cue[0] == event_type:
            mode = cue[1]
        context = lex.contexts.get(lemma)
        if context and context not in contexts:
            contexts.append(context)
    return mode, tuple(contexts)


def _purpose(token: Token, lex: Lexicon) -> _Reading | None:
    """The act of a purpose clause: "called X to congratulate him", "sent experts to investigate"."""
    for child in token.children:
        clause = child.dep_ in ("xcomp", "advcl") and child.pos_ == "VERB" and child.i > token.i
        if clause and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
            reading = read_predicate(child, lex)
            if reading and reading.entry.event_type:
                return reading
    return None


def _scored(path: list[Token], lex: Lexicon) -> list[tuple[float, int, _Reading]]:
    scored = []
    for depth, token in enumerate(path):
        reading = read_predicate(token, lex)
        if reading and reading.entry.event_type and reading.entry.weight >= MIN_WEIGHT:
            scored.append((reading.entry.weight * DEPTH_DECAY**depth, depth, reading))
        if reading is None or reading.entry.weight < PURPOSE_FACTOR:
            purpose = _purpose(token, lex) if token.pos_ == "VERB" else None
            if purpose is not None:
                scored.append((purpose.entry.weight * PURPOSE_FACTOR * DEPTH_DECAY**depth, depth, purpose))
    return scored


def _control_on_path(path: list[Token], lex: Lexicon) -> tuple[Entry, Token, _Reading | None] | None:
    """A control verb on the path that governs a predicate also on the path (or any predicate)."""
    on_path = {t.i for t in path}
    for token in path:
        control = lex.control.get(_lemma(token))
        if control is None or token.pos_ not in ("VERB", "ADJ", "AUX"):
            continue
        governed = list(_governed(token))
        if not governed:
            continue
        ordered = sorted(governed, key=lambda t: t.i not in on_path)
        for child in ordered:
            inner = read_predicate(child, lex)
            if inner or child.i in on_path:
                return control, token, inner
    return None


def _evaluate(reading: _Reading, doc: Doc, lex: Lexicon, confidence: float) -> EventType:
    """Apply intent, obligation and negation to a predicate reading."""
    entry, token = reading.entry, reading.token
    event_type = entry.event_type
    action = event_type
    negated = _is_negated(token) or any(_is_negated(t) for t in reading.tokens[1:] if t.pos_ == "VERB")
    intended = _intent(reading, lex)
    if _auxes(token) & OBLIGATION_AUX and event_type not in ("REQUEST", "ACCUSE"):
        event_type = "REQUEST"
    elif intended and event_type in COOPERATIVE:
        event_type = "AGREE"
    elif intended and event_type in FORCEFUL:
        event_type = "THREATEN"
    if negated and event_type in COOPERATIVE:
        event_type = "REJECT"
    return _finish(reading, doc, lex, event_type, action, confidence, negated=negated, intended=intended)


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token``, found from its neighbours (``Token.sent`` walks every
    sentence of the document, which is quadratic over an article)."""
    doc = token.doc
    start = token.i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = token.i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def _finish(
    reading: _Reading,
    doc: Doc,
    lex: Lexicon,
    event_type: str | None,
    action: str | None,
    confidence: float,
    **flags: bool,
) -> EventType:
    start = min(t.idx for t in reading.tokens)
    end = max(t.idx + len(t.text) for t in reading.tokens)
    sentence = sentence_of(reading.token) if doc.has_annotation("SENT_START") else doc[:]
    mode_type = action if action in FORCEFUL or action in ("RETREAT",) else event_type
    mode = reading.entry.mode if reading.entry.event_type == mode_type else None
    cue_mode, context = _mode_and_context(sentence, mode_type, lex)
    return EventType(
        event_type=event_type,
        mode=mode or cue_mode,
        context=context,
        trigger=(start, end),
        trigger_text=doc[min(t.i for t in reading.tokens) : max(t.i for t in reading.tokens) + 1].text,
        confidence=round(min(1.0, confidence), 3),
        action_type=action,
        trigger_token=reading.token.i,
        key=reading.entry.key,
        **flags,
    )


def _classify_path(path: list[Token], doc: Doc, lex: Lexicon, factor: float) -> EventType | None:
    control = _control_on_path(path, lex)
    if control is not None:
        entry, token, inner = control
        event_type, action = _combine(entry, inner)
        if entry.event_type == "REJECT" or not (inner and inner.entry.event_type in ("AGREE",)):
            reading = _Reading(token, entry, (token,))
            denied = _lemma(token) in DENIAL_CUES
            negated = _is_negated(token)
            if negated and event_type == "REJECT" and action:
                event_type = action  # "did not refuse to meet"
            return _finish(
                reading,
                doc,
                lex,
                event_type,
                action,
                entry.weight * factor,
                denied=denied,
                negated=negated,
                intended=entry.event_type == "AGREE",
            )
    scored = _scored(path, lex)
    if not scored:
        return None
    score, _, reading = max(scored, key=lambda s: (s[0], -s[1]))
    result = _evaluate(reading, doc, lex, score * factor)
    if reading.entry.event_type == "REJECT" and _lemma(reading.token) in DENIAL_CUES:
        result = replace(result, denied=True)
    return result


def classify_event(
    doc_or_sentence: Doc | Span,
    source: tuple[int, int] | None,
    target: tuple[int, int] | None,
    lex: Lexicon,
) -> EventType:
    """The PLOVER type and mode of what ``source`` does to ``target`` in a parsed sentence.

    ``source`` and ``target`` are character offsets into the parsed document's text (either
    may be None). Falls back to the strongest trigger anywhere in the sentence, with lower
    confidence, and returns an EventType with ``event_type=None`` when nothing names an event.
    ``lex`` is the trigger lexicon (:attr:`sitroom.rules.Rules.triggers`).
    """
    doc = doc_or_sentence.doc if isinstance(doc_or_sentence, Span) else doc_or_sentence
    sentence = doc_or_sentence if isinstance(doc_or_sentence, Span) else doc[:]
    source_token, target_token = _root_of(doc, source), _root_of(doc, target)
    path = _path(source_token, target_token, sentence.root)
    result = _classify_path(path, doc, lex, 1.0)
    if result is not None:
        return result
    roots = [t for t in sentence if t.dep_ == "ROOT" or t.head.i == t.i] or [sentence.root]
    result = _classify_path(roots, doc, lex, OFF_PATH_FACTOR)
    if result is not None:
        return result
    anywhere = _scored(list(sentence), lex)
    if anywhere:
        reading = max(anywhere, key=lambda s: (s[0] / DEPTH_DECAY ** s[1], -s[1]))[2]
        return _evaluate(reading, doc, lex, reading.entry.weight * OFF_PATH_FACTOR)
    return NO_EVENT


def _read_by_head(noun: Token, lex: Lexicon) -> bool:
    """Whether the noun's verb reads it as its event ("negotiations were held")."""
    if noun.head.i == noun.i or noun.head.pos_ != "VERB":
        return False
    reading = read_predicate(noun.head, lex)
    return reading is not None and noun in reading.tokens


def find_triggers(sentence: Doc | Span, lex: Lexicon) -> tuple[EventType, ...]:
    """Candidate event predicates of a sentence, one per action, in text order.

    A light verb and its event noun ("launched an operation"), or a control verb and the act
    it governs ("refused to withdraw"), make one candidate; reporting verbs make none.
    """
    doc = sentence.doc if isinstance(sentence, Span) else sentence
    covered: set[int] = set()
    found: list[EventType] = []
    for token in sentence:
        if token.i in covered or token.pos_ == "PROPN" or token.dep_ in MODIFIER_DEPS:
            continue
        if token.pos_ == "NOUN" and _read_by_head(token, lex):
            continue
        path = [token]
        control = lex.control.get(_lemma(token))
        if control is not None and token.pos_ in ("VERB", "ADJ"):
            path.extend(_governed(token))
        result = _classify_path(path, doc, lex, 1.0) if read_predicate(token, lex) or len(path) > 1 else None
        if result is None or result.event_type is None:
            continue
        if token.pos_ == "NOUN" and result.confidence < NOUN_TRIGGER_WEIGHT:
            continue
        reading = read_predicate(token, lex)
        covered.update(t.i for t in (reading.tokens if reading else ()))
        covered.update(t.i for t in path)
        found.append(result)
    return tuple(found)
