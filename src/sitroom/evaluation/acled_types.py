"""``sitroom eval acled-types``: ACLED sub-event type of short reports (CASE 2021 task 2).

Each row has an ``EventSnippet`` and its gold ``SubType`` (25 ACLED-derived codes and five
codes outside ACLED). The scorer gives the system the snippet only and maps sitroom's ACLED
names to the task's codes with :data:`TASK_CODES`; a report left untyped counts as wrong.

The shipped classifier was trained on the dev split, so on that split its figures are a fit.
The scorer therefore also prints what says how it does on reports it has never seen: the same
classifier k-fold cross-validated on the given data (retrained on k-1 folds, near-duplicates in
one fold), and the hand-written cue table alone (the argmax of its scores), for comparison.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sitroom.evaluation import EvalResult, prf
from sitroom.evaluation.datasets import files_sha256, find_data, name_files, tsv_table
from sitroom.events import acled_model
from sitroom.events.acled import LABELS, classify_acled, cue_scores, embeddings_enabled, shipped_classifier
from sitroom.rules import Rules, load_rules

# Folds of the cross-validation the scorer runs (one seed; scripts/train reports three).
CV_FOLDS = 5
# Any name: the CASE 2021 release calls its labelled split test_set_final_release_with_labels.tsv.
ACLED_TABLE = tsv_table(
    "a CASE 2021 task 2 table (.tsv with columns EventSnippet, SubType)",
    ("EventSnippet", "SubType"),
    "events-acled-types",
)
TASK_CODES: dict[str, str] = {
    "Armed clash": "ARMED_CLASH",
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Chemical weapon": "CHEM_WEAP",
    "Air/drone strike": "AIR_STRIKE",
    "Suicide bomb": "SUIC_BOMB",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Grenade": "GRENADE",
    "Sexual violence": "SEX_VIOL",
    "Attack": "ATTACK",
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Peaceful protest": "PEACE_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR",
    "Mob violence": "MOB_VIOL",
    "Agreement": "AGREEMENT",
    "Arrests": "ARREST",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Disrupted weapons use": "DISR_WEAP",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Other": "OTHER",
    "Organized crime": "ORG_CRIME",
    "Natural disaster": "NATURAL_DISASTER",
    "Man-made disaster": "MAN_MADE_DISASTER",
    "Diplomacy": "DIPLO",
    "Attribution": "ATTRIB",
}
NON_ACLED_CODES = frozenset({"ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"})


def predict_code(snippet: str, rules: Rules) -> str | None:
    """The task code sitroom gives a snippet (None when it types nothing)."""
    typed = classify_acled(snippet, rules)
    name = typed.sub_event_type or typed.category
    return TASK_CODES.get(name) if name else None


def read_rows(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(snippet, gold code) of every row of the tables, by column name, in file order."""
    rows: list[tuple[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            rows.extend((row["EventSnippet"], row["SubType"]) for row in reader)
    return rows


def _f1s(
    pairs: list[tuple[str, str | None]], labels: list[str]
) -> tuple[float, float, float, dict[str, float]]:
    """Weighted, macro and micro F1 over ``labels`` (gold items outside them are ignored)."""
    wanted = set(labels)
    support = Counter(gold for gold, _ in pairs if gold in wanted)
    per_label: dict[str, float] = {}
    for label in labels:
        tp = sum(gold == label and guess == label for gold, guess in pairs)
        fp = sum(gold != label and guess == label for gold, guess in pairs if gold in wanted)
        per_label[label] = prf(tp, fp, support[label] - tp)[2]
    total = sum(support.values())
    weighted = sum(per_label[label] * support[label] for label in labels) / total if total else 0.0
    macro = sum(per_label.values()) / len(labels) if labels else 0.0
    micro = sum(gold == guess for gold, guess in pairs if gold in wanted) / total if total else 0.0
    return weighted, macro, micro, per_label


def evaluate(data_dir: Path, *, rules: Rules | None = None) -> EvalResult:
    """Score :func:`sitroom.events.acled.classify_acled` on a CASE 2021 task 2 split, with
    ``rules`` (the shipped ones by default)."""
    rules = rules or load_rules()
    paths = find_data(data_dir, ACLED_TABLE)
    rows = read_rows(paths)
    pairs = [(gold, predict_code(snippet, rules)) for snippet, gold in rows]
    labels = sorted({gold for gold, _ in pairs})
    weighted, macro, micro, per_label = _f1s(pairs, labels)
    acled_labels = [label for label in labels if label not in NON_ACLED_CODES]
    acled_weighted, acled_macro, acled_micro, _ = _f1s(pairs, acled_labels)
    support = Counter(gold for gold, _ in pairs)
    texts = [snippet for snippet, _ in rows]
    cues = np.array([cue_scores(text, rules.acled_rules) for text in texts])
    cue_pairs = [
        (gold, TASK_CODES[LABELS[int(row.argmax())]] if row.max() > 0 else None)
        for (_, gold), row in zip(rows, cues, strict=True)
    ]
    cue_weighted = _f1s(cue_pairs, labels)[0]
    cv_weighted, cv_macro = _cross_validated(texts, [gold for gold, _ in pairs], cues)
    fitted = _trained_on(paths)
    lines = [
        f"events-acled-types: {len(pairs)} snippets, {len(labels)} labels, from {name_files(paths, data_dir)}"
    ]
    lines += [f"  {label:<30} n={support[label]:<3} F1={per_label[label]:.3f}" for label in labels]
    lines.append(f"all 30 labels: weighted F1 {weighted:.3f}  macro F1 {macro:.3f}  micro F1 {micro:.3f}")
    lines.append(
        f"25 ACLED labels: weighted F1 {acled_weighted:.3f}  macro F1 {acled_macro:.3f}  micro F1 {acled_micro:.3f}"
    )
    lines.append(
        f"{CV_FOLDS}-fold cross-validated on this data: weighted F1 {cv_weighted:.3f}  macro F1 {cv_macro:.3f}"
        f"  (cue table alone: weighted F1 {cue_weighted:.3f})"
    )
    if fitted:
        lines.append("the shipped classifier was trained on this data: its figures above are a fit")
    metrics: dict[str, float | int] = {
        "n": len(pairs),
        "weighted_f1": round(weighted, 4),
        "macro_f1": round(macro, 4),
        "micro_f1": round(micro, 4),
        "acled_weighted_f1": round(acled_weighted, 4),
        "acled_macro_f1": round(acled_macro, 4),
        "acled_micro_f1": round(acled_micro, 4),
        "untyped": sum(guess is None for _, guess in pairs),
        "cv_weighted_f1": round(cv_weighted, 4),
        "cv_macro_f1": round(cv_macro, 4),
        "cues_weighted_f1": round(cue_weighted, 4),
        "trained_on_this_data": int(fitted),
    }
    return EvalResult(metrics=metrics, lines=tuple(lines))


def _cross_validated(texts: list[str], codes: list[str], cues: np.ndarray) -> tuple[float, float]:
    """Weighted and macro F1 of the classifier retrained fold by fold on this data (one seed)."""
    if len(set(codes)) < 2 or len(texts) < CV_FOLDS * 2:
        return 0.0, 0.0
    _, embed = shipped_classifier(embeddings_enabled())
    embedded = embed(texts) if embed is not None else None
    try:
        validation = acled_model.cross_validate(texts, codes, cues, embedded, folds=CV_FOLDS, seeds=(0,))
    except ValueError:  # every label has fewer reports than folds: nothing to cross-validate
        return 0.0, 0.0
    return (
        validation.mean(lambda run: acled_model.weighted_f1(codes, run))[0],
        validation.mean(lambda run: acled_model.macro_f1(codes, run))[0],
    )


def _trained_on(paths: Sequence[Path]) -> bool:
    """Whether the shipped classifier's training data had these files' bytes (its recorded hash)."""
    model, _ = shipped_classifier(embeddings_enabled())
    return bool(model.meta.get("data_sha256") == files_sha256(paths))
