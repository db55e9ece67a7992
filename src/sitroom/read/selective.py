"""Parse only the sentences that can hold an event or a claim.

Every sentence needs named entities (actors and places are read from the whole article, and
"the group" refers back to them), but only some need a dependency parse: those with a word
of the event-trigger lexicon, a reporting cue or hedge, a civilian-protection cue or a
quotation mark. :func:`parse_selectively` runs, per article:

1. names read as names (:func:`sitroom.read.nlp.read_names_as_names`), sentence boundaries
   (the model's small ``senter``), our entity ruler and ``ner`` on the whole text;
2. ``tok2vec``, ``tagger``, ``parser``, ``attribute_ruler`` (compiled, see
   :mod:`sitroom.read.attributes`) and ``lemmatizer`` (its answers kept, see
   :mod:`sitroom.read.lemmas`) on the candidate sentences only, each parsed on its own;
3. their annotations copied back into the article's Doc; the other sentences get a flat tree
   (every word attached to the first), so the Doc stays one well-formed document whose
   character offsets are the article's.

Candidate words are matched on their lower-case form: the rule tables' lemmas
(:meth:`sitroom.rules.Rules.parse_vocabulary`, passed in by the composition root) with every
form the model's own lemmatizer rules and exceptions map to them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sitroom.read.attributes import CompiledAttributeRuler, NotCompilable
from sitroom.read.lemmas import MemoLemmatizer
from sitroom.read.nlp import ABBREVIATIONS, RULER, split_long_text
from sitroom.read.protection_cues import cue_offsets

ENTITY_COMPONENTS = (ABBREVIATIONS, "senter", RULER, "ner")
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
# Words that make a sentence worth parsing besides the lexicons (numbers of victims, quotes).
EXTRA_WORDS = frozenset({'"', "“", "”", "«", "»", "according", "reportedly", "allegedly", "purportedly"})


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


def _candidate_forms(nlp: Language, vocabulary: Iterable[str]) -> frozenset[str]:
    # function words of phrase entries ("call on", "in") would make every sentence a candidate
    lemmas = {w for w in vocabulary if w.isalpha() and w not in nlp.Defaults.stop_words}
    return frozenset(_inflections(nlp, lemmas) | EXTRA_WORDS)


def _paragraphs_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence (the parser learnt that; the small ``senter`` did not).
    A token's trailing whitespace is one space at most: line breaks are space tokens."""
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)):
        if i + 1 < len(doc) and "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc


@dataclass(frozen=True)
class SelectiveParser:
    """The model's components split into the whole-text pass and the per-sentence parse."""

    nlp: Language
    forms: frozenset[str]
    form_ids: numpy.ndarray  # the string-store hashes of ``forms``, sorted, for numpy.isin
    # the model's attribute_ruler compiled (None: its patterns are not compilable, the stock one runs)
    attribute_ruler: CompiledAttributeRuler | None = None
    lemmatizer: MemoLemmatizer | None = None

    def parse(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
        """Docs of ``texts`` with entities everywhere and a parse where it can matter.

        A text over ``nlp.max_length`` is read in pieces (:func:`split_long_text`) that are
        joined back into one Doc of the whole text, entities and sentence starts included.
        """
        counts: deque[int] = deque()  # pieces per text, in order

        def pieces() -> Iterator[Doc]:
            for text in texts:
                parts = split_long_text(text, self.nlp.max_length)
                counts.append(len(parts))
                yield from (self.nlp.make_doc(part) for part in parts)

        docs: Iterable[Doc] = pieces()
        for name in ENTITY_COMPONENTS:
            step: Any = self.nlp.get_pipe(name)
            # a function component (``read_names_as_names``) has no ``pipe``: map it
            docs = step.pipe(docs, batch_size=batch_size) if hasattr(step, "pipe") else map(step, docs)
        stream = iter(docs)
        for first in stream:
            parts = [first, *islice(stream, counts.popleft() - 1)]
            doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            yield self._parse_candidates(_paragraphs_end_sentences(doc))

    def _chosen(self, doc: Doc, sentences: list[SpacySpan], lower: numpy.ndarray) -> list[SpacySpan]:
        """The sentences with a word of ``forms`` or a cue (:func:`cue_offsets`), found with array
        operations over the whole Doc: a Token object per word cost more than the parse saved."""
        has_form = numpy.isin(lower, self.form_ids)
        text = doc.text
        return [
            s
            for s in sentences
            if has_form[s.start : s.end].any() or cue_offsets(text[s.start_char : s.end_char])
        ]

    def _parse_candidates(self, doc: Doc) -> Doc:
        sentences = list(doc.sents)
        lower = doc.to_array(LOWER).astype("uint64")
        chosen = self._chosen(doc, sentences, lower)
        # the Doc's arrays taken once: ``as_doc`` takes them of the whole Doc per sentence otherwise
        # (spaCy's type stub lacks the two arguments that its as_doc takes for this)
        head = doc._get_array_attrs()
        whole = doc.to_array(list(head))
        parsed: Iterable[Doc] = [s.as_doc(array_head=head, array=whole) for s in chosen]  # type: ignore[call-arg]
        for name in PARSE_COMPONENTS:
            component: Any = self.nlp.get_pipe(name)
            if name == "attribute_ruler" and self.attribute_ruler is not None:
                component = self.attribute_ruler
            elif name == "lemmatizer" and self.lemmatizer is not None:
                component = self.lemmatizer
            parsed = component.pipe(parsed)
        # flat trees (every word attached to its sentence's first, lemma = lower-case form);
        # the candidates are overwritten below
        array = numpy.zeros((len(doc), len(_ATTRS)), dtype="uint64")
        if len(doc):
            index = numpy.arange(len(doc), dtype="int64")
            starts = numpy.array([s.start for s in sentences], dtype="int64")
            start_of = starts[numpy.searchsorted(starts, index, side="right") - 1]
            dep, root = self.nlp.vocab.strings.add("dep"), self.nlp.vocab.strings.add("ROOT")
            array[:, 3] = lower
            array[:, 4] = numpy.where(start_of == index, numpy.uint64(root), numpy.uint64(dep))
            array[:, 5] = (start_of - index).view("uint64")  # a head offset, modulo 2**64 as spaCy keeps it
        for sentence, sub in zip(chosen, parsed, strict=True):
            array[sentence.start : sentence.end] = sub.to_array(_ATTRS)
        doc.from_array(_ATTRS, array)  # type: ignore[arg-type]  # a numpy uint64 array is what spaCy takes
        return doc


def selective_parser(nlp: Language, vocabulary: Iterable[str]) -> SelectiveParser:
    """Build once per process, beside the full pipeline it shares components with; a sentence
    is parsed when it holds a form of one of the ``vocabulary`` lemmas (or a cue)."""
    forms = _candidate_forms(nlp, vocabulary)
    ids = numpy.array(sorted(nlp.vocab.strings.add(form) for form in forms), dtype="uint64")
    try:
        compiled: CompiledAttributeRuler | None = CompiledAttributeRuler(nlp.get_pipe("attribute_ruler"))
    except NotCompilable:
        compiled = None
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    memo = MemoLemmatizer(lemmatizer) if getattr(lemmatizer, "mode", None) == "rule" else None
    return SelectiveParser(nlp=nlp, forms=forms, form_ids=ids, attribute_ruler=compiled, lemmatizer=memo)
