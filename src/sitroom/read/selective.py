"""Parse only the sentences that can hold an event or a claim.

Every sentence needs named entities (actors and places are read from the whole article, and
"the group" refers back to them), but only some need a dependency parse: those with a word
of the event-trigger lexicon, a reporting cue or hedge, a civilian-protection cue or a
quotation mark. :func:`parse_selectively` runs, per article:

1. sentence boundaries (the model's small ``senter``), our entity ruler and ``ner`` on the
   whole text;
2. ``tok2vec``, ``tagger``, ``parser``, ``attribute_ruler`` and ``lemmatizer`` on the
   candidate sentences only, each parsed on its own;
3. their annotations copied back into the article's Doc; the other sentences get a flat tree
   (every word attached to the first), so the Doc stays one well-formed document whose
   character offsets are the article's.

Candidate words are matched on their lower-case form: the lexicons' lemmas with every form
the model's own lemmatizer rules and exceptions map to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sitroom.events import cues
from sitroom.events.protection import cue_offsets
from sitroom.events.verbs import load_lexicon as load_trigger_lexicon
from sitroom.read.nlp import RULER

ENTITY_COMPONENTS = ("senter", RULER, "ner")
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
# Words that make a sentence worth parsing besides the lexicons (numbers of victims, quotes).
EXTRA_WORDS = frozenset({'"', "“", "”", "«", "»", "according", "reportedly", "allegedly", "purportedly"})


def _lexicon_lemmas() -> set[str]:
    lex = load_trigger_lexicon()
    words: set[str] = set()
    for table in vars(lex).values():
        if isinstance(table, dict):
            for key in table:
                words.update(str(key).lower().split())
    for name in dir(cues):
        value = getattr(cues, name)
        if isinstance(value, frozenset | dict) and name.isupper():
            words.update(str(w).lower() for w in value)
    return words


def _inflections(nlp: Language, lemmas: Iterable[str]) -> set[str]:
    """Every form the lemmatizer would map to one of ``lemmas`` (by its suffix rules and
    exceptions), plus the lemmas themselves."""
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    rules = lemmatizer.lookups.get_table("lemma_rules")
    exceptions = lemmatizer.lookups.get_table("lemma_exc")
    wanted = set(lemmas)
    forms = set(wanted)
    for pos_rules in rules.values():
        for old, new in pos_rules:
            for lemma in wanted:
                if lemma.endswith(new) and len(lemma) > len(new):
                    forms.add(lemma[: len(lemma) - len(new)] + old)
    for table in exceptions.values():
        for form, targets in table.items():
            if wanted.intersection(targets):
                forms.add(form)
    # doubled final consonant ("abetted", "shipping") is an exception in some tables only
    forms.update(f"{w}{w[-1]}{suffix}" for w in wanted if len(w) > 2 for suffix in ("ed", "ing"))
    return forms


@lru_cache(maxsize=4)
def _candidate_forms(nlp: Language) -> frozenset[str]:
    # function words of phrase entries ("call on", "in") would make every sentence a candidate
    lemmas = {w for w in _lexicon_lemmas() if w.isalpha() and w not in nlp.Defaults.stop_words}
    return frozenset(_inflections(nlp, lemmas) | EXTRA_WORDS)


def _paragraphs_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence (the parser learnt that; the small ``senter`` did not)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@dataclass(frozen=True)
class SelectiveParser:
    """The model's components split into the whole-text pass and the per-sentence parse."""

    nlp: Language
    forms: frozenset[str]

    def is_candidate(self, sentence: SpacySpan) -> bool:
        if any(t.lower_ in self.forms for t in sentence):
            return True
        return bool(cue_offsets(sentence.text))

    def parse(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
        """Docs of ``texts`` with entities everywhere and a parse where it can matter."""
        docs: Iterable[Doc] = (self.nlp.make_doc(text) for text in texts)
        for name in ENTITY_COMPONENTS:
            docs = self.nlp.get_pipe(name).pipe(docs, batch_size=batch_size)  # type: ignore[attr-defined]
        for doc in docs:
            yield self._parse_candidates(_paragraphs_end_sentences(doc))

    def _parse_candidates(self, doc: Doc) -> Doc:
        sentences = list(doc.sents)
        chosen = [s for s in sentences if self.is_candidate(s)]
        parsed: Iterable[Doc] = [s.as_doc() for s in chosen]
        for name in PARSE_COMPONENTS:
            parsed = self.nlp.get_pipe(name).pipe(parsed)  # type: ignore[attr-defined]
        array = numpy.zeros((len(doc), len(_ATTRS)), dtype="uint64")
        dep, root = self.nlp.vocab.strings.add("dep"), self.nlp.vocab.strings.add("ROOT")
        for sentence in sentences:  # flat trees; candidates overwritten below
            for token in sentence:
                array[token.i, 3] = token.lex.lower
                first = token.i == sentence.start
                array[token.i, 4] = root if first else dep
                array[token.i, 5] = numpy.uint64(0 if first else (sentence.start - token.i) % 2**64)
        for sentence, sub in zip(chosen, parsed, strict=True):
            array[sentence.start : sentence.end] = sub.to_array(_ATTRS)
        doc.from_array(_ATTRS, array)  # type: ignore[arg-type]  # a numpy uint64 array is what spaCy takes
        return doc


def selective_parser(nlp: Language) -> SelectiveParser:
    """Build once per process, beside the full pipeline it shares components with."""
    return SelectiveParser(nlp=nlp, forms=_candidate_forms(nlp))
