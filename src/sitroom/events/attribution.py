"""Who says what: attributions (source, cue, content) found over the dependency parse.

Stages of :func:`find_attributions`:
1. cues in each sentence: reporting verbs with their subject and complement ("X said Y",
   "Y, X said", "X rejected claims that ..."), "according to X" and "in a new poll",
   stances ("X is confident that ..."), hedge words that name no source ("reportedly");
2. headlines of the form "Name: words";
3. quotes: a content that cuts a quotation is widened to the whole quotation, and a
   quotation that follows "..., he said." in the same paragraph is added to its content;
4. speakers: pronouns and "the sources" are resolved to the earlier source a reader
   links them to, and every source gets a kind (official, witness ...); speech quoted
   inside a quotation is flagged (``in_quote``), and a belief or stance inside someone's
   reported words ("he said he thinks ...") is left to the outer claim.

:func:`sitroom.events.claims.claim_for_span` (which imports this module, never the other way)
turns them into the claim behind an event.
"""

from __future__ import annotations

__all__ = ["Attribution", "find_attributions"]

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from sitroom.events.cues import ACCORDING, CLOSING_QUOTES, OPENING_QUOTES, QUOTE_MARKS, Cues
from sitroom.events.quotes import (
    Quotations,
    adjacent_quotation,
    continuation,
    find_quotations,
    inside_quotation,
    widen_to_quotations,
)
from sitroom.events.speakers import Mention, classify_speaker, is_person_noun, resolve_mention
from sitroom.models import Span

_SUBJECTS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
# Dependencies through which a verb without a subject shares its head's subject
# ("smiled and said", "wants to say", ", saying ...").
_INHERITS_SUBJECT = frozenset({"conj", "xcomp", "advcl", "acl"})
_ADVERBIAL = frozenset({"advcl", "acl"})
# Modifiers after a reporting verb that belong to the cue ("said Monday"); "in a
# statement" joins through the medium nouns (cues.tsv).
_CUE_ADVERBIALS = frozenset({"npadvmod"})
# How many heads up a subject may be inherited from.
SUBJECT_INHERIT_DEPTH = 3
# Words before a verb that belong to its cue ("has also said", "did not deny").
_CUE_MODIFIERS = frozenset({"aux", "auxpass", "neg", "advmod", "prt"})
# Subjects that make a reporting verb something else: "That said, ...", "a rule that says".
_NOT_SOURCES = frozenset({"that", "this"})


@dataclass(frozen=True)
class Attribution:
    """One reported statement: who (source), the words that report it (cue), what (content).

    Spans are character offsets into the article text. ``source`` is the mention in this
    sentence ("they", "sources", "the ministry"), or None where only a hedge reports it
    ("reportedly"); ``speaker`` is who a reader takes that to be (pronouns resolved), with
    its offsets in ``speaker_span``. ``cue`` spans the whole reporting phrase ("has also
    said"), ``cue_word`` is its core ("said"). ``scope`` covers the sentences the
    attribution governs.
    """

    cue: Span
    cue_lemma: str
    cue_word: str
    source: Span | None
    content: tuple[Span, ...]
    scope: Span
    speaker: str | None = None
    speaker_span: Span | None = None
    speaker_type: str | None = None
    hedge: str | None = None
    direct_quote: bool = False
    depth: int = 0
    in_quote: bool = False


@dataclass
class _Draft:
    """An attribution under construction, in token indices."""

    cue: tuple[int, int]
    lemma: str
    source: tuple[int, int] | None
    content: list[tuple[int, int]]
    sentence: tuple[int, int]
    hedge: str | None = None
    subject: Token | None = None
    word: tuple[int, int] | None = None  # the cue's own words when ``cue`` has more around them


# --- 1. cues in a sentence ---------------------------------------------------------------


def _subtree_range(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Drop spaces and punctuation at the edges, keeping quotation marks that belong."""

    def loose(token: Token) -> bool:
        return token.is_space or (token.is_punct and token.text not in QUOTE_MARKS)

    while start < end and (loose(doc[start]) or doc[start].text in CLOSING_QUOTES):
        start += 1
    while end > start and (loose(doc[end - 1]) or doc[end - 1].text in OPENING_QUOTES):
        end -= 1
    return (start, end) if start < end else None


def _source_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """A source phrase without edge punctuation, but with the comma that closes an
    apposition ("Amy Pope, a White House adviser, said")."""
    breaks = [t.i for t in doc[start:end] if "\n" in t.text]
    if breaks:
        # a dateline or timestamp glued to the sentence is not part of the name
        start = breaks[-1] + 1
    trimmed = _trim(doc, start, end)
    if trimmed is None:
        return None
    start, end = trimmed
    if end < len(doc) and doc[end].text == "," and any(t.text == "," for t in doc[start:end]):
        end += 1
    return start, end


def _bare_participle(verb: Token) -> bool:
    return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _subject_of(verb: Token, cues: Cues) -> tuple[Token | None, bool]:
    """The subject of ``verb`` (inherited through conj/xcomp/advcl) and whether it is passive."""
    current = verb
    for _ in range(SUBJECT_INHERIT_DEPTH + 1):
        # the parser sometimes hangs a headline's noun on the verb too: take the nearest
        subjects = [c for c in current.children if c.dep_ in _SUBJECTS or c.dep_ in _PASSIVE_SUBJECTS]
        if subjects:
            nearest = min(subjects, key=lambda c: abs(c.i - current.i))
            # "When asked about X, Cruz said": a bare participle's borrowed subject was asked
            borrowed_by_participle = current.i != verb.i and _bare_participle(verb)
            return nearest, nearest.dep_ in _PASSIVE_SUBJECTS or borrowed_by_participle
        if current.dep_ not in _INHERITS_SUBJECT or current.head.i == current.i:
            break
        head = current.head
        if (
            current.dep_ in _ADVERBIAL
            and head.dep_ != "ROOT"
            and head.lemma_.lower() not in cues.reporting_verbs
        ):
            # ", saying ..." hangs off the main clause; deeper down it is usually misattached
            break
        current = head
    return None, False


def _agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _cue_range(verb: Token) -> tuple[int, int]:
    """The verb with the auxiliaries, negation and adverbs right before it ("has also said")."""
    start = verb.i
    left = sorted((c for c in verb.children if c.dep_ in _CUE_MODIFIERS and c.i < verb.i), key=lambda c: -c.i)
    for child in left:
        if child.i == start - 1 and child.right_edge.i == child.i:
            start = child.i
    end = verb.i + 1
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return start, end


def _extend_cue(
    doc: Doc, cue: tuple[int, int], verb: Token, taken: Sequence[tuple[int, int]], cues: Cues
) -> tuple[int, int]:
    """Take in the adverbials right after the verb ("said Monday in an interview", "said:")."""
    start, end = cue
    for child in sorted((c for c in verb.children if c.i >= end), key=lambda c: c.i):
        child_start, child_end = _subtree_range(child)
        medium = (
            child.dep_ == "prep"
            and (pobj := _pobj(child)) is not None
            and pobj.lemma_.lower() in cues.medium_nouns
        )
        if not (child.dep_ in _CUE_ADVERBIALS or medium) or child_start != end:
            break
        if any(s < child_end and child_start < e for s, e in taken):
            break
        end = child_end
    if end < len(doc) and doc[end].text == ":":
        end += 1
    return start, end


# Prepositions whose object is what a verb of saying with an object is about: "blamed the rebels
# for the attack", "accused the army of shelling the town", "criticised him over the raid".
_CHARGE_PREPS = frozenset({"for", "of", "over"})


def _objects(verb: Token) -> list[tuple[int, int]]:
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
    if not objects:
        return []
    objects += [c for c in verb.children if c.dep_ == "prep" and c.lower_ in _CHARGE_PREPS and c.i > verb.i]
    return [(min(o.left_edge.i for o in objects), max(o.right_edge.i for o in objects) + 1)]


def _content_of(verb: Token, subject: Token | None, cues: Cues) -> list[tuple[int, int]]:
    """Clausal complements, and the object or infinitive for verbs that take them as content."""
    lemma = verb.lemma_.lower()
    parts = [_subtree_range(c) for c in verb.children if c.dep_ == "ccomp"]
    if not parts and lemma in cues.intention_verbs:
        parts = [_subtree_range(c) for c in verb.children if c.dep_ == "xcomp"]
    if not parts and lemma in cues.object_content_verbs:
        parts = _objects(verb)
    documentary = subject is not None and subject.lemma_.lower() in cues.document_nouns
    if not parts and lemma in cues.evidence_verbs and documentary:
        parts = _objects(verb)
    if not parts and lemma in cues.question_verbs:
        parts = [_subtree_range(c) for c in verb.children if c.dep_ == "prep" and c.lower_ == "about"]
    return parts


def _verb_draft(verb: Token, sentence: tuple[int, int], quotes: Quotations, cues: Cues) -> _Draft | None:
    lemma = verb.lemma_.lower()
    if lemma not in cues.reporting_verbs or verb.pos_ not in ("VERB", "AUX"):
        return None
    doc = verb.doc
    if any(c.tag_ == "MD" and c.lower_ in cues.unrealised_modals for c in verb.children):
        return None
    subject, passive = _subject_of(verb, cues)
    source_token = _agent_of(verb) if passive else subject
    if source_token is not None and (passive and source_token.lower_ == "it"):
        source_token = None
    if source_token is not None and source_token.lower_ in _NOT_SOURCES:
        return None
    source = _subtree_range(source_token) if source_token is not None else None
    content = _content_of(verb, subject, cues)
    if not content and verb.dep_ == "parataxis":
        head_start, head_end = _subtree_range(verb.head)
        own_start, own_end = _subtree_range(verb)
        content = [(head_start, own_start), (own_end, head_end)]
    if not content:
        cue_start, cue_end = _cue_range(verb)
        clause = (min(cue_start, source[0]), max(cue_end, source[1])) if source else (cue_start, cue_end)
        content = adjacent_quotation(doc, clause, quotes)
    if not content and lemma in cues.needs_clause and not (passive and source_token is not None):
        return None
    if not content and source_token is None:
        return None
    if content and all(end <= verb.i for _, end in content) and content[0][0] >= sentence[0]:
        # postposed cue ("..., the sources said"): the content is all that comes before it
        content = [(sentence[0], _leftmost(verb, source))]
    trimmed = [t for t in (_trim(doc, s, e) for s, e in content) if t]
    cue = _extend_cue(doc, _cue_range(verb), verb, [*trimmed, *([source] if source else [])], cues)
    return _Draft(
        cue=cue,
        lemma=lemma,
        source=_source_range(doc, *source) if source else None,
        content=trimmed,
        sentence=sentence,
        hedge=cues.hedging_cues.get(lemma),
        subject=source_token,
        word=(verb.i, _cue_range(verb)[1]),
    )


def _leftmost(verb: Token, source: tuple[int, int] | None) -> int:
    """Where the reporting clause of a postposed cue starts ("..., the sources said")."""
    start = _cue_range(verb)[0]
    if source is not None and source[0] < start:
        start = source[0]
    return start


def _prepositional_draft(token: Token, sentence: tuple[int, int], cues: Cues) -> _Draft | None:
    """ "According to X, ..." and "In a new poll, ...": X is the source of the rest of the sentence."""
    doc = token.doc
    if token.lower_ == ACCORDING:
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            to = doc[token.i + 1]
        if to is None:
            return None
        cue, lemma, pobj = (token.i, to.i + 1), "according to", _pobj(to)
    elif (
        token.lower_ == "in"
        and token.dep_ == "prep"
        and token.head.lemma_.lower() not in cues.reporting_verbs
    ):
        pobj = _pobj(token)
        if pobj is None or pobj.lemma_.lower() not in cues.survey_nouns:
            return None
        cue, lemma = (token.i, token.i + 1), "in"
    else:
        return None
    own_end = pobj.right_edge.i + 1 if pobj is not None else cue[1]
    content = [r for r in (_trim(doc, sentence[0], token.i), _trim(doc, own_end, sentence[1])) if r]
    return _Draft(
        cue=cue,
        lemma=lemma,
        source=_source_range(doc, pobj.left_edge.i, own_end) if pobj is not None else None,
        content=content,
        sentence=sentence,
        subject=pobj,
    )


def _attitude_draft(adjective: Token, sentence: tuple[int, int], cues: Cues) -> _Draft | None:
    """ "X is confident that ...", "X was critical of Y": a stance its holder takes."""
    if adjective.dep_ != "acomp" or adjective.lemma_.lower() not in cues.attitude_adjectives:
        return None
    verb = adjective.head
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subject is None or subject.lower_ in _NOT_SOURCES:
        return None
    complements = [c for c in adjective.children if c.dep_ in ("prep", "ccomp", "xcomp")]
    if not complements:
        return None
    doc = adjective.doc
    content = [r for r in (_trim(doc, *_subtree_range(c)) for c in complements) if r]
    cue_end = adjective.i + 1
    return _Draft(
        cue=(_cue_range(verb)[0], cue_end),
        word=(adjective.i, cue_end),
        lemma=adjective.lemma_.lower(),
        source=_source_range(doc, *_subtree_range(subject)),
        content=content,
        sentence=sentence,
        subject=subject,
    )


def _pobj(preposition: Token) -> Token | None:
    return next((c for c in preposition.children if c.dep_ == "pobj"), None)


def _hedge_draft(token: Token, sentence: tuple[int, int], cues: Cues) -> _Draft | None:
    word = token.lower_
    hedge = cues.hedge_adverbs.get(word)
    if hedge is not None:
        clause = token.head
    elif token.lemma_.lower() in cues.hedge_nouns and token.pos_ == "NOUN":
        clauses = [c for c in token.children if c.dep_ in ("acl", "ccomp", "relcl") and _has_mark(c, "that")]
        if not clauses:
            return None
        hedge, clause = cues.hedge_nouns[token.lemma_.lower()], clauses[0]
    elif word in cues.hedge_adjectives and token.dep_ == "amod":
        hedge, clause = cues.hedge_adjectives[word], token.head
    else:
        return None
    start, end = _subtree_range(clause)
    parts = [(start, token.i), (token.i + 1, end)] if start <= token.i < end else [(start, end)]
    content = [r for r in (_trim(token.doc, s, e) for s, e in parts) if r]
    return _Draft(
        cue=(token.i, token.i + 1), lemma=word, source=None, content=content, sentence=sentence, hedge=hedge
    )


def _has_mark(token: Token, word: str) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == word for c in token.children)


def _sentence_drafts(doc: Doc, quotes: Quotations, cues: Cues) -> list[_Draft]:
    drafts = []
    for sent in doc.sents:
        bounds = (sent.start, sent.end)
        for token in sent:
            draft = (
                _verb_draft(token, bounds, quotes, cues)
                or _prepositional_draft(token, bounds, cues)
                or _attitude_draft(token, bounds, cues)
                or _hedge_draft(token, bounds, cues)
            )
            if draft is not None:
                drafts.append(draft)
    return drafts


# --- 2. headlines ------------------------------------------------------------------------

# Longest name, in tokens, before the colon of a "Name: words" headline.
MAX_HEADLINE_SOURCE_TOKENS = 5


def _starts_line(doc: Doc, index: int) -> bool:
    return index == 0 or "\n" in doc[index - 1].text or "\n" in doc[index - 1].whitespace_


def _is_speaker_label(name: DocSpan) -> bool:
    """A short name before a colon: "CLINTON", "Q", "Marco Rubio", "Poll" -- no verb, no number."""
    return 0 < len(name) <= MAX_HEADLINE_SOURCE_TOKENS and all(
        (t.pos_ == "PROPN" or t.is_upper or t.is_punct) and not t.like_num for t in name
    )


def _headline_drafts(doc: Doc) -> list[_Draft]:
    """ "Marco Rubio: I'm Not Interested", "Q: ..." -- a label starting a line, a colon, then
    what the labelled speaker says."""
    drafts = []
    for sent in doc.sents:
        if not _starts_line(doc, sent.start):
            continue
        colon = next((t for t in sent if t.text == ":"), None)
        if colon is None or not _is_speaker_label(doc[sent.start : colon.i]):
            continue
        line_end = colon.i + 1
        while (
            line_end < len(doc)
            and "\n" not in doc[line_end].text
            and "\n" not in doc[line_end - 1].whitespace_
        ):
            line_end += 1
        content = _trim(doc, colon.i + 1, min(line_end, len(doc)))
        if content is None:
            continue
        drafts.append(
            _Draft(
                cue=(colon.i, colon.i + 1),
                lemma=":",
                source=(sent.start, colon.i),
                content=[content],
                sentence=(sent.start, content[1]),
            )
        )
    return drafts


# --- 3. quotations -----------------------------------------------------------------------


def _attach_quotations(doc: Doc, drafts: Sequence[_Draft], quotations: Quotations) -> None:
    cue_tokens = {i for d in drafts for i in range(*d.cue)}
    for draft in drafts:
        draft.content = widen_to_quotations(draft.content, draft.cue, quotations)
    for draft in drafts:
        if draft.content and doc[draft.content[0][0]].text in QUOTE_MARKS:
            more = continuation(doc, draft.sentence[1], quotations, cue_tokens)
            if more is not None:
                draft.content.append(more)


# --- 4. speakers -------------------------------------------------------------------------


def _mention(doc: Doc, source: tuple[int, int], subject: Token | None, cues: Cues) -> Mention:
    head = subject if subject is not None else doc[source[1] - 1]
    if head.tag_ in ("WP", "WDT") and head.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS:
        # "Trump, who said ..." -- the relative pronoun stands for the noun it modifies
        relative_clause = head.head
        if relative_clause.dep_ == "relcl":
            head = relative_clause.head
            source = (head.left_edge.i, relative_clause.left_edge.i)
    span = doc[source[0] : source[1]]
    text = span.text.strip(" ,")
    plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in ("they", "we")
    person = (
        head.ent_type_ == "PERSON"
        or head.lower_ in ("he", "she", "i")
        or (head.tag_ == "NN" and is_person_noun(head.lemma_.lower(), cues.person_nouns))
    )
    return Mention(
        text=text,
        head_lemma=head.lemma_.lower(),
        plural=plural,
        person=person,
        start=span.start_char,
        end=span.start_char + len(text),
    )


def _char_span(doc: Doc, start: int, end: int) -> Span:
    span = doc[start:end]
    return Span(span.start_char, span.end_char, span.text)


def _depth(draft: _Draft, drafts: Sequence[_Draft]) -> int:
    cue_start, cue_end = draft.cue
    return sum(
        1
        for other in drafts
        if other is not draft and any(s <= cue_start and cue_end <= e for s, e in other.content)
    )


def _finish(doc: Doc, drafts: Sequence[_Draft], quotes: Quotations, cues: Cues) -> tuple[Attribution, ...]:
    earlier: list[Mention] = []
    found = []
    for draft in sorted(drafts, key=lambda d: d.cue):
        depth = _depth(draft, drafts)
        if depth and draft.lemma in cues.part_of_outer_claim:
            # "he said he thinks ...": the belief is part of what the outer speaker says
            continue
        speaker: Mention | None = None
        if draft.source is not None:
            mention = _mention(doc, draft.source, draft.subject, cues)
            speaker = resolve_mention(mention, earlier)
            earlier.append(mention if speaker is mention else speaker)
        content = tuple(_char_span(doc, s, e) for s, e in draft.content)
        scope_start = min([draft.sentence[0], *(s for s, _ in draft.content)])
        scope_end = max([draft.sentence[1], *(e for _, e in draft.content)])
        found.append(
            Attribution(
                cue=_char_span(doc, *draft.cue),
                cue_lemma=draft.lemma,
                cue_word=doc[slice(*(draft.word or draft.cue))].text,
                source=_char_span(doc, *draft.source) if draft.source else None,
                content=content,
                scope=_char_span(doc, scope_start, scope_end),
                speaker=speaker.text if speaker else None,
                speaker_span=Span(speaker.start, speaker.end, speaker.text) if speaker else None,
                speaker_type=classify_speaker(speaker.text, cues.speaker_kinds) if speaker else None,
                hedge=draft.hedge,
                direct_quote=any(doc[s].text in QUOTE_MARKS for s, _ in draft.content),
                depth=depth,
                in_quote=inside_quotation(draft.cue, quotes),
            )
        )
    return tuple(found)


def find_attributions(doc: Doc, cues: Cues) -> tuple[Attribution, ...]:
    """Every attribution in a parsed article, in text order (see the module docstring), by the
    cue words of ``cues`` (:attr:`sitroom.rules.Rules.cues`)."""
    quotes = find_quotations(doc)
    drafts = _sentence_drafts(doc, quotes, cues) + _headline_drafts(doc)
    _attach_quotations(doc, drafts, quotes)
    return _finish(doc, drafts, quotes, cues)
