"""``sitroom eval attribution``: token-level Source / Cue / Content F1 on PolNeAR.

``--data`` holds PolNeAR's annotations, ``<name>_<annotator>.ann`` in BRAT standoff, with
each article's text ``<name>.txt`` somewhere under the same folder (the nearest one is
read). ``../shared/data/attribution`` has compartments (``train/``, ``dev/``) each with
``attributions/`` and ``text/``; an article's compartment is the folder holding its
annotations, or the one above when that is ``attributions/``.

Scoring (docs/interfaces.md): for each role, precision = predicted tokens inside a gold span of
that role / predicted tokens; recall = gold tokens inside a predicted span / gold tokens.
Tokens are the words and punctuation marks of the text (``\\w+`` runs and single other
characters), so the figure does not depend on the parser. Counts are pooled over articles;
an article annotated by several people contributes each annotator's counts with weight
1/k, so no annotator is preferred.

Stages: 1. find the annotations and their texts; 2. read texts and gold; 3. parse all texts
with one ``nlp.pipe``; 4. find attributions; 5. pool token counts and report.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from sitroom.errors import EvalError
from sitroom.evaluation import EvalResult
from sitroom.evaluation.datasets import Companions, brat_standoff, find_data
from sitroom.events.attribution import Attribution, find_attributions
from sitroom.read.nlp import load_model
from sitroom.rules import Rules, load_rules

ROLES: tuple[str, ...] = ("source", "cue", "content")
_BRAT_ROLES = {"Source": "source", "Cue": "cue", "Content": "content"}
# A T line starts with its id and a tab; its text may run over several lines, so only the
# prefix is parsed (README of the data set).
_T_LINE = re.compile(r"^T\d+\t([\w-]+) (\d+ \d+(?:;\d+ \d+)*)\t", re.MULTILINE)
_TOKEN = re.compile(r"\w+|[^\w\s]")
# Batch size for nlp.pipe; news articles of ~700 words each.
PIPE_BATCH_SIZE = 16
# Named entities only help resolve pronouns to speakers, which PolNeAR does not score;
# without the recogniser the model parses about 1.7 times faster.
UNSCORED_COMPONENTS: tuple[str, ...] = ("ner",)

ANNOTATIONS = brat_standoff(
    "PolNeAR annotations (BRAT .ann files; texts as .txt in the same folder tree)", "attribution"
)

Spans = dict[str, list[tuple[int, int]]]


@dataclass(frozen=True)
class AnnotatedArticle:
    """One PolNeAR article: its text and the gold spans of each annotator."""

    compartment: str
    name: str
    text: str
    gold: tuple[Spans, ...]


@dataclass
class RoleCounts:
    """Pooled token counts for one role (floats: annotators are weighted 1/k).

    A token is either inside both a predicted and a gold span or not, so one overlap count
    serves as the numerator of precision and of recall.
    """

    overlap: float = 0.0
    predicted: float = 0.0
    gold: float = 0.0

    def scores(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of the pooled counts."""
        p = self.overlap / self.predicted if self.predicted else 0.0
        r = self.overlap / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Tally:
    """Counts of every role, for one compartment or for all."""

    articles: int = 0
    roles: dict[str, RoleCounts] = field(default_factory=lambda: {role: RoleCounts() for role in ROLES})


def parse_ann(ann_text: str) -> Spans:
    """Gold spans by role from a BRAT .ann text; discontinuous spans give several pieces."""
    spans: Spans = {role: [] for role in ROLES}
    for match in _T_LINE.finditer(ann_text):
        role = _BRAT_ROLES.get(match.group(1))
        if role is None:
            continue
        for piece in match.group(2).split(";"):
            start, end = piece.split()
            spans[role].append((int(start), int(end)))
    return spans


def is_annotated_kind(attribution: Attribution) -> bool:
    """Whether PolNeAR's guidelines would annotate an attribution of this kind.

    Its annotators leave out speech reported inside a direct quotation ("'I think ...'"),
    which sitroom keeps for its claim chains.
    """
    return not attribution.in_quote


def predicted_spans(attributions: Iterable[Attribution]) -> Spans:
    """Source, cue and content spans of found attributions, in the shape of the gold."""
    spans: Spans = {role: [] for role in ROLES}
    for attribution in attributions:
        if not is_annotated_kind(attribution):
            continue
        if attribution.source is not None:
            spans["source"].append((attribution.source.start, attribution.source.end))
        spans["cue"].append((attribution.cue.start, attribution.cue.end))
        spans["content"].extend((part.start, part.end) for part in attribution.content)
    return spans


def read_articles(
    data: Path, compartments: Sequence[str] | None = None, limit: int | None = None
) -> list[AnnotatedArticle]:
    """Texts and gold of the annotated articles at ``data``, by compartment, then name.

    ``compartments`` keeps those named; ``limit`` caps the articles of each. Texts without
    annotations are not read.
    """
    by_article: dict[tuple[Path, str], list[Path]] = {}
    for ann in find_data(data, ANNOTATIONS):
        by_article.setdefault((ann.parent, ann.stem.rsplit("_", 1)[0]), []).append(ann)
    texts = Companions.under(data)
    taken: Counter[str] = Counter()
    articles = []
    for (folder, name), anns in sorted(by_article.items()):
        compartment = folder.parent.name if folder.name == "attributions" else folder.name
        if compartments is not None and compartment not in compartments:
            continue
        if limit is not None and taken[compartment] >= limit:
            continue
        taken[compartment] += 1
        text = texts.find(f"{name}.txt", anns[0]).read_text(encoding="utf-8")
        gold = tuple(parse_ann(ann.read_text(encoding="utf-8")) for ann in anns)
        articles.append(AnnotatedArticle(compartment, name, text, gold))
    return articles


def _char_mask(length: int, spans: Sequence[tuple[int, int]]) -> bytearray:
    mask = bytearray(length)
    for start, end in spans:
        mask[max(start, 0) : min(end, length)] = b"\x01" * (min(end, length) - max(start, 0))
    return mask


def _covered_tokens(tokens: Sequence[tuple[int, int]], mask: bytearray) -> set[int]:
    return {i for i, (start, end) in enumerate(tokens) if mask[start] and mask[end - 1]}


def count_article(text: str, predicted: Spans, gold: Sequence[Spans], tally: Tally) -> None:
    """Add one article's token counts to ``tally``, each annotator weighted 1/k."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    weight = 1.0 / len(gold)
    tally.articles += 1
    for role in ROLES:
        pred_mask = _char_mask(len(text), predicted[role])
        pred_tokens = _covered_tokens(tokens, pred_mask)
        counts = tally.roles[role]
        for annotator in gold:
            gold_tokens = _covered_tokens(tokens, _char_mask(len(text), annotator[role]))
            counts.overlap += weight * len(pred_tokens & gold_tokens)
            counts.predicted += weight * len(pred_tokens)
            counts.gold += weight * len(gold_tokens)


def _describe(label: str, tally: Tally) -> str:
    parts = []
    for role in ROLES:
        p, r, f = tally.roles[role].scores()
        parts.append(f"{role} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    return f"{label:<6} {tally.articles:4d} articles | " + " | ".join(parts)


def evaluate(
    data_dir: Path,
    *,
    compartments: Sequence[str] | None = None,
    limit: int | None = None,
    nlp: Language | None = None,
    rules: Rules | None = None,
) -> EvalResult:
    """Score :func:`find_attributions` on every article under ``data_dir``.

    ``compartments`` (e.g. ``["dev"]``) and ``limit`` (articles per compartment) restrict
    the run for quick tuning; the CLI scores everything. ``nlp`` defaults to the shipped
    model without the components scoring does not need, loaded once; ``rules`` the shipped
    rule tables.
    """
    cues = (rules or load_rules()).cues
    articles = read_articles(data_dir, compartments, limit)
    if not articles:
        raise EvalError(f"no annotated articles under {data_dir}")
    nlp = nlp or load_model(disable=UNSCORED_COMPONENTS)
    totals = Tally()
    by_compartment: dict[str, Tally] = {}
    started = time.perf_counter()
    words = 0
    docs = nlp.pipe((a.text for a in articles), batch_size=PIPE_BATCH_SIZE)
    for article, doc in zip(articles, docs, strict=True):
        words += sum(1 for t in doc if not t.is_punct and not t.is_space)
        predicted = predicted_spans(find_attributions(doc, cues))
        count_article(article.text, predicted, article.gold, totals)
        count_article(
            article.text, predicted, article.gold, by_compartment.setdefault(article.compartment, Tally())
        )
    seconds = time.perf_counter() - started
    annotations = sum(len(article.gold) for article in articles)
    lines = [f"PolNeAR: {totals.articles} articles, {annotations} annotation files, from {data_dir}"]
    lines += [_describe(name, tally) for name, tally in sorted(by_compartment.items())]
    lines.append(_describe("all", totals))
    lines.append(f"parsed and attributed {words} words in {seconds:.1f} s ({words / seconds:.0f} words/s)")
    metrics: dict[str, float | int] = {"n": totals.articles}
    for role in ROLES:
        p, r, f = totals.roles[role].scores()
        metrics[f"{role}_f1"] = round(f, 4)
        metrics[f"{role}_precision"] = round(p, 4)
        metrics[f"{role}_recall"] = round(r, 4)
    metrics["seconds"] = round(seconds, 1)
    metrics["words_per_s"] = round(words / seconds)
    return EvalResult(metrics=metrics, lines=tuple(lines))
