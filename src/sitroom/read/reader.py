"""Stage 3, reading: one spaCy pipeline, composed once, and the resolutions over its parse.

:func:`load_resources` builds the heavy things once per process (the model with our
EntityRuler, the gazetteer index, the actor lexicon, the rule tables); :func:`read_doc` turns one parsed
article into a :class:`Reading` of actors, places and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sitroom.models import Article, DateMention, Reading, Span
from sitroom.read.actors import resolve_actors
from sitroom.read.dates import find_dates
from sitroom.read.gazetteer import Gazetteer, load_gazetteer
from sitroom.read.lexicon import Lexicon, load_lexicon
from sitroom.read.nlp import build_nlp
from sitroom.read.places import resolve_places
from sitroom.read.selective import SelectiveParser, selective_parser

if TYPE_CHECKING:
    import re

    from spacy.language import Language
    from spacy.tokens import Doc

    from sitroom.rules import Rules


@dataclass(frozen=True)
class Resources:
    """What reading and event extraction need, loaded once and passed around."""

    nlp: Language
    gazetteer: Gazetteer
    lexicon: Lexicon
    parser: SelectiveParser  # entities everywhere, dependency parse where events or claims can be
    rules: Rules  # word lists, patterns and weights (sitroom.rules)


def load_resources(
    rules: Rules, lexicon_files: tuple[str, ...] = (), gazetteer_files: tuple[str, ...] = ()
) -> Resources:
    """The pipeline with our EntityRuler in front of ``ner``, the gazetteer and the lexicon (each
    with the user's files: the settings ``lexicon``, ``gazetteer``), and the rule tables the
    composition root read (:func:`sitroom.rules.load_rules`)."""
    gazetteer = load_gazetteer(rules.gazetteer_names, gazetteer_files)
    lexicon = load_lexicon(rules.actor_words, lexicon_files)
    # actor patterns after place patterns: an alias that is both ("Hamas" vs a town) is an actor
    nlp = build_nlp([*gazetteer.ruler_patterns(rules.place_words.stop), *lexicon.ruler_patterns()])
    parser = selective_parser(nlp, rules.parse_vocabulary())
    return Resources(nlp=nlp, gazetteer=gazetteer, lexicon=lexicon, parser=parser, rules=rules)


def anchor_date(article: Article) -> date:
    """What relative dates are resolved against: the publication day, else the capture day."""
    return article.published_date or article.captured_at.date()


def find_article_dates(
    text: str, article: Article, past_verb: re.Pattern[str], *, doc: Doc | None = None
) -> tuple[DateMention, ...]:
    """The time expressions of an article, resolved against :func:`anchor_date`: a year-less
    date is after the anchor only when told as future ("will meet on Tuesday"), never by
    TimeML's look-ahead ("payable Dec. 15"), since a report tells what happened by its date.
    ``past_verb`` is :attr:`sitroom.rules.Rules.past_verb`."""
    return find_dates(text, anchor_date(article), past_verb, doc=doc, look_ahead=False)


def read_doc(
    doc: Doc, article: Article, resources: Resources, *, outlet_country: str | None = None
) -> Reading:
    """Actors, places and dates of one parsed article (``doc.text`` is ``article.text``)."""
    sentences = tuple(Span(s.start_char, s.end_char, s.text) for s in doc.sents)
    return Reading(
        article_id=article.id,
        sentences=sentences,
        actors=resolve_actors(doc, resources.lexicon),
        places=resolve_places(
            doc, resources.gazetteer, resources.rules.place_words, outlet_country=outlet_country
        ),
        dates=find_article_dates(doc.text, article, resources.rules.past_verb, doc=doc),
    )
