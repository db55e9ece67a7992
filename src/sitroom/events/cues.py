"""What marks reported speech: reporting verbs, hedges, documents, speaker nouns.

The words live in rule tables (``sitroom/data/reporting_verbs.tsv``: each verb once, with its
roles; ``sitroom/data/cues.tsv``: the other lists; ``sitroom/data/speaker_kinds.tsv``: the
kinds of sources), read by :func:`sitroom.rules.load_rules`
into one :class:`Cues`. Only the quotation marks, which are the tokenizer's and no one's
vocabulary, stay here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.rules import Row

VERB_ROLES = (
    "speech",
    "cognition",
    "evidence",
    "stance",
    "object_content",
    "intention",
    "question",
    "needs_clause",
    "transparent",
)
WORD_LISTS = (
    "document_noun",
    "survey_noun",
    "medium_noun",
    "attitude_adjective",
    "person_noun",
    "unrealised_modal",
    "sentence_cue",
)
HEDGE_LISTS = ("hedge_adverb", "hedge_noun", "hedge_adjective", "hedging_cue")
HEDGES = ("reportedly", "allegedly", "purportedly", "supposedly", "apparently", "claimed", "unconfirmed")

# The prepositional cue "according to X".
ACCORDING = "according"

# Quotation marks as the tokenizer gives them; straight marks and the typewriter pair
# "''" (as in "''Yes,'' she said") both open and close, so they toggle.
OPENING_QUOTES: frozenset[str] = frozenset({"“", "«", "„", "``", "‘‘"})
CLOSING_QUOTES: frozenset[str] = frozenset({"”", "»", "’’"})
TOGGLING_QUOTES: frozenset[str] = frozenset({'"', "''"})
QUOTE_MARKS: frozenset[str] = OPENING_QUOTES | CLOSING_QUOTES | TOGGLING_QUOTES


@dataclass(frozen=True)
class Cues:
    """The cue words by role (see the two files' header comments for each list's meaning)."""

    speech_verbs: frozenset[str]
    cognition_verbs: frozenset[str]
    evidence_verbs: frozenset[str]
    stance_verbs: frozenset[str]
    object_content_verbs: frozenset[str]
    intention_verbs: frozenset[str]
    question_verbs: frozenset[str]
    needs_clause: frozenset[str]  # with the cognition, stance and evidence verbs
    transparent_verbs: frozenset[str]  # the trigger lexicon looks through them
    document_nouns: frozenset[str]
    survey_nouns: frozenset[str]
    medium_nouns: frozenset[str]
    attitude_adjectives: frozenset[str]
    person_nouns: frozenset[str]
    unrealised_modals: frozenset[str]
    sentence_cues: frozenset[str]
    hedge_adverbs: Mapping[str, str]
    hedge_nouns: Mapping[str, str]
    hedge_adjectives: Mapping[str, str]
    hedging_cues: Mapping[str, str]  # cue lemma -> the hedge it carries
    speaker_kinds: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, its words), tried in order

    reporting_verbs: frozenset[str]  # every verb whose subject can be a source
    # cues that, inside someone's reported words, are part of what that speaker says rather than
    # a new source: "officials said the group supports ...", "he said he thinks ..."
    part_of_outer_claim: frozenset[str]

    def vocabulary(self) -> set[str]:
        """Every cue word, for the selective parser (transparent-only verbs left out)."""
        words: set[str] = set()
        for name, value in vars(self).items():
            if name not in ("transparent_verbs", "speaker_kinds"):
                words.update(value)
        return words


def parse_speaker_kinds(rows: Sequence[Row]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The speaker kinds of ``speaker_kinds.tsv``, in the order they first appear, each with
    one pattern of all its rows' words."""
    words: dict[str, list[str]] = {}
    for row in rows:
        kind, pattern = row.cells
        if not re.fullmatch(r"[a-z_]+", kind) or not pattern:
            raise row.error(f"needs a kind (lower-case letters and _) and a pattern; got {list(row.cells)!r}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise row.error(f"pattern {pattern!r} is not a regular expression: {exc}") from exc
        words.setdefault(kind, []).append(pattern)
    return tuple(
        (kind, re.compile(rf"\b(?:{'|'.join(parts)})\b", re.IGNORECASE)) for kind, parts in words.items()
    )


def parse_cues(verb_rows: Sequence[Row], cue_rows: Sequence[Row], kind_rows: Sequence[Row]) -> Cues:
    """Build :class:`Cues` from the rows of ``reporting_verbs.tsv``, ``cues.tsv`` and
    ``speaker_kinds.tsv`` (a user's row for a verb or a (list, word) replaces the shipped one)."""
    roles_of: dict[str, tuple[str, ...]] = {}
    for row in verb_rows:
        verb, listed = row.cells
        unknown = [role for role in listed.split() if role not in VERB_ROLES]
        if not verb or not listed or unknown:
            raise row.error(
                f"needs a verb and its roles, from {', '.join(VERB_ROLES)}; got {list(row.cells)!r}"
            )
        roles_of[verb.lower()] = tuple(listed.split())
    by_role: dict[str, set[str]] = defaultdict(set)
    for verb, roles in roles_of.items():
        for role in roles:
            by_role[role].add(verb)
    values: dict[tuple[str, str], str] = {}
    for row in cue_rows:
        name, word, value = row.cells
        if name not in WORD_LISTS + HEDGE_LISTS or not word:
            raise row.error(f"unknown list {name!r} or no word; lists: {', '.join(WORD_LISTS + HEDGE_LISTS)}")
        if (name in HEDGE_LISTS) != bool(value) or (value and value not in HEDGES):
            raise row.error(
                f"{word!r}: the hedge lists need a value from {', '.join(HEDGES)}, the others none"
            )
        values[(name, word.lower())] = value
    words: dict[str, set[str]] = defaultdict(set)
    hedges: dict[str, dict[str, str]] = defaultdict(dict)
    for (name, word), value in values.items():
        if name in HEDGE_LISTS:
            hedges[name][word] = value
        else:
            words[name].add(word)
    return Cues(
        speech_verbs=frozenset(by_role["speech"]),
        cognition_verbs=frozenset(by_role["cognition"]),
        evidence_verbs=frozenset(by_role["evidence"]),
        stance_verbs=frozenset(by_role["stance"]),
        object_content_verbs=frozenset(by_role["object_content"]),
        intention_verbs=frozenset(by_role["intention"]),
        question_verbs=frozenset(by_role["question"]),
        transparent_verbs=frozenset(by_role["transparent"]),
        needs_clause=frozenset(
            by_role["needs_clause"] | by_role["cognition"] | by_role["stance"] | by_role["evidence"]
        ),
        document_nouns=frozenset(words["document_noun"]),
        survey_nouns=frozenset(words["survey_noun"]),
        medium_nouns=frozenset(words["medium_noun"]),
        attitude_adjectives=frozenset(words["attitude_adjective"]),
        person_nouns=frozenset(words["person_noun"]),
        unrealised_modals=frozenset(words["unrealised_modal"]),
        sentence_cues=frozenset(words["sentence_cue"]),
        hedge_adverbs=hedges["hedge_adverb"],
        hedge_nouns=hedges["hedge_noun"],
        hedge_adjectives=hedges["hedge_adjective"],
        hedging_cues=hedges["hedging_cue"],
        speaker_kinds=parse_speaker_kinds(kind_rows),
        reporting_verbs=frozenset(
            by_role["speech"] | by_role["cognition"] | by_role["evidence"] | by_role["stance"]
        ),
        part_of_outer_claim=frozenset(by_role["cognition"] | by_role["stance"] | {"in"}),
    )
