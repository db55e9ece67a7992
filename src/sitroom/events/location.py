"""An event's place: the one its own clause names, else its sentence's, else the article's town.

Used by :func:`sitroom.events.extract.extract_events`, per sentence then per trigger:

1. :func:`sentence_places`: the sentence's places that may locate an act, each with the
   predicate it attaches to in the parse; a place that qualifies a noun which is no place
   ("a U.S. strike", "Syria's army"; a town before an act is its place, "the Mombasa
   bombing"), speaks or acts ("Washington said", "Turkey shelled") or qualifies a town
   ("Warsaw, Indiana": Indiana) is left out; one that says where a participant is or comes
   from ("a man from X", "police in X were searching") is kept for the focus only;
2. :func:`main_place`: the article's focus, its most-named town when its dateline or first
   sentence names it;
3. per act, :func:`locate_event`: :func:`place_phrase`, a place the predicate names by a
   common noun ("killed in the town", "in the province": the last town or province named
   before; "at a checkpoint": the article's town), else :func:`unknown_place`, a name there
   the gazetteer lacks; :func:`event_place`, the finest place attached to the predicate, else
   that phrase, else the finest in its clause, else the nearest in its sentence, never one of
   another act that does not share its place ("protested in X against the fighting in Y" is
   in X); for an act that happens in a place (a material act, a demonstration) its sentence
   does not place, the focus (``source`` "focus:...", :func:`focus_place`: not beside an act
   abroad; the caller gives none for an act its text dates before the report's week); and
   :func:`event_site`, the site the clause names ("stormed a police station", "the bombing of
   the city", "the blast was at a bus station", "the station, where six were killed", "on a
   busy street"), kept in the place's ``site``. A person's name is no place
   (:func:`person_names`).

The words these steps read (place nouns, prepositions) are ``data/place_words.tsv``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitroom.models import Place, Site
from sitroom.read.places import PlaceWords

# Dependencies by which a place qualifies a noun ("a U.S. strike", "Syria's army"), and the
# entity labels of a head noun that is itself a place ("Idlib province" has a place noun head).
PLACE_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})
PLACE_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
TIME_ENTITY_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})
# The entity labels (none: "") of a name after "in"/"near" that may be a place the gazetteer
# lacks; spaCy's model tags many such names as persons.
NAME_ENTITY_LABELS = frozenset({"", "GPE", "LOC", "FAC", "PERSON"})
# The dependencies of a place noun an act strikes or takes ("shelled a school", "a market was
# bombed"): the site it happened at. After a site's noun, the dependencies that still name it
# ("the avenue Rue X").
TARGET_DEPS = frozenset({"dobj", "nsubjpass"})
SITE_RIGHT_DEPS = frozenset({"appos", "compound"})
# Precisions of a place that is no government: a site or a part of a town.
SITE_PRECISIONS = frozenset({"site", "neighbourhood"})
# Precisions of the article's focus: the town (or finer) most named.
LOCAL_PRECISIONS = frozenset({"site", "neighbourhood", "city"})
# The places a town noun ("the town") or an area noun ("the province") may stand for.
_TOWN_PRECISIONS = frozenset({"city", "neighbourhood"})
_AREA_PRECISIONS = frozenset({"admin1", "admin2", "region"})

# Above this, a number beside a name is no person's age.
MAX_AGE = 120

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
    return min(resolved, key=lambda p: (_rank(p), p.start))


def _rank(place: Place) -> int:
    """How coarse ``place`` is (:data:`PRECISION_RANK`; no precision counts as a country's)."""
    return PRECISION_RANK.get(place.precision or "country", 9)


def nearest(offset: int, places: Sequence[Place]) -> Place | None:
    """The resolved place nearest ``offset`` (else the nearest of all)."""
    resolved = [p for p in places if p.resolved] or list(places)
    return min(resolved, key=lambda p: (abs(p.start - offset), p.start)) if resolved else None


def _place_root(place: Place, doc: Doc) -> Token | None:
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _modifier(root: Token, place: Place, place_nouns: frozenset[str], triggers: frozenset[int]) -> bool:
    """A place that qualifies a noun which is no place ("a U.S. strike", "Syria's army", "the
    Damascus government"): it says whose or which, not where. A town or province before an act
    ("the Manchester bombing", "the Idlib shelling") is where it happened: a country there is
    its author's nationality."""
    head = root.head
    return (
        root.dep_ in PLACE_MODIFIER_DEPS
        and head.i != root.i
        and head.lower_ not in place_nouns
        and head.ent_type_ not in PLACE_ENTITY_LABELS
        and not (head.i in triggers and place.precision not in {None, "country"})
    )


def _of_participant(root: Token, place_nouns: frozenset[str], triggers: frozenset[int]) -> bool:
    """A place in a phrase that qualifies a person, group or thing rather than an act, a place
    or a date ("police in Lyon were searching", "a man from Kabul", "the links in Florida"):
    where they are or come from, not where an act happened ("an attack on a checkpoint in X"
    is the attack's). Read only for a place no act owns (:func:`_owner`): "police in Lyon
    arrested him" places the arrest."""
    current = root
    while current.dep_ in {"pobj", "conj", "appos"}:
        above = current.head.head if current.dep_ == "pobj" else current.head
        if above.i == current.i or current.head.i == current.i:
            return False
        if (
            above.i in triggers
            or above.pos_ not in {"NOUN", "PROPN"}
            or above.ent_type_ in TIME_ENTITY_LABELS
        ):
            return False
        if above.lemma_.lower() not in place_nouns and above.ent_type_ not in PLACE_ENTITY_LABELS:
            return True
        current = above
    return False


def _origin(root: Token) -> bool:
    """A place someone comes from ("a man from Kabul was wounded", "troops from Turkey"): not
    where the act happened, whatever act it is under ("fled from X" names a verb's, and stays)."""
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ == "from" and prep.head.pos_ in {"NOUN", "PROPN"}


def _subject(root: Token, place: Place, triggers: frozenset[int]) -> bool:
    """A place that is the subject of a verb ("Washington said", "Turkey shelled the town"): a
    government speaking or acting, not where anything happened (a passive subject is: "Aleppo
    was shelled"). A site that an act befalls is where it happened ("the Bab al-Hawa crossing
    reopened"): the subject of an act done to nothing, not of a statement ("the hospital said")
    nor of an act done by the institution it stands for ("the Pentagon rejected the claims")."""
    while root.dep_ == "conj" and root.head.i != root.i:  # "Iran, Russia and Syria pressed ..."
        root = root.head
    verb = root.head
    if (
        place.precision in SITE_PRECISIONS
        and verb.i in triggers
        and not any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children)
    ):
        return False
    return root.dep_ == "nsubj"


def _qualifier(root: Token, places: Sequence[Place]) -> bool:
    """The state or country after a town ("Warsaw, Indiana"; "..., Madrid, Spain": Spain too),
    when that town is resolved by its own name: the town is the finer place. After a street
    or site the gazetteer lacks ("in Calle del Correo, Madrid, Spain"), the town is where."""
    if root.dep_ == "conj" and root.head.dep_ == "appos":
        root = root.head
    head = root.head
    return root.dep_ == "appos" and any(
        p.start <= head.idx < p.end and p.resolved and not p.source.startswith("focus:") for p in places
    )


def _owner(root: Token, triggers: frozenset[int], within: frozenset[str]) -> int | None:
    """The first predicate above a place in the parse: the act whose place it names. An act
    named after one of the ``within`` prepositions is part of the act above it and passes its
    place on ("killed in a bombing in X": X is the killing's too)."""
    current = root
    while current.head.i != current.i:
        if current.dep_ == "conj" and current.pos_ in {"VERB", "AUX"} and _has_subject(current):
            return None  # "X was killed ... and Y was found in Z": Z is the other clause's
        current = current.head
        if current.i in triggers and not (current.dep_ == "pobj" and current.head.lower_ in within):
            return current.i
    return None


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def _verb(root: Token) -> int | None:
    """The verb of the clause a place stands in (None: no verb above it)."""
    current = root
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in {"VERB", "AUX"}:
            return current.i
    return None


def _aged(root: Token) -> bool:
    """A name with a person's age: "20-year-old X", "X, 45, was arrested"."""
    return any(t.lower_ == "old" or t.lower_.endswith("-old") for t in root.lefts) or any(
        c.dep_ in {"appos", "amod", "npadvmod"} and c.like_num and c.text.isdigit() and int(c.text) < MAX_AGE
        for c in root.rights
    )


def _of_person(root: Token) -> bool:
    """A name set beside a person's relation ("X, wife of the writer Y"): an apposition that is
    no place and holds a person's name."""
    return any(
        c.dep_ == "appos"
        and c.pos_ == "NOUN"
        and c.ent_type_ not in PLACE_ENTITY_LABELS
        and any(t.ent_type_ == "PERSON" for t in c.subtree)
        for c in root.rights
    )


def person_names(doc: Doc, places: Sequence[Place]) -> frozenset[str]:
    """The names that stand for a person in the article: the surnames of its persons ("Ana
    Ruiz" makes "Ruiz" one), and the places read as names of persons by a given name before
    them ("Peter X"), their age or their apposition (:func:`_aged`, :func:`_of_person`); a
    town or province of that name elsewhere in the article is that person (a country is kept:
    a person is rarely named like one)."""
    names = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    for place in places:
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        after_name = span.start > 0 and doc[span.start - 1].ent_type_ == "PERSON"  # "Peter X"
        if after_name or _aged(span.root) or _of_person(span.root):
            names.add(place.text)
    return frozenset(names)


def _unplaced_name(place: Place, root: Token, words: PlaceWords) -> bool:
    """A name the gazetteer does not know, with no place noun and no preposition of place
    ("20-year-old X and a friend"): nothing says it is a place."""
    return (
        not place.resolved
        and root.lemma_.lower() not in words.place_nouns
        and not (root.dep_ == "pobj" and root.head.lower_ in words.place_preps)
    )


@dataclass(frozen=True)
class SentencePlace:
    place: Place
    owner: int | None  # token index of the predicate it attaches to (None: no predicate above)
    verb: int | None = None  # token index of the verb of the clause it stands in
    # where a participant is or comes from ("police in Lyon", "a man from Kabul"): it sets the
    # article in its town (:func:`main_place`) but places no act
    of_participant: bool = False


def sentence_places(
    sentence: SpacySpan,
    places: Sequence[Place],
    triggers: frozenset[int],
    words: PlaceWords,
    persons: frozenset[str],
) -> list[SentencePlace]:
    """The places of a sentence that may locate its events, each with the predicate it attaches
    to; modifiers of a noun that is no place (a nationality, "a U.S. strike") and the names of
    ``persons`` (the article's, :func:`person_names`) are left out."""
    found = []
    for place in places:
        if not (sentence.start_char <= place.start and place.end <= sentence.end_char):
            continue
        root = _place_root(place, sentence.doc)
        if (
            root is None
            or _modifier(root, place, words.place_nouns, triggers)
            or _subject(root, place, triggers)
            or _qualifier(root, places)
            or (place.text in persons and place.precision != "country")
            or _unplaced_name(place, root, words)
        ):
            continue
        owner = _owner(root, triggers, words.within_preps)
        participant = _origin(root) or (owner is None and _of_participant(root, words.place_nouns, triggers))
        found.append(SentencePlace(place, owner, _verb(root), participant))
    return found


def _shares_place(owner: Token, token: Token, within: frozenset[str]) -> bool:
    """Whether the act of ``owner`` happened where the act of ``token`` did: one is below the
    other with no preposition but ``within`` ones between ("an air strike killed ... in X",
    "killed when shells struck X"), not "protested ... against the fighting in Y" nor "died in
    X three days after the ambush" (a time apart is no place shared); an act and what "be"
    says it is are one ("the bombing was an attack at a cafe in X")."""
    return _below(owner, token, within) or _below(token, owner, within) or _copula(owner, token)


def _copula(a: Token, b: Token) -> bool:
    """Whether ``a`` and ``b`` are the subject and the attribute of one "be" ("the bombing was
    an attack")."""
    return a.head.i == b.head.i != a.i and a.head.lemma_ == "be" and {a.dep_, b.dep_} == {"nsubj", "attr"}


def _below(above: Token, below: Token, within: frozenset[str]) -> bool:
    """Whether ``below`` is under ``above`` with no preposition but ``within`` ones between
    ("an air strike killed ... in X"; not "within days of the attacks, troops moved into X")."""
    if not above.is_ancestor(below):
        return False
    current = below
    while current.i != above.i:
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
    located = [s for s in located if not s.of_participant]
    usable = [
        s.place
        for s in located
        if s.owner is None or s.owner == token.i or _shares_place(doc[s.owner], token, within)
    ]
    own = [s.place for s in located if s.owner == token.i]
    # a place no act owns, in a clause that is not above the act's ("told reporters who had
    # gathered in X"), is that clause's
    above = [
        s.place
        for s in located
        if s.place in usable
        and (s.owner is not None or s.verb is None or s.verb == token.i or _below(doc[s.verb], token, within))
    ]
    return (
        finest(own)
        or phrase
        or finest([p for p in above if clause[0] <= p.start < clause[1]])
        or _nearest_act_place(token.idx, [s for s in located if s.place in above])
    )


def _nearest_act_place(offset: int, located: Sequence[SentencePlace]) -> Place | None:
    """The place nearest ``offset``, at the finest the same predicate names ("an attack at a
    cafe in X, Madrid, Spain which killed 13": Madrid, not the nearer Spain)."""
    near = nearest(offset, [s.place for s in located])
    if near is None:
        return None
    owner = next(s.owner for s in located if s.place is near)
    finer = finest(
        [s.place for s in located if s.owner == owner and s.owner is not None and s.place.resolved]
    )
    if finer is not None and near.resolved and _rank(finer) < _rank(near):
        return finer
    return near


def _place_heads(token: Token, words: PlaceWords) -> list[Token]:
    """The act of ``token``, the acts it is part of ("wounded during clashes near X"), the verb
    "be" it is the subject of ("the blast was at a bus station") and the act that verb says it
    is ("the bombing was an attack at the cafe") and, for an act named by a noun, the nouns of
    its phrase ("a battle between troops and gunmen in the X area")."""
    heads = [token] + [
        c for p in token.children if p.lower_ in words.within_preps for c in p.children if c.dep_ == "pobj"
    ]
    if token.dep_ == "nsubj" and token.head.lemma_ == "be":
        # "the blast was at a bus station"; "the bombing was an attack ... at the cafe"
        heads.append(token.head)
        heads += [c for c in token.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    return heads + [
        t
        for head in heads
        if head.pos_ == "NOUN"
        for t in head.subtree
        if t.i != head.i and t.pos_ in {"NOUN", "PROPN"} and _in_phrase(t, head)
    ]


def _in_phrase(noun: Token, token: Token) -> bool:
    """Whether ``noun`` is part of the noun phrase of ``token``, no verb between them."""
    current = noun.head
    while current.i != token.i:
        if current.pos_ in {"VERB", "AUX"} or current.head.i == current.i:
            return False
        current = current.head
    return True


def _phrase_nouns(token: Token, words: PlaceWords) -> Iterator[Token]:
    """The place nouns of the phrases that say where the act of ``token`` happened ("killed in
    a village", "wounded during clashes near the border": the act it is part of counts), in
    text order of their acts."""
    preps = words.place_preps | words.noun_preps
    for head in _place_heads(token, words):
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in preps:
                continue
            for noun in prep.children:
                # a name ending in a place noun is one too ("near Bagram Airfield")
                if (
                    noun.dep_ == "pobj"
                    and noun.pos_ in {"NOUN", "PROPN"}
                    and noun.lemma_.lower() in words.place_nouns
                ):
                    yield noun
    where = _where(token, words)
    if where is not None:
        yield where


def _where(token: Token, words: PlaceWords) -> Token | None:
    """The place noun a "where" clause of the act of ``token`` stands on ("the bus station,
    where at least six people were killed"; "the market where the blast hit"): the act's site.
    An act anchored on that noun itself (its clause's toll) is there too."""
    verb = token if token.pos_ in {"VERB", "AUX"} else token.head
    clauses = [c for c in token.children if c.dep_ == "relcl"]
    if verb.pos_ in {"VERB", "AUX"} and (verb.i == token.i or token.dep_ in {"nsubj", "nsubjpass"}):
        clauses.append(verb)
    for clause in clauses:
        noun = clause.head
        if (
            clause.dep_ == "relcl"
            and any(c.lower_ == "where" for c in clause.children if c.dep_ == "advmod")
            and noun.pos_ in {"NOUN", "PROPN"}
            and noun.lemma_.lower() in words.place_nouns
        ):
            return noun
    return None


def unknown_place(token: Token, words: PlaceWords, places: Sequence[Place]) -> Place | None:
    """A name the act's place phrase gives that the gazetteer does not know ("killed in X" with
    X no entry): an unresolved place of its words, so the event says where (an organisation,
    a date or a work named there is no place; spaCy's model often takes such a name for a
    person's)."""
    for head in _place_heads(token, words):
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in words.place_preps:
                continue
            for noun in prep.children:
                if noun.dep_ != "pobj" or noun.pos_ != "PROPN" or noun.ent_type_ not in NAME_ENTITY_LABELS:
                    continue
                entity = next((e for e in noun.doc.ents if e.start <= noun.i < e.end), None)
                name = entity if entity is not None else noun.doc[noun.left_edge.i : noun.i + 1]
                if any(p.start < name.end_char and name.start_char < p.end for p in places):
                    continue
                return Place(text=name.text, name=name.text, start=name.start_char, end=name.end_char)
    return None


def place_phrase(
    token: Token, words: PlaceWords, before: Sequence[Place], focus: Place | None
) -> Place | None:
    """The place the predicate names by a common noun ("killed in the province", "died in
    a hospital"): a town or a province takes the last place of its kind named ``before`` it
    (resolved places that may locate an event, in text order), any other place noun the
    article's ``focus`` town, as a facility the gazetteer does not know; else its words alone.
    A phrase that holds a place name is that name's (:func:`event_place`)."""
    for noun in _phrase_nouns(token, words):
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
            next((p for p in reversed(earlier) if p.precision in kinds), None) if kinds is not None else focus
        )
        if found is None:
            return Place(text=text, name=text, start=start, end=start + len(text))
        source = found.source if found.source.startswith("focus:") else f"antecedent:{found.source}"
        return replace(found, text=text, start=start, end=start + len(text), source=source)
    return None


def _site_of(noun: Token, words: PlaceWords) -> Site:
    """The words of a site: its noun with what stands before it (no article) and the place
    phrases after it ("a pharmacy on Main Street", "a village near X"), up to anything else."""
    doc = noun.doc
    first = noun.left_edge.i + (noun.left_edge.dep_ in {"det", "predet"})
    last = noun.i
    for child in noun.rights:
        named = child.dep_ == "prep" and any(
            g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.lemma_.lower() in words.place_nouns)
            for g in child.children
        )
        if child.dep_ not in SITE_RIGHT_DEPS and not (named and child.lower_ in words.site_preps):
            break
        last = child.right_edge.i
    span = doc[min(first, noun.i) : last + 1]
    return Site(span.text, span.start_char, span.end_char)


def event_site(token: Token, words: PlaceWords) -> Site | None:
    """The site the clause names for the act of ``token``: the place it strikes or takes ("shelled
    a school", "a market was bombed", "the bombing of the city", "posts came under fire") or
    where it happened ("at a police station", "in a village near X"), by a place noun
    (``place_words.tsv``); None when it names none."""
    targets = [c for c in token.children if c.dep_ in TARGET_DEPS and c.lemma_.lower() in words.place_nouns]
    if token.pos_ == "NOUN":
        # "the bombing of the city": the town or area it struck, named by a common noun
        areas = words.town_nouns | words.area_nouns
        targets += [
            g
            for p in token.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children
            if g.dep_ == "pobj" and g.lemma_.lower() in areas
        ]
    if token.dep_ == "pobj" and token.head.lower_ == "under":
        # "their posts came under fire": what came under it is what it struck
        verb = token.head.head
        targets += [c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in words.place_nouns]
    if token.lemma_.lower() in words.place_nouns:
        # an act told in a clause on a place ("the cafe, which the blast destroyed") is there
        targets.append(token)
    noun = next(iter(targets), None) or next(_phrase_nouns(token, words), None)
    return _site_of(noun, words) if noun is not None else None


def locate_event(
    token: Token,
    clause: tuple[int, int],
    located: Sequence[SentencePlace],
    words: PlaceWords,
    before: Sequence[Place],
    focus: Place | None,
    placed: bool,
) -> Place | None:
    """The place of the act of ``token``: its sentence's (:func:`event_place`, its own place
    phrase first), else for a ``placed`` act (one that happens in a place) the article's focus
    (:func:`focus_place`), with the site its clause names (:func:`event_site`); a site with no
    place is an unresolved place of its own words."""
    phrase = place_phrase(token, words, before, focus) or unknown_place(
        token, words, [s.place for s in located]
    )
    place = event_place(token, clause, located, words.within_preps, phrase) or (
        focus_place(focus, located) if placed else None
    )
    site = event_site(token, words)
    if site is None:
        return place
    if place is None:
        return Place(text=site.text, name=site.text, start=site.start, end=site.end, site=site)
    return replace(place, site=site)


def focus_place(focus: Place | None, located: Sequence[SentencePlace]) -> Place | None:
    """The article's ``focus`` for an act its sentence does not place, unless the sentence
    places another act in another country ("protests against the war in Yemen" in a report
    set in Idlib): the act may be there as well as here, and a wrong country misleads more
    than none."""
    if focus is None or any(
        s.place.country and s.place.country != focus.country for s in located if not s.of_participant
    ):
        return None
    return focus


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
