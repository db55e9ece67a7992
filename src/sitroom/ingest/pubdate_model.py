"""Choose the publication-date rules used on top of htmldate, and judge the choice by k-fold CV.

The chooser (:func:`sitroom.ingest.pubdate.choose_published`) answers with htmldate's day
unless a rule of its table applies. :func:`select_rules` picks that table from gold pages in
two steps. A rule (``stated`` with each of its hours) is *trusted* when its right days on the
pages it applies to, Laplace-smoothed ((right + 1) / (pages + 2)), are at least htmldate
alone's day accuracy on all the pages: the pages where the rule and htmldate agree count as
evidence for the rule too, and a rule seen on one page or a few is not trusted (against
htmldate's 0.916 a rule right everywhere needs 10 pages). Of the tables of trusted rules, the
one with the most right days is kept, the bigger on a tie (none: htmldate alone). The pages
where a rule and htmldate disagree are too few to choose by alone: on the pubdate dev pages a
rule had to mend two pages more than it broke, and where two of the three pages the stated
date mends were held out, the other folds chose htmldate alone (cross-validated 0.919).
:func:`cross_validate` measures what that procedure is worth on pages it did not see: the
pages are split into folds by outlet (one outlet's pages never on both sides), the rules are
chosen on the other folds and the held-out fold is scored with them, for several seeds.
``scripts/train pubdate`` writes the choice made on the whole dev split, with the data's
SHA-256 and both figures, to ``data/pubdate_rules.tsv``.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitroom.ingest.pubdate import CHOOSER_HEADER, RULE_VALUES, RULES, PageDates, RuleChoice, choose_published

# What a rule is trusted by: its right days on the pages it applies to, smoothed by adding
# SMOOTHING_RIGHT right ones out of SMOOTHING_PAGES pages (Laplace's rule of succession).
SMOOTHING_RIGHT = 1
SMOOTHING_PAGES = 2
# The hours ``stated`` may take (0: a UTC time is its own day): up to 8, the offset of the
# farthest-west zones news outlets write from (Pacific time).
UTC_NIGHT_HOURS: tuple[float, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8)
SEEDS: tuple[int, ...] = (0, 1, 2)


def outlet_of(url: str) -> str:
    """The outlet a page belongs to for the folds: its host, without ``www.``."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def outlet_folds(urls: Sequence[str], folds: int = 5, seed: int = 0) -> list[int]:
    """A fold number (0 .. folds-1) per page; an outlet's pages share a fold.

    Outlets are shuffled with ``seed`` and each goes to the fold with the fewest pages so far
    (the lowest number on a tie), so the same pages and seed give the same folds.
    """
    if folds < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, not {folds}")
    groups: dict[str, list[int]] = {}
    for i, url in enumerate(urls):
        groups.setdefault(outlet_of(url), []).append(i)
    outlets = sorted(groups)
    random.Random(seed).shuffle(outlets)
    sizes = [0] * folds
    assigned = [0] * len(urls)
    for outlet in outlets:
        fold = min(range(folds), key=lambda f: (sizes[f], f))
        for i in groups[outlet]:
            assigned[i] = fold
        sizes[fold] += len(groups[outlet])
    return assigned


def rule_sets() -> Iterator[tuple[RuleChoice, ...]]:
    """Every table the chooser could have, smallest first (the empty one: htmldate alone)."""
    names = list(RULES)
    for size in range(len(names) + 1):
        for subset in itertools.combinations(names, size):
            options = [
                [RuleChoice(name, hour) for hour in UTC_NIGHT_HOURS]
                if name in RULE_VALUES
                else [RuleChoice(name)]
                for name in subset
            ]
            yield from (tuple(choice) for choice in itertools.product(*options))


def day_of(page: PageDates, rules: Sequence[RuleChoice]) -> str | None:
    """The day the chooser gives a page with these rules (no carrier hint)."""
    published = choose_published(page, rules)
    return published[:10] if published else None


def right_days(pages: Sequence[PageDates], gold: Sequence[str | None], rules: Sequence[RuleChoice]) -> int:
    """How many pages get their gold day (None: no date is right)."""
    return sum(day_of(page, rules) == expected for page, expected in zip(pages, gold, strict=True))


def rule_record(pages: Sequence[PageDates], gold: Sequence[str | None], rule: RuleChoice) -> tuple[int, int]:
    """How many of the pages the rule applies to it gives the gold day, and how many it applies to."""
    right = applies = 0
    for page, expected in zip(pages, gold, strict=True):
        verdict = RULES[rule.name](page, rule.value)
        if verdict is not None:
            applies += 1
            right += (verdict.published[:10] if verdict.published else None) == expected
    return right, applies


def trusted(pages: Sequence[PageDates], gold: Sequence[str | None], rule: RuleChoice) -> bool:
    """Whether the rule's smoothed right days where it applies reach htmldate alone's accuracy."""
    right, applies = rule_record(pages, gold, rule)
    smoothed = (right + SMOOTHING_RIGHT) / (applies + SMOOTHING_PAGES)
    return bool(pages) and smoothed >= right_days(pages, gold, ()) / len(pages)


def select_rules(pages: Sequence[PageDates], gold: Sequence[str | None]) -> tuple[RuleChoice, ...]:
    """Of the tables of trusted rules, the one with the most right days; the bigger on a tie."""
    trust: dict[RuleChoice, bool] = {}
    best: tuple[RuleChoice, ...] = ()
    best_score = (right_days(pages, gold, ()), 0)
    for rules in rule_sets():
        if not all(trust.setdefault(r, trusted(pages, gold, r)) for r in rules):
            continue
        score = (right_days(pages, gold, rules), len(rules))
        if score > best_score:
            best, best_score = rules, score
    return best


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold days of k-fold cross-validation, one run per seed, and the rules each fold chose."""

    folds: int
    days: tuple[tuple[str | None, ...], ...]
    chosen: tuple[tuple[tuple[RuleChoice, ...], ...], ...]

    def accuracy(self, gold: Sequence[str | None]) -> tuple[float, float]:
        """Mean and standard deviation over the seeds of the out-of-fold day accuracy."""
        values = [sum(d == g for d, g in zip(run, gold, strict=True)) / len(gold) for run in self.days]
        mean = sum(values) / len(values)
        return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def cross_validate(
    pages: Sequence[PageDates],
    gold: Sequence[str | None],
    urls: Sequence[str],
    folds: int = 5,
    seeds: Sequence[int] = SEEDS,
) -> CrossValidation:
    """Choose the rules on k-1 folds, give the held-out fold its days with them, for each seed."""
    runs, chosen = [], []
    for seed in seeds:
        assigned = outlet_folds(urls, folds, seed)
        days: list[str | None] = [None] * len(pages)
        per_fold = []
        for fold in range(folds):
            train = [i for i, f in enumerate(assigned) if f != fold]
            rules = select_rules([pages[i] for i in train], [gold[i] for i in train])
            per_fold.append(rules)
            for i, f in enumerate(assigned):
                if f == fold:
                    days[i] = day_of(pages[i], rules)
        runs.append(tuple(days))
        chosen.append(tuple(per_fold))
    return CrossValidation(folds, tuple(runs), tuple(chosen))


def describe(rules: Sequence[RuleChoice]) -> str:
    """A table in one phrase: ``stated (UTC before 3h: day before) + url_date`` or ``htmldate alone``."""
    if not rules:
        return "htmldate alone"
    return " + ".join(f"{r.name} (UTC before {r.value:g}h: day before)" if r.value else r.name for r in rules)


def save_chooser(rules: Sequence[RuleChoice], path: Path, record: dict[str, object]) -> None:
    """Write a chooser table: comment lines (what it is, ``record``), the header, a row a rule."""
    lines = [
        "# The rules sitroom uses on top of htmldate to find a page's publication date",
        "# (sitroom.ingest.pubdate; an empty table is htmldate alone). Written by `scripts/train pubdate`;",
        "# columns: rule (a name of pubdate.RULES), value (stated: the hour before which a UTC time",
        "# is the evening before; 0: never).",
        *(f"# {key}: {value}" for key, value in record.items()),
        "\t".join(CHOOSER_HEADER),
        *(f"{r.name}\t{'' if r.value is None else f'{r.value:g}'}" for r in rules),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
