"""Actor resolution: entity mentions -> :class:`sitroom.models.Actor`.

A mention is resolved, in order:

1. as a lexicon alias ("MIT", "the SDF") -> ``source="lexicon"``;
2. as several lexicon actors joined by "/" or "and" ("PKK/YPG") -> their ``members``;
3. compositionally from its words ("Syrian government forces", "PKK snipers",
   "the Syrian defence minister"): a named group inside it, a country word (pycountry and
   ``country_words.tsv``) and a role head noun
   (the head nouns of ``actor_words.tsv``) -> ``source="composed"``;
4. otherwise kept with its text, ``source="unresolved"``.

Institutions named without a country ("Interior Ministry", "the regime") take the
document's main country: the one its actor and place mentions name most often.
Private persons are never actors; office holders are coded by their office.
Words that characterise an actor ("terrorist group", "U.S.-backed") go to ``label`` only.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pycountry
from spacy.tokens import Doc, Span

from sitroom.models import Actor
from sitroom.read.lexicon import Lexicon, LexiconEntry, normalize_alias
from sitroom.read.ner import ActorWords, Role

_WORD = re.compile(r"[\w.’'-]+|/|&", re.UNICODE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def resolve_actor_text(text: str, lexicon: Lexicon, context_country: str | None = None) -> Actor | None:
    """The actor a bare phrase names ("Syrian security personnel", "PKK fighters"), or None.

    ``context_country`` fills the country of an institution named without one.
    Returns an unresolved actor for a phrase with an actor head but nothing to code it by
    ("the group"), and None for a phrase that names no actor at all.
    """
    text = text.strip()
    entry = lexicon.lookup(_POSSESSIVE.sub("", text))
    if entry is not None:
        return _from_entry(text, entry)
    words = [_POSSESSIVE.sub("", w) for w in _WORD.findall(normalize_alias(text))]
    words = [w for w in words if w and w.lower() not in lexicon.words.skip_words]
    if not words:
        return None
    members = _members(words, lexicon)
    if members:
        return _joined(text, members)
    return _compose(text, words, lexicon, context_country)


def resolve_actors(doc: Doc, lexicon: Lexicon) -> tuple[Actor, ...]:
    """Every actor mention in ``doc``'s entities, with character offsets into its text."""
    mentions: list[tuple[Span, Actor]] = []
    ents = list(doc.ents)
    skip_until = -1
    for i, ent in enumerate(ents):
        if ent.start < skip_until:
            continue
        if ent.label_ in {"ORG", "NORP"}:
            span = _slash_group(ents, i)
            skip_until = span.end
            actor = _resolve_span(span, lexicon)
        elif ent.label_ == "PERSON":
            actor = _resolve_office_holder(ent, lexicon)
        elif ent.label_ == "GPE" and ent.root.dep_ in {"nsubj", "nsubjpass"}:
            actor = _state_actor(ent.text, lexicon)
        else:
            actor = None
        if actor is not None:
            mentions.append((ent if ent.label_ != "ORG" else span, actor))
    home = _main_country(mentions, doc, lexicon)
    return tuple(_placed(span, _with_home(actor, home, lexicon)) for span, actor in mentions)


def _slash_group(ents: list[Span], i: int) -> Span:
    """ "PKK/YPG": ORG entities joined by "/" make one mention."""
    doc = ents[i].doc
    end = ents[i].end
    j = i + 1
    while j < len(ents) and ents[j].label_ == "ORG" and ents[j].start == end + 1 and doc[end].text == "/":
        end = ents[j].end
        j += 1
    return doc[ents[i].start : end]


def _resolve_span(span: Span, lexicon: Lexicon) -> Actor | None:
    """An ORG that names no known actor is kept unresolved; a NORP that names none is a
    nationality word, not an actor."""
    actor = resolve_actor_text(span.text, lexicon)
    if actor is None and span.label_ == "ORG":
        return Actor(
            text=span.text, name=_clean_name(span.text, lexicon.words.determiners), source="unresolved"
        )
    return actor


def _resolve_office_holder(ent: Span, lexicon: Lexicon) -> Actor | None:
    """A person is an actor only through an office named in or just before the mention."""
    doc = ent.doc
    start = ent.start
    aw = lexicon.words
    while start > 0 and doc[start - 1].is_title and doc[start - 1].lower_ in aw.title_words:
        start -= 1
    span = doc[start : ent.end]
    words = [t.lower_ for t in span]
    title = _title_in(words, aw.offices)
    if title is None:
        entry = lexicon.lookup(ent.text)
        return (
            _from_entry(ent.text, entry)
            if entry is not None and entry.name.startswith(_OFFICE_NAMES)
            else None
        )
    name_tokens = [t.text for t in span if t.lower_ not in aw.title_words and t.lower_ not in aw.skip_words]
    entry = lexicon.lookup(" ".join(name_tokens)) if name_tokens else None
    if entry is not None:
        return _from_entry(span.text, entry)
    country = next((c for c in (lexicon.country_of(t.text) for t in span) if c), None)
    sector = "MIL" if title in aw.military_titles else "GOV"
    return Actor(
        text=span.text,
        name=_composed_name(country, [title], aw),
        country=country,
        sector=sector,
        acled_inter=1,
        source="composed",
    )


_OFFICE_NAMES = ("President", "Prime Minister", "Supreme Leader", "Commander", "United Nations Secretary")


def _title_in(words: list[str], offices: tuple[str, ...]) -> str | None:
    text = " " + " ".join(w.strip(".") for w in words) + " "
    for title in sorted(offices, key=len, reverse=True):
        if f" {title.replace('.', '').replace('-', ' - ')} " in text:
            return title
    return None


def _members(words: list[str], lexicon: Lexicon) -> tuple[LexiconEntry, ...]:
    """Lexicon actors named side by side ("PKK/YPG", "PKK/YPG fighters", "Hamas and Islamic Jihad")."""
    joined = " ".join(words)
    parts = [p.strip() for p in re.split(r"\s*(?:/|\band\b|&|,)\s*", joined) if p.strip()]
    if len(parts) < 2:
        return ()
    entries = [_contained_entry(p.split(), lexicon) for p in parts]
    if any(e is None for e in entries):
        return ()
    return tuple(e for e in entries if e is not None)


def _joined(text: str, members: tuple[LexiconEntry, ...]) -> Actor:
    def shared(values: list[str | None]) -> str | None:
        return values[0] if len(set(values)) == 1 else None

    inters = {m.acled_inter for m in members}
    return Actor(
        text=text,
        name=" / ".join(m.name for m in members),
        country=shared([m.country for m in members]),
        sector=shared([m.sector for m in members]),
        acled_inter=inters.pop() if len(inters) == 1 else None,
        members=tuple(m.name for m in members),
        source="lexicon",
    )


def _compose(text: str, words: list[str], lexicon: Lexicon, context_country: str | None) -> Actor | None:
    aw = lexicon.words
    labels = [w for w in words if w.lower() in aw.label_words or w.lower().endswith(aw.label_suffixes)]
    content = [w for w in words if w not in labels]
    group = _contained_entry(content, lexicon)
    country = next((c for c in (lexicon.country_of(w) for w in content) if c), None)
    lowered = [w.lower() for w in content]
    head = next((w for w in reversed(lowered) if w in aw.head_roles or w in aw.generic_heads), None)
    label = " ".join(labels) or None
    if group is not None and not (_is_state(group) and head in aw.head_roles and head not in lowered[:1]):
        actor = _from_entry(text, group)
        return replace(actor, label=label, source="composed" if len(content) > 1 else "lexicon")
    if head is None:
        if country is not None and len(content) == 1:
            return replace(
                _state_actor(content[0], lexicon) or Actor(text=text, name=text), text=text, label=label
            )
        return None
    if group is not None:
        country = group.country
    role = _role(lowered, head, aw)
    is_community = any(w in aw.group_adjectives for w in lowered)
    if country is None and not is_community and head in aw.institution_heads:
        country = context_country
    if role == (None, None) and country is None:
        return Actor(
            text=text, name=_clean_name(" ".join(content), aw.determiners), label=label, source="unresolved"
        )
    role_words = [w for w in content if lexicon.country_of(w) is None]
    return Actor(
        text=text,
        name=_composed_name(country, role_words, aw),
        country=country,
        sector=role[0],
        acled_inter=role[1],
        label=label,
        source="composed",
    )


def _role(words: list[str], head: str, aw: ActorWords) -> Role:
    """Sector and inter from the head noun, or from the words before a generic head."""
    before = words[: words.index(head)]
    for modifier in reversed(before):
        if (modifier, head) in aw.pair_roles:
            return aw.pair_roles[(modifier, head)]
    if head in aw.head_roles:
        return aw.head_roles[head]
    for modifier in reversed(before):
        if modifier in aw.modifier_roles:
            return aw.modifier_roles[modifier]
    if any(w in aw.group_adjectives for w in before):
        return ("CVL", 7)
    return (None, None)


def _contained_entry(words: list[str], lexicon: Lexicon) -> LexiconEntry | None:
    """The longest lexicon alias among the phrase's word n-grams ("PKK" in "PKK snipers")."""
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            entry = lexicon.lookup(" ".join(words[start : start + size]))
            if entry is not None:
                return entry
    return None


def _is_state(entry: LexiconEntry) -> bool:
    """A state's government or ministry: "Syrian government forces" are its forces, not it."""
    return entry.sector == "GOV" and entry.acled_inter == 1


def _from_entry(text: str, entry: LexiconEntry) -> Actor:
    return Actor(
        text=text,
        name=entry.name,
        country=entry.country,
        sector=entry.sector,
        acled_inter=entry.acled_inter,
        source="lexicon",
    )


def _state_actor(text: str, lexicon: Lexicon) -> Actor | None:
    """A country named as an actor ("Turkey said", "Ankara") is its government."""
    country = lexicon.country_of(_POSSESSIVE.sub("", text))
    if country is None:
        return None
    return Actor(
        text=text,
        name=_country_name(country),
        country=country,
        sector="GOV",
        acled_inter=1,
        source="composed",
    )


def _main_country(mentions: list[tuple[Span, Actor]], doc: Doc, lexicon: Lexicon) -> str | None:
    """The state a story is mostly about: most named by its actors and places (first wins ties)."""
    votes: Counter[str] = Counter()
    order: dict[str, int] = {}
    found: list[tuple[int, str | None]] = [(span.start_char, actor.country) for span, actor in mentions]
    found += [(e.start_char, lexicon.country_of(e.text)) for e in doc.ents if e.label_ in {"GPE", "NORP"}]
    for position, country in sorted((p, c) for p, c in found if c and c not in {"IGO", "NGO", "MNC"}):
        votes[country] += 1
        order.setdefault(country, position)
    if not votes:
        return None
    return max(votes, key=lambda c: (votes[c], -order[c]))


def _with_home(actor: Actor, home: str | None, lexicon: Lexicon) -> Actor:
    if actor.country is not None or home is None or actor.source != "composed":
        return actor
    words = [w.lower() for w in _WORD.findall(actor.text)]
    aw = lexicon.words
    if any(w in aw.group_adjectives for w in words) or not aw.institution_heads.intersection(words):
        return actor
    resolved = resolve_actor_text(actor.text, lexicon, context_country=home)
    return replace(resolved, start=actor.start, end=actor.end) if resolved is not None else actor


def _placed(span: Span, actor: Actor) -> Actor:
    return replace(actor, text=span.text, start=span.start_char, end=span.end_char)


def _composed_name(country: str | None, role_words: list[str], aw: ActorWords) -> str:
    role = " ".join(w for w in role_words if w.lower() not in aw.courtesy_titles)
    return f"{_country_adjective(country, aw)} {role}" if country else role


def _country_adjective(code: str, aw: ActorWords) -> str:
    return aw.adjective_of(code) or _country_name(code)


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def _clean_name(text: str, determiners: tuple[str, ...]) -> str:
    words = [w for w in text.split() if w.lower() not in determiners]
    return _POSSESSIVE.sub("", " ".join(words)) or text
