"""``sitroom eval STAGE --data PATH``: score a stage on gold data.

Each stage module exposes ``evaluate(data_dir: Path) -> EvalResult``. ``--data`` is a folder
or one file: a stage reads every file of its format there, whatever its name
(:mod:`sitroom.evaluation.datasets`), and its first printed line names them. The CLI prints
``EvalResult.lines`` and then, as the LAST line, ``EvalResult.metrics`` as one JSON object
(the keys docs/interfaces.md promises). A scorer reads only what a user would have (text, HTML,
the marked dyad) and the gold labels, never other columns.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitroom.errors import EvalError

if TYPE_CHECKING:
    from sitroom.rules import Rules


@dataclass(frozen=True)
class EvalResult:
    metrics: dict[str, float | int]
    lines: tuple[str, ...] = field(default_factory=tuple)


STAGES: dict[str, str] = {
    "extraction": "sitroom.evaluation.extraction",
    "pubdate": "sitroom.evaluation.pubdate",
    "geoparsing": "sitroom.evaluation.geoparsing",
    "ner": "sitroom.evaluation.ner",
    "timex": "sitroom.evaluation.timex",
    "attribution": "sitroom.evaluation.attribution",
    "events": "sitroom.evaluation.events",
    "acled-types": "sitroom.evaluation.acled_types",
    "coref": "sitroom.evaluation.coref",
    "events-e2e": "sitroom.evaluation.events_e2e",
}


def evaluator(stage: str, rules: Rules | None = None) -> Callable[[Path], EvalResult]:
    """The ``evaluate`` function of a stage, imported on demand; a stage that reads rule tables
    (events, timex, attribution, acled-types, geoparsing, ner) scores with ``rules`` when given (the user's
    ``rules`` setting), else with the shipped tables."""
    if stage not in STAGES:
        raise EvalError(f"unknown stage {stage!r}; choose one of {', '.join(STAGES)}")
    module = importlib.import_module(STAGES[stage])
    evaluate: Callable[..., EvalResult] = module.evaluate
    if rules is not None and "rules" in inspect.signature(evaluate).parameters:
        return functools.partial(evaluate, rules=rules)
    return evaluate


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
