"""Who a source is: its kind (official, witness, ...) and, for pronouns and "the sources",
the earlier mention a reader links it to.

The kinds and their words are the rule table ``sitroom/data/speaker_kinds.tsv``; order
matters (the first kind whose words match wins, so "security sources" is a security source
before it is anonymous).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Pronouns a reader resolves to an earlier source, with the number they need.
PLURAL_PRONOUNS: frozenset[str] = frozenset({"they", "them", "we"})
SINGULAR_PRONOUNS: frozenset[str] = frozenset({"he", "she", "it", "him", "her", "i"})
RELATIVE_PRONOUNS: frozenset[str] = frozenset({"who", "which", "that"})
# How far back (in attributions) a "the sources" or pronoun looks for its antecedent.
ANTECEDENT_WINDOW = 12


@dataclass(frozen=True)
class Mention:
    """A source mention as the resolver sees it."""

    text: str
    head_lemma: str
    plural: bool
    person: bool  # a named person or a person noun (spokesman, minister)
    start: int
    end: int


def is_person_noun(lemma: str, person_nouns: frozenset[str]) -> bool:
    """Whether a singular common noun names a person ("the spokesman", "a minister"):
    one of ``person_nouns`` (the cue table's person nouns) or a word made like one."""
    return lemma in person_nouns or lemma.endswith(("man", "woman", "person", "ist"))


def classify_speaker(text: str, kinds: Sequence[tuple[str, re.Pattern[str]]]) -> str | None:
    """The kind of speaker a source names, or None when its words say nothing about it, by the
    speaker ``kinds`` (:attr:`sitroom.events.cues.Cues.speaker_kinds`), tried in order."""
    for kind, pattern in kinds:
        if pattern.search(text):
            return kind
    return None


def _compatible(pronoun: str, candidate: Mention) -> bool:
    if pronoun in PLURAL_PRONOUNS:
        return candidate.plural or not candidate.person
    if pronoun == "it":
        return not candidate.plural and not candidate.person
    return not candidate.plural and candidate.person


def _is_pronoun(mention: Mention) -> bool:
    word = mention.text.lower()
    return word in PLURAL_PRONOUNS or word in SINGULAR_PRONOUNS or word in RELATIVE_PRONOUNS


def resolve_mention(mention: Mention, earlier: Sequence[Mention]) -> Mention:
    """The mention a reader takes ``mention`` to mean, given the sources named before it.

    Personal pronouns go to the last compatible named source; a repeated head ("the
    sources", "sources" after "security sources") goes to the last fuller mention with that
    head. Anything else stands for itself.
    """
    word = mention.text.lower()
    window = [m for m in earlier[-ANTECEDENT_WINDOW:] if not _is_pronoun(m)]
    if word in PLURAL_PRONOUNS or word in SINGULAR_PRONOUNS:
        for candidate in reversed(window):
            if _compatible(word, candidate):
                return candidate
        return mention
    bare = re.fullmatch(r"(?:the |these |those )?(\w+)", word)
    if bare and (mention.plural or word.startswith("the ")):
        for candidate in reversed(window):
            if candidate.head_lemma == mention.head_lemma and len(candidate.text) > len(mention.text):
                return candidate
    return mention
